/// The fields of a FLAC frame header (RFC 9639 §9.1) that decoding needs.
struct FLACFrameHeader {
    /// The largest block a frame header can state (a 16-bit size minus one, plus one).
    static let maxBlockSize = 65536

    /// How the channels are coded.
    enum ChannelCoding: Equatable {
        /// `count` channels, each coded on its own.
        case independent(count: Int)
        /// Left, then left − right.
        case leftSide
        /// Left − right, then right.
        case sideRight
        /// (left + right) / 2, then left − right.
        case midSide

        var channels: Int {
            if case .independent(let count) = self { return count }
            return 2
        }

        /// Which subframe holds the difference signal, which is one bit wider.
        var sideChannel: Int? {
            switch self {
            case .independent: nil
            case .leftSide, .midSide: 1
            case .sideRight: 0
            }
        }
    }

    var blockSize: Int
    var coding: ChannelCoding
    /// 0 when the frame defers to STREAMINFO.
    var bitsPerSample: Int
    /// True for a variable-blocksize stream, whose frames carry the number of their first
    /// sample; false for a fixed-blocksize one, whose frames carry their frame number.
    var numbersSamples: Bool
    /// The frame number (fixed blocksize, < 2³¹) or first sample number (variable, < 2³⁶).
    var number: UInt64

    /// Parses the header at `reader`'s byte-aligned position and checks its CRC-8; on success the
    /// reader is left at the first subframe.
    static func parse(_ reader: inout FLACBitReader) throws(FLACFrameFailure) -> FLACFrameHeader {
        let start = reader.byteOffset
        // Sync (15 bits) and blocking strategy (1 bit), then four 4-bit codes and a reserved bit.
        guard reader.position &+ 32 <= reader.limit else { throw .needsMoreBytes }
        let sync = reader.read(15)
        guard sync == 0x7FFC else { throw .lostSync }
        let numbersSamples = reader.read(1) == 1
        let blockCode = Int(reader.read(4))
        let rateCode = Int(reader.read(4))
        let channelCode = Int(reader.read(4))
        let sizeCode = Int(reader.read(3))
        let reserved = reader.read(1)
        guard blockCode != 0 else { throw .invalid("a frame header uses the reserved block size code 0") }
        guard rateCode != 15 else { throw .invalid("a frame header uses the invalid sample rate code 15") }
        guard channelCode <= 10 else { throw .invalid("a frame header uses the reserved channel code \(channelCode)") }
        guard sizeCode != 3 else { throw .invalid("a frame header uses the reserved sample size code 3") }
        guard reserved == 0 else { throw .invalid("a frame header sets its reserved bit") }

        // The frame or sample number, coded like UTF-8 in 1…7 bytes: the lead byte's value bits,
        // then six bits from each continuation byte (at most 36 bits in all). A frame at the end
        // of the file may be short: each field is read only once the reader is still within the
        // bytes in memory (the padding covers the read itself).
        let lead = reader.read(8)
        let continuation: Int
        var number: UInt64
        switch lead {
        case 0x00...0x7F: continuation = 0; number = UInt64(lead)
        case 0xC0...0xDF: continuation = 1; number = UInt64(lead & 0x1F)
        case 0xE0...0xEF: continuation = 2; number = UInt64(lead & 0x0F)
        case 0xF0...0xF7: continuation = 3; number = UInt64(lead & 0x07)
        case 0xF8...0xFB: continuation = 4; number = UInt64(lead & 0x03)
        case 0xFC...0xFD: continuation = 5; number = UInt64(lead & 0x01)
        case 0xFE: continuation = 6; number = 0
        default: throw .invalid("a frame header's frame number is not validly coded")
        }
        for _ in 0..<continuation {
            if reader.overran { throw .needsMoreBytes }
            let byte = reader.read(8)
            if byte & 0xC0 != 0x80 { throw .invalid("a frame header's frame number is not validly coded") }
            number = number << 6 | UInt64(byte & 0x3F)
        }

        if reader.overran { throw .needsMoreBytes }
        let blockSize: Int
        switch blockCode {
        case 1: blockSize = 192
        case 2...5: blockSize = 576 << (blockCode - 2)
        case 6: blockSize = Int(reader.read(8)) + 1
        case 7: blockSize = Int(reader.read(16)) + 1
        default: blockSize = 256 << (blockCode - 8)
        }
        if reader.overran { throw .needsMoreBytes }
        switch rateCode {
        case 12: _ = reader.read(8)
        case 13, 14: _ = reader.read(16)
        default: break
        }
        if reader.overran { throw .needsMoreBytes }
        let end = reader.byteOffset
        let crc = UInt8(reader.read(8))
        if reader.overran { throw .needsMoreBytes }
        let computed = FLACChecksums.crc8(UnsafeRawBufferPointer(start: reader.base + start, count: end - start))
        guard crc == computed else { throw .invalid("a frame header does not match its checksum") }

        let coding: ChannelCoding
        switch channelCode {
        case 8: coding = .leftSide
        case 9: coding = .sideRight
        case 10: coding = .midSide
        default: coding = .independent(count: channelCode + 1)
        }
        let bits = switch sizeCode {
        case 1: 8
        case 2: 12
        case 4: 16
        case 5: 20
        case 6: 24
        case 7: 32
        default: 0
        }
        return FLACFrameHeader(
            blockSize: blockSize, coding: coding, bitsPerSample: bits, numbersSamples: numbersSamples, number: number)
    }
}

/// Why a frame could not be decoded from the bytes in memory.
enum FLACFrameFailure: Error {
    /// The bytes at a frame boundary are not a frame's sync code.
    case lostSync
    /// The frame uses coding the format reserves or forbids, or a checksum does not match; the
    /// text says which, in a person's words.
    case invalid(String)
    /// The frame continues past the bytes in memory.
    case needsMoreBytes
}
