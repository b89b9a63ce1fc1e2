/// The recordings that make up one output channel: usually one file, several when a participant
/// reconnected (each reconnect starts a new Twilio track recording).
///
/// Several files are laid on one timeline at their own container times
/// (`TimelineSequenceSource`), so they must be timestamped (Matroska/WebM). Files that overlap
/// in time (several participants on one channel, or one participant's overlapping recordings)
/// are mixed: each run of files that do not overlap is one stream, and the streams are summed
/// in float (`ChannelMix`). Files of different participants (`File.recording`) are always
/// separate streams, so a participant's speech is never cut to make room for another's.
public struct MergeTrack: Sendable, Hashable {
    /// Where a file came from in Twilio: the track recording and its participant, recorded in
    /// the manifest so that each input can be traced back to the room.
    public struct Recording: Sendable, Hashable, Codable {
        /// The track recording's SID, `RT…`.
        public var sid: String
        /// The participant's SID, `PA…` (`grouping_sids.participant_sid`).
        public var participantSID: String?
        /// The participant's identity, when the Participants resource was read.
        public var identity: String?
        /// The recording's `offset` in the Recordings list, in milliseconds (the room's clock).
        public var offsetMilliseconds: Int64?

        public init(sid: String, participantSID: String? = nil, identity: String? = nil, offsetMilliseconds: Int64? = nil) {
            self.sid = sid
            self.participantSID = participantSID
            self.identity = identity
            self.offsetMilliseconds = offsetMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case sid, identity
            case participantSID = "participant_sid"
            case offsetMilliseconds = "offset_ms"
        }
    }

    /// One recording of the channel's participant.
    public struct File: Sendable, Hashable {
        public var path: String
        /// Added to the file's own container start time, in nanoseconds: for Twilio recordings,
        /// `offset − min(offset)` from the Recordings list (0 within one room).
        public var offsetNanoseconds: Int64
        /// How the file is named in the manifest, the FLAC's tags and messages, when not by
        /// `path`: e.g. `-` for standard input that the CLI copied to a temporary file.
        public var label: String?
        /// The Twilio recording this file is, when known: recorded in the manifest, and its
        /// participant keeps the file in a stream of its own when a channel mixes several.
        public var recording: Recording?

        public init(path: String, offsetNanoseconds: Int64 = 0, label: String? = nil, recording: Recording? = nil) {
            self.path = path
            self.offsetNanoseconds = offsetNanoseconds
            self.label = label
            self.recording = recording
        }

        /// `label`, else `path`.
        public var name: String { label ?? path }
    }

    public var files: [File]

    public init(files: [File]) {
        self.files = files
    }

    /// One file, no offset.
    public init(path: String) {
        self.files = [File(path: path)]
    }

}
