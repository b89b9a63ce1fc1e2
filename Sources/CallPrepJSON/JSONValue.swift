/// A JSON document as callprep prints and writes it: objects keep their members in the order
/// they were built (the order is part of each output's documented contract), and integers stay
/// apart from doubles so `frames` prints as `4800` and `duration_seconds` as `0.3`.
///
/// Every JSON text the tool produces goes through this one type and its writer
/// (``serialized(_:)``): `probe`/`validate --json`, the merge manifest, `merge --json`, the API
/// commands' `--json` output and the `{"error": …}` object of a failure.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A floating-point number. Non-finite values are written as `null` and `-0.0` as `0.0`.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in output order. Keys should be unique; the writer does not check.
    case object([Member])

    /// One member of an object: a key and its value.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from a literal, members in the order written: `.object(["path": .string(p)])`.
    public static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { Member($0.key, $0.value) })
    }

    /// The value of `key` when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
