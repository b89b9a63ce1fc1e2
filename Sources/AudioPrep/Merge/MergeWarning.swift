import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something about a merge that worked but is probably not what was meant: printed by the CLI
/// on standard error and recorded in the manifest's `warnings`.
public struct MergeWarning: Sendable, Hashable, Codable {
    /// A stable identifier: `mostlyPadding` or `timestampsMissing`.
    public var code: String
    /// What was noticed and what to check.
    public var message: String

    /// A channel is silence (lead + tail) for more than half of the output.
    public static let mostlyPadding = "mostly_padding"
    /// Automatic alignment fell back to start: only some tracks carry container timestamps.
    public static let timestampsMissing = "timestamps_missing"

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The checks on a plan: a channel that is silence (lead + tail padding) for more than half
    /// of the output — the two tracks are likely not from the same call; and, when `automatic`
    /// alignment fell back to `start` because only some tracks carry container timestamps, which
    /// ones lack them. `names` labels each track (its files) in channel order.
    static func checks(
        plan: AlignmentPlan, mode: AlignmentMode, sampleRate: Int, startNanoseconds: [Int64?], names: [String]
    ) -> [MergeWarning] {
        var warnings: [MergeWarning] = []
        if case .automatic = mode, startNanoseconds.contains(where: { $0 != nil }), startNanoseconds.contains(where: { $0 == nil }) {
            let with = startNanoseconds.indices.filter { startNanoseconds[$0] != nil }
            let without = startNanoseconds.indices.filter { startNanoseconds[$0] == nil }
            let describe = { (indices: [Int]) in indices.map { "track \($0 + 1) (\(names[$0]))" }.joined(separator: ", ") }
            warnings.append(MergeWarning(
                code: Self.timestampsMissing,
                message: "\(describe(with)) carries container timestamps but \(describe(without)) has none, so the tracks were aligned at their starts (as --align start), not by timestamps. Place the untimestamped track with --offset N=SECONDS, or pass --align start to confirm."))
        }
        guard plan.totalFrames > 0 else { return warnings }
        for (index, placement) in plan.placements.enumerated() {
            let padding = placement.lead + placement.tail
            guard padding > plan.totalFrames / 2 else { continue }
            let percent = Int((Double(padding) * 100 / Double(plan.totalFrames)).rounded())
            let seconds = { (frames: Int64) in NumberText.fixed(Double(frames) / Double(sampleRate), digits: 3) }
            warnings.append(MergeWarning(
                code: Self.mostlyPadding,
                message: "channel \(index + 1) (\(names[index])) is padding for \(percent)% of the output (lead \(seconds(placement.lead)) s, tail \(seconds(placement.tail)) s, recording \(seconds(placement.content)) s): the two tracks are likely not from the same call, or the offsets are wrong. Check the pairing."))
        }
        return warnings
    }
}
