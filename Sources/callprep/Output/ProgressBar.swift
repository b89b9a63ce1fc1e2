import AudioPrep

/// A one-line progress bar on standard error: percent, speed as × real time, and ETA. Draws
/// nothing when disabled (standard error is not a terminal, or --quiet).
final class ProgressBar {
    private let enabled: Bool
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: MergeProgress) {
        guard enabled else { return }
        let width = 30
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let percent = Int((progress.fraction * 100).rounded(.down))
        var line = "\r[\(bar)] \(percent)%"
        if progress.speed > 0 {
            line += "  \(Self.format(progress.speed))× real time"
        }
        if let remaining = progress.remainingSeconds {
            line += "  ETA \(Self.clock(remaining))"
        }
        Terminal.writeStderr(line + "\u{1B}[K")
        drawn = true
    }

    /// Clears the line so later messages start clean.
    func finish() {
        guard enabled, drawn else { return }
        Terminal.writeStderr("\r\u{1B}[K")
        drawn = false
    }

    static func format(_ speed: Double) -> String {
        speed >= 100 ? String(Int(speed.rounded())) : String(Double(Int(speed * 10)) / 10)
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let minutes = total / 60
        let rest = total % 60
        return "\(minutes):" + (rest < 10 ? "0\(rest)" : "\(rest)")
    }
}
