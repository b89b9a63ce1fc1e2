import AudioPrep
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The human-readable report `merge` prints on standard output.
enum MergeSummary {
    static func text(_ manifest: MergeManifest, manifestPath: String?) -> String {
        let out = manifest.output
        var lines = [
            "wrote \(out.path): FLAC, 2 channels, 16-bit, \(out.sampleRate) Hz, "
                + "\(NumberText.fixed(out.durationSeconds, digits: 3)) s (\(out.frames) frames), \(out.sizeBytes) bytes"
        ]
        if let origin = manifest.timelineOriginNanoseconds {
            lines.append(
                "  aligned by container timestamps: t = 0 is \(NumberText.fixed(Double(origin) / 1e9, digits: 3)) s on the recordings' clock")
        }
        for channel in manifest.channels {
            let files = manifest.inputs.filter { $0.channel == channel.channel }
            guard let input = files.first else { continue }
            let participant = manifest.participants.first { $0.channelParticipant == channel.channel }
            let who = [participant?.role, participant?.fullName].compactMap { $0 }.joined(separator: ", ")
            var steps: [String] = []
            if input.downmixed { steps.append("downmixed from \(input.channels) channels") }
            if input.resampled { steps.append("resampled from \(input.sampleRate) Hz") }
            if let streams = channel.mixedStreams {
                let clipped = channel.clippedSamples ?? 0
                steps.append("\(streams) streams mixed, \(clipped) sample\(clipped == 1 ? "" : "s") clipped")
            }
            lines.append(
                "  channel \(channel.channel) (\(who)) ← \(files.map(\.path).joined(separator: " + ")): lead \(channel.leadFrames) frames "
                    + "(\(NumberText.fixed(channel.leadSeconds, digits: 3)) s), tail \(channel.tailFrames) frames"
                    + (steps.isEmpty ? "" : "; " + steps.joined(separator: ", ")))
        }
        if let manifestPath { lines.append("  manifest: \(manifestPath)") }
        if let validation = manifest.validation {
            if validation.problems.isEmpty {
                lines.append("  validate: accepted by Intelligence's media rules")
            } else {
                lines.append("  validate: \(validation.accepted ? "accepted" : "REJECTED"):")
                for problem in validation.problems {
                    lines.append("    \(problem.severity) \(problem.code): \(problem.message)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
