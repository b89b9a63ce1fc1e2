/// Why a job description (a line of a jobs file) was refused: a stable ``code``, the line it
/// came from (1-based, when it came from a file), the key at fault as a dotted path
/// (`merge.sample_rate`, `participants[1].channel`) and what to do about it.
public struct JobSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable reason.
    public let code: Code
    /// The line of the jobs file, 1-based; nil for a job not read from a file.
    public let line: Int?
    /// The key at fault, as a dotted path; nil when the line as a whole is wrong.
    public let key: String?
    /// What is wrong and what to do, in words.
    public let message: String

    /// Creates an error.
    public init(code: Code, line: Int? = nil, key: String? = nil, message: String) {
        self.code = code
        self.line = line
        self.key = key
        self.message = message
    }

    /// The same error, said of `line`.
    public func at(line: Int) -> JobSpecError {
        JobSpecError(code: code, line: line, key: key, message: message)
    }

    /// `line 3: unknown_key "colour": …`
    public var description: String {
        var text = ""
        if let line { text += "line \(line): " }
        text += code.rawValue
        if let key { text += " \"\(key)\"" }
        return text + ": " + message
    }

    /// A stable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The line is not one JSON object.
        public static let invalidJSON = Code(rawValue: "invalid_json")
        /// A key the job format does not have (a typo, or a field of a later version).
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A key the job needs is absent.
        public static let missingKey = Code(rawValue: "missing_key")
        /// A value has the wrong type or is out of range.
        public static let invalidValue = Code(rawValue: "invalid_value")
    }
}
