/// A job's name, chosen by whoever adds it (`call-2026-12-05-0001`): 1 to 128 characters from
/// `A-Z a-z 0-9 . _ : -`. It names the job's output folder (`OUT/ID/`) and the CustomerKey sent
/// to Intelligence, so it is checked once here and can then be used in paths and requests as is.
public struct JobID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The most characters an id may have.
    public static let maximumLength = 128

    /// The id as text.
    public let rawValue: String

    /// Checks `text`; throws a ``JobSpecError`` (`invalid_value`, key `id`) that says the rule.
    public init(_ text: String) throws(JobSpecError) {
        guard let problem = Self.problem(with: text) else {
            self.rawValue = text
            return
        }
        throw JobSpecError(code: .invalidValue, key: "id", message: problem)
    }

    /// What is wrong with `text` as an id, or nil when it is a valid one.
    public static func problem(with text: String) -> String? {
        let count = text.utf8.count
        if count == 0 { return "the job id is empty; give 1 to \(maximumLength) characters from A-Z a-z 0-9 . _ : -" }
        if count > maximumLength {
            return "the job id has \(count) characters; at most \(maximumLength) are allowed"
        }
        if let bad = text.unicodeScalars.first(where: { !isAllowed($0) }) {
            let shown = bad.properties.generalCategory == .control || bad == " " ? "U+\(hex(bad.value))" : "'\(bad)'"
            return "the job id \"\(text.unicodeScalars.allSatisfy(\.isASCII) ? text : "…")\" contains \(shown); use only A-Z a-z 0-9 . _ : -"
        }
        if text == "." || text == ".." {
            return "the job id \"\(text)\" would name a parent or current folder; choose another"
        }
        return nil
    }

    public var description: String { rawValue }

    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if let problem = Self.problem(with: text) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem))
        }
        self.rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", ":", "-": true
        default: false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
