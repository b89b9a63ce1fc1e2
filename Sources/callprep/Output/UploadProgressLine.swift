#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CallPrepJSON
import ObjectStore
import Synchronization

/// What an upload shows while it runs: on a terminal (stderr), one line redrawn as the store
/// confirms bytes — `uploading call.flac: 45% of 80.0 MB, 12.3 MB/s` — and cleared at the end;
/// nothing when stderr is not a terminal or with `--json`/`--quiet`.
final class UploadProgressLine: Sendable {
    // Reports arrive from the store's tasks, possibly on several threads: the mutex orders them
    // and guards whether a line is on the screen.
    private let enabled: Bool
    private let name: String
    private let start = ContinuousClock.now
    private let drawn = Mutex(false)

    init(fileName: String, output: OutputOptions) {
        enabled = Terminal.stderrIsTerminal && !output.json && !output.quiet
        name = fileName
    }

    /// Redraws the line for `progress`.
    func report(_ progress: UploadProgress) {
        guard enabled, progress.totalBytes > 0 else { return }
        let percent = Int(Double(progress.bytesSent) / Double(progress.totalBytes) * 100)
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        var line = "\ruploading \(name): \(percent)% of \(Self.megabytes(progress.totalBytes)) MB"
        if seconds > 0.5 { line += ", \(Self.megabytes(Int64(Double(progress.bytesSent) / seconds))) MB/s" }
        drawn.withLock { drawn in
            Terminal.writeStderr(line + "\u{1B}[K")
            drawn = true
        }
    }

    /// Clears the line so later messages start clean.
    func finish() {
        drawn.withLock { drawn in
            guard drawn else { return }
            Terminal.writeStderr("\r\u{1B}[K")
            drawn = false
        }
    }

    /// Decimal megabytes with one decimal: `80.0`.
    static func megabytes(_ bytes: Int64) -> String {
        NumberText.fixed(Double(bytes) / 1_000_000, digits: 1)
    }
}
