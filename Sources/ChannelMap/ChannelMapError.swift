/// A channel map that cannot be used: a malformed `--participant` value or a manifest without
/// a usable `participants` array. The message names the flag, field or file and what to do.
public struct ChannelMapError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier for the kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A `--participant` value that does not parse.
        public static let invalidParticipant = Code(rawValue: "invalid_participant")
        /// The manifest file does not exist or cannot be read.
        public static let unreadableManifest = Code(rawValue: "unreadable_manifest")
        /// The manifest is not JSON with a valid `participants` array.
        public static let invalidManifest = Code(rawValue: "invalid_manifest")
    }

    public var code: Code
    /// The flag, JSON field or file concerned, e.g. `--participant` or `out.manifest.json`.
    public var subject: String
    /// What went wrong and what to do about it.
    public var message: String

    public init(_ code: Code, subject: String, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
