import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Renders sentences as a readable conversation, SubRip (SRT), WebVTT or plain text, naming
/// speakers from the transcript's channel participants.
public struct SentenceFormatter: Sendable {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// `[00:01:02] Alice Agent: …` lines.
        case conversation
        /// Text only, one sentence per line.
        case text
        /// SubRip subtitles.
        case srt
        /// WebVTT subtitles with `<v Speaker>` voice tags.
        case vtt
    }

    /// Speaker names by media channel.
    public let speakerNames: [Int: String]

    /// Creates a formatter; channels without a name print as `Channel N`.
    public init(speakerNames: [Int: String]) {
        self.speakerNames = speakerNames
    }

    /// The name for `channel`.
    public func speaker(_ channel: Int?) -> String {
        guard let channel else { return "Unknown" }
        return speakerNames[channel] ?? "Channel \(channel)"
    }

    /// Renders all sentences in `format`, each line ending with a newline.
    public func render(_ sentences: [Sentence], as format: Format) -> String {
        var out = format == .vtt ? "WEBVTT\n\n" : ""
        for (index, sentence) in sentences.enumerated() {
            let text = sentence.transcript ?? ""
            switch format {
            case .conversation:
                out += "[\(Self.clock(sentence.startSeconds))] \(speaker(sentence.mediaChannel)): \(text)\n"
            case .text:
                out += text + "\n"
            case .srt:
                out += "\(index + 1)\n\(Self.timestamp(sentence.startSeconds, separator: ",")) --> \(Self.timestamp(sentence.endSeconds, separator: ","))\n"
                out += "\(speaker(sentence.mediaChannel)): \(text)\n\n"
            case .vtt:
                out += "\(Self.timestamp(sentence.startSeconds, separator: ".")) --> \(Self.timestamp(sentence.endSeconds, separator: "."))\n"
                out += "<v \(speaker(sentence.mediaChannel))>\(text)\n\n"
            }
        }
        return out
    }

    /// The largest offset shown, in seconds (about 31,700 years): the server's times are text,
    /// so "1e300" or "inf" is clamped here instead of trapping in a conversion to Int.
    static let largestSeconds: Double = 1e12

    /// `seconds` clamped to 0…`largestSeconds` (NaN: 0).
    static func displayable(_ seconds: Double) -> Double {
        seconds.isNaN ? 0 : min(max(0, seconds), largestSeconds)
    }

    /// `HH:MM:SS` (whole seconds, truncated).
    static func clock(_ seconds: Double) -> String {
        let total = Int(displayable(seconds))
        return [total / 3600, total / 60 % 60, total % 60].map { NumberText.zeroPadded(Int64($0), width: 2) }.joined(separator: ":")
    }

    /// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT), rounded to the millisecond.
    static func timestamp(_ seconds: Double, separator: String) -> String {
        let millis = Int((displayable(seconds) * 1000).rounded())
        return [millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60].map { NumberText.zeroPadded(Int64($0), width: 2) }.joined(separator: ":")
            + separator + NumberText.zeroPadded(Int64(millis % 1000), width: 3)
    }
}
