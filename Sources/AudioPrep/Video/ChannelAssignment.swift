import CallPrepJSON

/// Who goes on one output channel of a room merge: `--channel N=WHO[,WHO…]`, where WHO is a
/// participant's identity or `PA…` SID. Several on one channel are mixed.
public struct ChannelAssignment: Sendable, Hashable {
    /// 1 or 2.
    public var channel: Int
    /// Identities or `PA…` SIDs, as given.
    public var members: [String]

    public init(channel: Int, members: [String]) {
        self.channel = channel
        self.members = members
    }

    /// Parses `N=WHO[,WHO…]`, e.g. `1=agent` or `2=alice,PA0123…`. Spaces around a name are
    /// trimmed; an identity that contains a comma is named by its `PA…` SID instead.
    public init(parsing text: String) throws(AudioPrepError) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let members = parts.count == 2
            ? parts[1].split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } : []
        guard parts.count == 2, let channel = Int(String(parts[0]).trimmingWhitespace()), (1...2).contains(channel), !members.isEmpty
        else {
            throw AudioPrepError(
                .invalidArgument,
                "--channel takes N=WHO[,WHO…] with channel 1 or 2 and WHO a participant's identity or PA… SID, e.g. --channel 1=agent --channel 2=alice,bob; got '\(text)'.")
        }
        self.init(channel: channel, members: members)
    }

    /// `--channel` values: each channel at most once.
    public static func parseAll(_ values: [String]) throws(AudioPrepError) -> [ChannelAssignment] {
        var result: [ChannelAssignment] = []
        for value in values {
            let assignment = try ChannelAssignment(parsing: value)
            if result.contains(where: { $0.channel == assignment.channel }) {
                throw AudioPrepError(
                    .invalidArgument,
                    "--channel \(assignment.channel) is given twice; list everyone on it in one --channel, e.g. --channel \(assignment.channel)=alice,bob.")
            }
            result.append(assignment)
        }
        return result
    }
}
