/// The recordings that make up one output channel: usually one file, several when a participant
/// reconnected (each reconnect starts a new Twilio track recording).
///
/// Several files are laid on one timeline at their own container times
/// (`TimelineSequenceSource`), so they must be timestamped (Matroska/WebM) and must not overlap.
public struct MergeTrack: Sendable, Hashable {
    /// One recording of the channel's participant.
    public struct File: Sendable, Hashable {
        public var path: String
        /// Added to the file's own container start time, in nanoseconds: for Twilio recordings,
        /// `offset − min(offset)` from the Recordings list (0 within one room).
        public var offsetNanoseconds: Int64
        /// How the file is named in the manifest, the FLAC's tags and messages, when not by
        /// `path`: e.g. `-` for standard input that the CLI copied to a temporary file.
        public var label: String?

        public init(path: String, offsetNanoseconds: Int64 = 0, label: String? = nil) {
            self.path = path
            self.offsetNanoseconds = offsetNanoseconds
            self.label = label
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

    /// Whether the channel must be built by laying files on a timeline (several files, or an offset).
    var needsTimeline: Bool {
        files.count > 1 || files.contains { $0.offsetNanoseconds != 0 }
    }
}
