/// Reads a FLAC frame's bits, most significant first, from bytes already in memory.
///
/// Every read is a single unaligned 8-byte big-endian load at the current byte, shifted to the
/// current bit: at least 57 bits are then in hand, enough for any field FLAC has (≤ 36 bits) and
/// for most Rice codes in one step. The reader never checks bounds per read; instead the buffer
/// it reads must hold `FLACBitReader.padding` readable bytes past `limit`, and every loop that
/// reads checks `overran` (one comparison) before each read, so a read can start at most at
/// `limit` and end inside the padding. A frame that needs bytes beyond `limit` is noticed there
/// and decoded again once more of the file is in memory.
struct FLACBitReader {
    /// Readable bytes that must follow the last valid byte.
    static let padding = 16

    let base: UnsafePointer<UInt8>
    /// The next bit to read, counted from `base`.
    var position: Int
    /// The number of valid bits from `base`.
    let limit: Int

    init(base: UnsafePointer<UInt8>, byteOffset: Int, validBytes: Int) {
        self.base = base
        self.position = byteOffset &* 8
        self.limit = validBytes &* 8
    }

    /// True once a read went past the valid bytes (its value came from the padding).
    @inline(__always) var overran: Bool { position > limit }

    /// The 64 bits from `position` on; the first 57 are always from the buffer.
    @inline(__always) func peek() -> UInt64 {
        let word = UnsafeRawPointer(base + (position &>> 3)).loadUnaligned(as: UInt64.self)
        return UInt64(bigEndian: word) &<< UInt64(position & 7)
    }

    /// The next `count` bits (0…32) as an unsigned value.
    @inline(__always) mutating func read(_ count: Int) -> UInt32 {
        let value = (peek() &>> 1) &>> UInt64(63 &- count)
        position &+= count
        return UInt32(truncatingIfNeeded: value)
    }

    /// The next `count` bits (0…36) as an unsigned value.
    @inline(__always) mutating func readWide(_ count: Int) -> UInt64 {
        let value = (peek() &>> 1) &>> UInt64(63 &- count)
        position &+= count
        return value
    }

    /// The next `count` bits (1…32) as a two's-complement signed value.
    @inline(__always) mutating func readSigned(_ count: Int) -> Int32 {
        let value = Int64(bitPattern: peek()) &>> Int64(64 &- count)
        position &+= count
        return Int32(truncatingIfNeeded: value)
    }

    /// A unary-coded number: the count of 0 bits before the next 1 bit, which is consumed.
    /// Returns nil when the run passes the valid bytes.
    @inline(__always) mutating func readUnary() -> Int? {
        var zeros = 0
        while true {
            if overran { return nil }
            let word = peek() | 0x7F  // only the first 57 bits count
            let run = word.leadingZeroBitCount
            if run < 57 {
                position &+= run &+ 1
                return zeros &+ run
            }
            position &+= 57
            zeros &+= 57
        }
    }

    /// Skips to the next byte boundary.
    @inline(__always) mutating func alignToByte() {
        position = (position &+ 7) & ~7
    }

    var byteOffset: Int { position &>> 3 }
}
