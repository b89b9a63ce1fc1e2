/// A bounds-checked cursor over bytes already read from a container (a block header, an
/// OpusHead, an MP4 box payload).
///
/// Every read checks the remaining length first and throws `ByteCursor.Overrun` instead of
/// trapping, so damaged bytes can never crash a parser.
struct ByteCursor {
    /// Thrown when a read needs more bytes than remain; callers turn it into a `corruptFile` error.
    struct Overrun: Error {}

    private let bytes: [UInt8]
    private(set) var position: Int

    init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// The bytes not yet read.
    var remaining: Int { bytes.count - position }

    mutating func skip(_ count: Int) throws(Overrun) {
        guard count >= 0, count <= remaining else { throw Overrun() }
        position += count
    }

    mutating func uint8() throws(Overrun) -> UInt8 {
        guard remaining >= 1 else { throw Overrun() }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads `count` (≤ 8) bytes as a big-endian unsigned integer.
    mutating func bigEndian(_ count: Int) throws(Overrun) -> UInt64 {
        guard count >= 0, count <= 8, count <= remaining else { throw Overrun() }
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(bytes[position + i]) }
        position += count
        return value
    }

    /// Reads `count` (≤ 8) bytes as a little-endian unsigned integer.
    mutating func littleEndian(_ count: Int) throws(Overrun) -> UInt64 {
        guard count >= 0, count <= 8, count <= remaining else { throw Overrun() }
        var value: UInt64 = 0
        for i in (0..<count).reversed() { value = value << 8 | UInt64(bytes[position + i]) }
        position += count
        return value
    }

    mutating func uint16BE() throws(Overrun) -> UInt16 { UInt16(try bigEndian(2)) }
    mutating func uint32BE() throws(Overrun) -> UInt32 { UInt32(try bigEndian(4)) }
    mutating func uint64BE() throws(Overrun) -> UInt64 { try bigEndian(8) }
    mutating func uint16LE() throws(Overrun) -> UInt16 { UInt16(try littleEndian(2)) }
    mutating func uint32LE() throws(Overrun) -> UInt32 { UInt32(try littleEndian(4)) }

    /// Reads `count` bytes as a new array (`count` is bounded by what remains).
    mutating func take(_ count: Int) throws(Overrun) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Overrun() }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Reads everything that remains.
    mutating func takeRest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[position...])
    }
}
