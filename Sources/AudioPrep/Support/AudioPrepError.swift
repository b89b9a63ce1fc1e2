/// A failure in AudioPrep: what went wrong, with which file, and what to do about it.
///
/// `code` is stable (tools may match on it and it appears in `--json` output); `message` is for
/// people and always ends with a remedy where one exists.
public struct AudioPrepError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier for the kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The path does not exist.
        public static let fileNotFound = Code(rawValue: "file_not_found")
        /// The path exists but cannot be read (permissions, I/O error).
        public static let unreadable = Code(rawValue: "unreadable")
        /// The path is a directory or another non-regular file.
        public static let notAFile = Code(rawValue: "not_a_file")
        /// The file is empty.
        public static let emptyFile = Code(rawValue: "empty_file")
        /// The bytes are not an audio format callprep reads.
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
        /// The file looks like a known format but its structure is damaged or truncated.
        public static let corruptFile = Code(rawValue: "corrupt_file")
        /// A decoder failed while reading samples.
        public static let decodeFailed = Code(rawValue: "decode_failed")
        /// An output could not be written.
        public static let writeFailed = Code(rawValue: "write_failed")
        /// The caller asked for something that cannot be done (bad option values).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The work was cancelled.
        public static let cancelled = Code(rawValue: "cancelled")
        /// The output path names an existing file and overwriting was not allowed.
        public static let outputExists = Code(rawValue: "output_exists")
        /// The output path is one of the inputs.
        public static let outputIsInput = Code(rawValue: "output_is_input")
        /// A track or the merged result is outside the limits Intelligence accepts (rate, duration).
        public static let outOfLimits = Code(rawValue: "out_of_limits")
        /// A library call failed in a way callprep did not expect.
        public static let internalError = Code(rawValue: "internal_error")
    }

    public var code: Code
    /// The file concerned, when there is one.
    public var path: String?
    /// What went wrong and, where possible, what to do about it.
    public var message: String

    public init(_ code: Code, path: String? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
