import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One object of a saved Twilio list, read field by field in either spelling: the API's
/// snake_case (`participant_sid`) or twilio-cli's camelCase (`participantSid`), whose nested
/// objects keep the API's keys. Numbers are kept as decoded (a whole number, even written
/// `1.5e3`, as an integer; others as a double), so a value out of range or not whole can be
/// named in the error instead of failing the whole decode.
struct TwilioJSONObject {
    private let fields: JSONValue

    /// The items of a saved list: the array under `key` of an API page, or a top-level array
    /// (twilio-cli's `-o json`).
    static func list(in data: Data, key: String) throws -> [TwilioJSONObject] {
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        let items = if case .array = value { value } else { value[key] }
        guard case .array(let array)? = items else { throw NotAList() }
        return try array.map { item in
            guard case .object = item else { throw NotAList() }
            return TwilioJSONObject(fields: item)
        }
    }

    private func value(_ key: String) -> JSONValue? {
        if let value = fields[key], value != .null { return value }
        if let value = fields[Self.camelCase(key)], value != .null { return value }
        return nil
    }

    func string(_ key: String) -> String? {
        value(key)?.stringValue
    }

    func object(_ key: String) -> TwilioJSONObject? {
        guard let value = value(key), case .object = value else { return nil }
        return TwilioJSONObject(fields: value)
    }

    /// The whole number at `key` (a JSON number or a numeric string) inside `range`; nil when
    /// absent; `failure(asWritten)` when it is not a whole number in the range.
    func integer(_ key: String, in range: ClosedRange<Int64>, failure: (String) -> AudioPrepError) throws(AudioPrepError) -> Int64? {
        guard let raw = value(key) else { return nil }
        let text: String
        switch raw {
        case .string(let string): text = string
        case .int(let number): text = String(number)
        case .double(let number): text = String(number)
        case .bool(let flag): throw failure(String(flag))
        case .array: throw failure("an array")
        case .object: throw failure("an object")
        case .null: throw failure("null")
        }
        guard let whole = Int64(text), range.contains(whole) else {
            throw failure(text)
        }
        return whole
    }

    /// The JSON is valid but not a list of objects; callers say what was expected.
    struct NotAList: Error {}

    /// `participant_sid` → `participantSid`.
    static func camelCase(_ key: String) -> String {
        var result = ""
        var upper = false
        for character in key {
            if character == "_" {
                upper = true
            } else {
                result += upper ? character.uppercased() : String(character)
                upper = false
            }
        }
        return result
    }
}
