/// Turns any `Encodable` value (the merge manifest, the API's models) into a ``JSONValue``, so
/// Codable types are printed by the same writer as hand-built documents. Integers stay
/// integers and doubles stay doubles; optionals encoded with `encodeIfPresent` (what
/// synthesized conformances do) are left out, as `JSONEncoder` leaves them out.
public struct JSONValueEncoder: Sendable {
    /// The order of an object's members.
    public enum KeyOrder: Sendable {
        /// Sorted by key (by Unicode scalar values), whatever order they were encoded in.
        case sorted
        /// The order `encode(to:)` wrote them in (for synthesized conformances: the order of the `CodingKeys` cases).
        case encoded
    }

    public var keyOrder: KeyOrder

    public init(keyOrder: KeyOrder = .sorted) {
        self.keyOrder = keyOrder
    }

    /// The document `value` encodes to.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = EncodingSlot()
        try value.encode(to: SlotEncoder(slot: root, codingPath: []))
        return root.resolved(keyOrder)
    }
}

/// A place in the document being built; containers hand out child slots and fill them later.
final class EncodingSlot {
    enum Content {
        case unset
        case leaf(JSONValue)
        case object([(key: String, slot: EncodingSlot)])
        case array([EncodingSlot])
    }

    var content: Content = .unset

    func resolved(_ order: JSONValueEncoder.KeyOrder) -> JSONValue {
        switch content {
        case .unset: return .object([])
        case .leaf(let value): return value
        case .array(let items): return .array(items.map { $0.resolved(order) })
        case .object(let members):
            var result = members.map { JSONValue.Member($0.key, $0.slot.resolved(order)) }
            if order == .sorted {
                result.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            }
            return .object(result)
        }
    }

    /// The child slot for `key`, created on first use (a key encoded twice keeps its place).
    func member(_ key: String) -> EncodingSlot {
        if case .object(var members) = content {
            if let existing = members.first(where: { $0.key == key }) { return existing.slot }
            let child = EncodingSlot()
            members.append((key, child))
            content = .object(members)
            return child
        }
        let child = EncodingSlot()
        content = .object([(key, child)])
        return child
    }

    func appendElement() -> EncodingSlot {
        let child = EncodingSlot()
        if case .array(var items) = content {
            items.append(child)
            content = .array(items)
        } else {
            content = .array([child])
        }
        return child
    }

    func becomeObject() { if case .object = content {} else { content = .object([]) } }
    func becomeArray() { if case .array = content {} else { content = .array([]) } }
}

/// A coding key for positions in arrays and for `super`.
struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The number a binary integer encodes to: `.int` when it fits in 64 signed bits, else `.double`.
func integerValue(_ number: some BinaryInteger) -> JSONValue {
    Int64(exactly: number).map(JSONValue.int) ?? .double(Double(number))
}

struct SlotEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleSlotContainer(slot: slot, codingPath: codingPath)
    }
}

struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { slot.member(key.stringValue).content = .leaf(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(integerValue(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(integerValue(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: SlotEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.member(key.stringValue)
        child.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.member(key.stringValue)
        child.becomeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        SlotEncoder(slot: slot.member("super"), codingPath: codingPath + [IndexKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SlotEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
    }
}

struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(slot: EncodingSlot, codingPath: [any CodingKey]) {
        self.slot = slot
        self.codingPath = codingPath
    }

    private mutating func next() -> EncodingSlot {
        count += 1
        return slot.appendElement()
    }

    private mutating func append(_ value: JSONValue) { next().content = .leaf(value) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { append(integerValue(value)) }
    mutating func encode(_ value: Int8) throws { append(integerValue(value)) }
    mutating func encode(_ value: Int16) throws { append(integerValue(value)) }
    mutating func encode(_ value: Int32) throws { append(integerValue(value)) }
    mutating func encode(_ value: Int64) throws { append(integerValue(value)) }
    mutating func encode(_ value: UInt) throws { append(integerValue(value)) }
    mutating func encode(_ value: UInt8) throws { append(integerValue(value)) }
    mutating func encode(_ value: UInt16) throws { append(integerValue(value)) }
    mutating func encode(_ value: UInt32) throws { append(integerValue(value)) }
    mutating func encode(_ value: UInt64) throws { append(integerValue(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(intValue: count)]
        try value.encode(to: SlotEncoder(slot: next(), codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(intValue: count)]
        let child = next()
        child.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [IndexKey(intValue: count)]
        let child = next()
        child.becomeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [IndexKey(intValue: count)]
        return SlotEncoder(slot: next(), codingPath: path)
    }
}

struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue) { slot.content = .leaf(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.double(value)) }
    mutating func encode(_ value: Float) throws { set(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { set(integerValue(value)) }
    mutating func encode(_ value: Int8) throws { set(integerValue(value)) }
    mutating func encode(_ value: Int16) throws { set(integerValue(value)) }
    mutating func encode(_ value: Int32) throws { set(integerValue(value)) }
    mutating func encode(_ value: Int64) throws { set(integerValue(value)) }
    mutating func encode(_ value: UInt) throws { set(integerValue(value)) }
    mutating func encode(_ value: UInt8) throws { set(integerValue(value)) }
    mutating func encode(_ value: UInt16) throws { set(integerValue(value)) }
    mutating func encode(_ value: UInt32) throws { set(integerValue(value)) }
    mutating func encode(_ value: UInt64) throws { set(integerValue(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: SlotEncoder(slot: slot, codingPath: codingPath))
    }
}
