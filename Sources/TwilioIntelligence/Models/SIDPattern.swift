/// The 34-character SID shapes the API uses: a two-letter prefix and 32 hex digits.
public struct SIDPattern: Sendable {
    /// The two-letter prefix, e.g. `GA`.
    public let prefix: String

    /// Account `AC…`.
    public static let account = SIDPattern(prefix: "AC")
    /// API key `SK…`.
    public static let apiKey = SIDPattern(prefix: "SK")
    /// Intelligence Service `GA…`.
    public static let service = SIDPattern(prefix: "GA")
    /// Transcript `GT…`.
    public static let transcript = SIDPattern(prefix: "GT")
    /// Operator `LY…`.
    public static let `operator` = SIDPattern(prefix: "LY")
    /// Recording `RE…`.
    public static let recording = SIDPattern(prefix: "RE")
    /// Credential `CR…`.
    public static let credential = SIDPattern(prefix: "CR")
    /// Video room `RM…`.
    public static let room = SIDPattern(prefix: "RM")
    /// Video room participant `PA…`.
    public static let participant = SIDPattern(prefix: "PA")
    /// Video track recording `RT…`.
    public static let trackRecording = SIDPattern(prefix: "RT")
    /// Video composition `CJ…`.
    public static let composition = SIDPattern(prefix: "CJ")

    /// Whether `value` is exactly this prefix followed by 32 hex digits.
    public func matches(_ value: String) -> Bool {
        let utf8 = Array(value.utf8)
        guard utf8.count == 34, value.hasPrefix(prefix) else { return false }
        return utf8[2...].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }

    /// Throws ``IntelligenceClientError/invalidInput(field:message:)`` naming `field` unless
    /// `value` matches.
    public func validate(_ value: String, field: String) throws(IntelligenceClientError) {
        guard matches(value) else {
            throw .invalidInput(field: field, message: "must be \(prefix) followed by 32 hex digits (34 characters); got \(value.debugDescription)")
        }
    }
}
