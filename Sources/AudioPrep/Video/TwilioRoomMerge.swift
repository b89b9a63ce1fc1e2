#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Twilio Video room's audio made ready for `Merger`: its recordings (downloaded), its
/// participants, and who goes on which channel, turned into the two channels of a merge, the
/// manifest's channel map and the room facts the manifest records.
///
/// This is what `callprep room` and `callprep merge --recordings` share:
/// - **Who is who.** A person is a participant identity (a participant who left and joined
///   again has a new `PA…` SID under the same identity), or a `PA…` SID when the identity is
///   not known. Only people with audio recordings count.
/// - **Channels.** With no assignment, exactly two people with audio take channels 1 and 2 in
///   the order they joined; with more, an assignment is required and the error lists them. An
///   assignment (`ChannelAssignment`, `--channel 2=alice,bob`) names people by identity or
///   `PA…` SID; several on one channel are mixed; a channel left out gets everybody with audio
///   not named.
/// - **Recordings.** Every recording of the people merged must have its file (else an error
///   naming the `RT…` SID and the path looked for), of the size Twilio lists when it lists
///   one. Each file carries `offset − min(offset)` (as nanoseconds) and its recording facts,
///   which the manifest records with the room SID.
/// - **Channel map.** One person on a channel: `full_name` and `user_id` = identity,
///   `media_participant_id` = their `PA…` SID(s). Several: `full_name` lists the identities.
///   `--participant` fields (by channel or `PA…` SID) override.
public struct TwilioRoomMerge: Sendable {
    /// One downloaded audio track recording.
    public struct Recording: Sendable, Hashable {
        /// `RT…`
        public var sid: String
        /// `PA…`
        public var participantSID: String
        /// The recording's `offset` in milliseconds (the room's clock; nil when not listed).
        public var offsetMilliseconds: Int64?
        /// The downloaded file.
        public var path: String
        /// Twilio's `size` in bytes, checked against the file when given.
        public var sizeBytes: Int64?

        public init(sid: String, participantSID: String, offsetMilliseconds: Int64?, path: String, sizeBytes: Int64? = nil) {
            self.sid = sid
            self.participantSID = participantSID
            self.offsetMilliseconds = offsetMilliseconds
            self.path = path
            self.sizeBytes = sizeBytes
        }
    }

    /// One participant of the room (the Participants resource).
    public struct Participant: Sendable, Hashable {
        /// `PA…`
        public var sid: String
        public var identity: String?
        /// When they connected (`start_time`): the default channel order.
        public var joined: Date?

        public init(sid: String, identity: String?, joined: Date? = nil) {
            self.sid = sid
            self.identity = identity
            self.joined = joined
        }

        /// A participant as the Participants resource lists them, `start_time` as Twilio writes
        /// it (ISO 8601, fractional seconds allowed); a time that does not parse counts as
        /// unknown (such participants come after the others in join order).
        public init(sid: String, identity: String?, startTime: String?) {
            self.init(sid: sid, identity: identity, joined: startTime.flatMap(TwilioParticipantList.date))
        }

        /// How messages name them: `alice (PA…)`, or the SID alone.
        var label: String { identity.map { "\($0) (\(sid))" } ?? sid }
    }

    /// One output channel.
    public struct Channel: Sendable, Hashable {
        /// Everybody on it (several: mixed), in join order.
        public var members: [Participant]
        /// Their recordings.
        public var track: MergeTrack
    }

    public var roomSID: String?
    /// People with audio on neither channel (both channels assigned without them), as messages
    /// name them: `alice (PA…, 1 recording)`. Their recordings are not merged.
    public var leftOut: [String]
    /// Channel 1, then channel 2.
    public var channels: [Channel]
    /// The channel map for the manifest, one entry per channel.
    public var participants: [ChannelParticipant]

    /// Plans the merge of a room; see the type's description for the rules. Throws
    /// `invalidArgument` for an assignment that cannot be met (the message lists the room's
    /// participants and the `--channel` syntax), `fileNotFound`/`corruptFile` for a missing
    /// or short download.
    public init(
        roomSID: String?, recordings: [Recording], participants: [Participant],
        channels assignments: [ChannelAssignment] = [], participantOptions: [ParticipantOption] = []
    ) throws(AudioPrepError) {
        for recording in recordings {
            try Self.checkNumbers(recording)
        }
        let people = Self.people(recordings: recordings, participants: participants)
        let members = try Self.assign(people: people, assignments: assignments)
        leftOut = Self.leftOut(people: people, channels: members)
        let base = recordings.compactMap(\.offsetMilliseconds).min() ?? 0
        var channels: [Channel] = []
        for group in members {
            var files: [MergeTrack.File] = []
            for person in group {
                for recording in person.recordings {
                    try Self.checkFile(recording, of: person)
                    let participant = person.participants.first { $0.sid == recording.participantSID }
                    files.append(MergeTrack.File(
                        path: recording.path, offsetNanoseconds: ((recording.offsetMilliseconds ?? base) - base) * 1_000_000,
                        recording: MergeTrack.Recording(
                            sid: recording.sid, participantSID: recording.participantSID, identity: participant?.identity,
                            offsetMilliseconds: recording.offsetMilliseconds)))
                }
            }
            channels.append(Channel(members: group.flatMap(\.participants), track: MergeTrack(files: files)))
        }
        self.roomSID = roomSID
        self.channels = channels
        self.participants = try Self.channelMap(members, options: participantOptions)
    }

    /// A merge of the room's two channels into `output`, with the channel map and room SID set
    /// and alignment by the recordings' timestamps (`automatic`); adjust the rest as needed.
    public func configuration(output: String) -> MergeConfiguration {
        var configuration = MergeConfiguration(tracks: channels.map(\.track), output: output, participants: participants)
        configuration.roomSID = roomSID
        return configuration
    }

    /// The recordings a merge of the room takes, before any is downloaded: those of the people
    /// on the two channels (the same rules as `init`, which this runs up to the file checks),
    /// so that `callprep room` fetches only what it merges and refuses an impossible
    /// assignment before downloading anything. Throws as `init` does for the assignment.
    public static func recordingsToMerge(
        _ recordings: [Recording], participants: [Participant], channels assignments: [ChannelAssignment] = []
    ) throws(AudioPrepError) -> [Recording] {
        for recording in recordings {
            try checkNumbers(recording)
        }
        let members = try assign(people: people(recordings: recordings, participants: participants), assignments: assignments)
        return members.flatMap { $0.flatMap(\.recordings) }
    }

    /// People with audio whom no channel takes.
    static func leftOut(people: [Person], channels: [[Person]]) -> [String] {
        let taken = Set(channels.flatMap { $0.flatMap { $0.participants.map(\.sid) } })
        return people.filter { !$0.recordings.isEmpty && !$0.participants.contains { taken.contains($0.sid) } }.map(\.label)
    }

    // MARK: - People

    /// One person: the participants sharing an identity (or one participant without a known
    /// identity) and their recordings.
    struct Person {
        var identity: String?
        var participants: [Participant]
        var recordings: [Recording]
        var joined: Date?
        var firstSeen: Int

        var label: String {
            let sids = participants.map(\.sid).joined(separator: ", ")
            let count = "\(recordings.count) recording\(recordings.count == 1 ? "" : "s")"
            return identity.map { "\($0) (\(sids), \(count))" } ?? "\(sids) (\(count))"
        }
        /// What `--channel` would call them.
        var name: String { identity ?? participants[0].sid }
    }

    /// Everybody known, grouped into people, in join order (then first mention); recordings of
    /// a participant the Participants resource does not list make a person of their own.
    static func people(recordings: [Recording], participants: [Participant]) -> [Person] {
        var all = participants
        for recording in recordings where !all.contains(where: { $0.sid == recording.participantSID }) {
            all.append(Participant(sid: recording.participantSID, identity: nil))
        }
        var people: [Person] = []
        for (index, participant) in all.enumerated() {
            let own = recordings.filter { $0.participantSID == participant.sid }
            if let identity = participant.identity, let at = people.firstIndex(where: { $0.identity == identity }) {
                people[at].participants.append(participant)
                people[at].recordings += own
                if let joined = participant.joined { people[at].joined = min(people[at].joined ?? joined, joined) }
            } else {
                people.append(Person(identity: participant.identity, participants: [participant], recordings: own, joined: participant.joined, firstSeen: index))
            }
        }
        return people.sorted { a, b in
            (a.joined ?? .distantFuture, a.firstSeen) < (b.joined ?? .distantFuture, b.firstSeen)
        }
    }

    /// The people on channel 1 and channel 2.
    static func assign(people: [Person], assignments: [ChannelAssignment]) throws(AudioPrepError) -> [[Person]] {
        let speaking = people.filter { !$0.recordings.isEmpty }
        let listed = speaking.map(\.label).joined(separator: "; ")
        let example = speaking.count >= 2
            ? "--channel 1=\(speaking[0].name) --channel 2=\(speaking.dropFirst().map(\.name).joined(separator: ","))"
            : "--channel 1=agent --channel 2=alice,bob"
        guard !assignments.isEmpty else {
            guard speaking.count == 2 else {
                if speaking.count > 2 {
                    throw AudioPrepError(
                        .invalidArgument,
                        "the room has \(speaking.count) participants with audio: \(listed). Say who goes on which channel (several on one channel are mixed), e.g. \(example).")
                }
                throw AudioPrepError(
                    .invalidArgument,
                    "a merge needs two participants with audio, but the room has \(speaking.count)\(speaking.isEmpty ? "" : ": \(listed)"). Check that every audio recording was downloaded and listed.")
            }
            return speaking.map { [$0] }
        }
        var channels: [[Person]] = [[], []]
        var taken: [Int: Int] = [:]  // person index → channel
        for assignment in assignments {
            for who in assignment.members {
                let matches = people.indices.filter { index in
                    people[index].identity == who || people[index].participants.contains { $0.sid == who }
                }
                guard let index = matches.first else {
                    throw AudioPrepError(
                        .invalidArgument,
                        "--channel \(assignment.channel)=\(who): no participant of the room has that identity or PA… SID. Participants with audio: \(listed.isEmpty ? "none" : listed).")
                }
                guard !people[index].recordings.isEmpty else {
                    throw AudioPrepError(
                        .invalidArgument,
                        "--channel \(assignment.channel)=\(who): \(people[index].label) has no audio recording. Participants with audio: \(listed.isEmpty ? "none" : listed).")
                }
                if let other = taken[index] {
                    throw AudioPrepError(
                        .invalidArgument,
                        "\(people[index].name) is named \(other == assignment.channel ? "twice on channel \(other)" : "on both channel \(other) and channel \(assignment.channel)"); put each participant on one channel.")
                }
                taken[index] = assignment.channel
                channels[assignment.channel - 1].append(people[index])
            }
        }
        for channel in 1...2 where !assignments.contains(where: { $0.channel == channel }) {
            channels[channel - 1] = people.indices.filter { taken[$0] == nil && !people[$0].recordings.isEmpty }.map { people[$0] }
            guard !channels[channel - 1].isEmpty else {
                throw AudioPrepError(
                    .invalidArgument,
                    "channel \(channel) has nobody: every participant with audio is on channel \(3 - channel). Participants with audio: \(listed). Name channel \(channel)'s too, e.g. \(example).")
            }
        }
        return channels.map { group in group.sorted { ($0.joined ?? .distantFuture, $0.firstSeen) < ($1.joined ?? .distantFuture, $1.firstSeen) } }
    }

    // MARK: - Checks

    /// Numbers from Twilio are untrusted: an offset outside `TwilioRecordingList.offsetRange` or
    /// a negative size is refused, naming the recording and the field.
    static func checkNumbers(_ recording: Recording) throws(AudioPrepError) {
        if let offset = recording.offsetMilliseconds, !TwilioRecordingList.offsetRange.contains(offset) {
            throw AudioPrepError(
                .invalidArgument,
                "recording \(recording.sid) has offset \(offset) ms, outside 0…\(TwilioRecordingList.offsetRange.upperBound) ms (Twilio's offsets are milliseconds, positive and far smaller); the recording list is damaged or not Twilio's.")
        }
        if let size = recording.sizeBytes, !TwilioRecordingList.sizeRange.contains(size) {
            throw AudioPrepError(
                .invalidArgument,
                "recording \(recording.sid) has size \(size) bytes, outside 0…\(TwilioRecordingList.sizeRange.upperBound); the recording list is damaged or not Twilio's.")
        }
    }

    /// The recording's file must be there, and as large as Twilio says.
    static func checkFile(_ recording: Recording, of person: Person) throws(AudioPrepError) {
        var info = stat()
        guard stat(recording.path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
            throw AudioPrepError(
                .fileNotFound, path: recording.path,
                "recording \(recording.sid) of \(person.name) (\(recording.participantSID)) has no file here; without it part of their speech would be missing. Download it (GET https://video.twilio.com/v1/Rooms/RM…/Recordings/\(recording.sid)/Media) to this path.")
        }
        if let expected = recording.sizeBytes, let actual = try? FileDigest.size(path: recording.path), actual != expected {
            throw AudioPrepError(
                .corruptFile, path: recording.path,
                "recording \(recording.sid) is \(expected) bytes according to Twilio, but the file has \(actual); the download is incomplete or of another recording. Download it again.")
        }
    }

    /// The manifest's channel map: the members' identities and SIDs, then `options` on top.
    static func channelMap(_ channels: [[Person]], options: [ParticipantOption]) throws(AudioPrepError) -> [ChannelParticipant] {
        var map: [ChannelParticipant] = []
        for (index, people) in channels.enumerated() {
            var entry = ChannelParticipant(channelParticipant: index + 1)
            let identities = people.compactMap(\.identity)
            if !identities.isEmpty { entry.fullName = identities.joined(separator: ", ") }
            if people.count == 1 {
                entry.userID = people[0].identity
                entry.mediaParticipantID = people[0].participants.filter { p in people[0].recordings.contains { $0.participantSID == p.sid } }
                    .map(\.sid).joined(separator: ",")
            }
            map.append(entry)
        }
        for option in options {
            let channel: Int
            switch option.target {
            case .channel(let number): channel = number
            case .participantSID(let sid):
                guard let found = channels.firstIndex(where: { $0.contains { $0.participants.contains { $0.sid == sid } } }) else {
                    throw AudioPrepError(
                        .invalidArgument,
                        "--participant \(sid): that participant is on neither channel. On the channels: \(channels.flatMap { $0 }.map(\.label).joined(separator: "; ")).")
                }
                channel = found + 1
            }
            var entry = map[channel - 1]
            let given = option.participant
            if let value = given.role { entry.role = value }
            if let value = given.fullName { entry.fullName = value }
            if let value = given.userID { entry.userID = value }
            if let value = given.email { entry.email = value }
            if let value = given.mediaParticipantID { entry.mediaParticipantID = value }
            if let value = given.imageURL { entry.imageURL = value }
            map[channel - 1] = entry
        }
        return map
    }
}
