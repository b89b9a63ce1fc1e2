/// Rewrites the frame number in the header of a fixed-block-size FLAC frame.
///
/// libFLAC 1.4.2 numbers the frames of every stream it encodes from 0. When a long stream is
/// encoded as independent segments (one encoder per segment, on several cores), each segment's
/// frames must be renumbered to their place in the whole stream. The number is a UTF-8-style
/// variable-length field (RFC 9639 §9.1.5), so its length can change; afterwards the header's
/// CRC-8 is recomputed and the frame's CRC-16 is updated from the old one (only the header changed,
/// and the CRC is linear, so the rest of the frame is not read again).
enum FLACFrameRenumbering {
    /// Returns `frame` with its number replaced by `number`.
    static func renumber(_ frame: UnsafeRawBufferPointer, to number: UInt64) throws(AudioPrepError) -> [UInt8] {
        guard frame.count >= 8, frame[0] == 0xFF, frame[1] & 0xFE == 0xF8 else {
            throw AudioPrepError(.internalError, "libFLAC produced a frame without a frame sync code.")
        }
        let oldNumberLength = codedLength(firstByte: frame[4])
        let blockSizeCode = frame[2] >> 4
        let rateCode = frame[2] & 0x0F
        var extraLength = 0
        if blockSizeCode == 6 { extraLength += 1 } else if blockSizeCode == 7 { extraLength += 2 }
        if rateCode == 12 { extraLength += 1 } else if rateCode == 13 || rateCode == 14 { extraLength += 2 }
        let oldHeaderEnd = 4 + oldNumberLength + extraLength  // index of the CRC-8 byte
        guard oldNumberLength > 0, oldHeaderEnd + 3 <= frame.count else {
            throw AudioPrepError(.internalError, "libFLAC produced a frame header callprep cannot parse.")
        }
        let coded = encode(number)
        var output = [UInt8]()
        output.reserveCapacity(frame.count + coded.count - oldNumberLength)
        output.append(contentsOf: frame[0..<4])
        output.append(contentsOf: coded)
        output.append(contentsOf: frame[(4 + oldNumberLength)..<oldHeaderEnd])
        let crc8 = output.withUnsafeBytes { FLACChecksums.crc8($0) }
        output.append(crc8)
        // CRC-16 of the new frame from the old one: only the headers differ, so
        // crc(new) = crc(old) ⊕ (crc(old header) ⊕ crc(new header)) · x^(8·|rest|).
        let restLength = frame.count - 2 - (oldHeaderEnd + 1)
        let oldCRC16 = UInt16(frame[frame.count - 2]) << 8 | UInt16(frame[frame.count - 1])
        let oldHeaderCRC = FLACChecksums.crc16(UnsafeRawBufferPointer(rebasing: frame[0...oldHeaderEnd]))
        let newHeaderCRC = output.withUnsafeBytes { FLACChecksums.crc16($0) }
        let crc16 = FLACChecksums.crc16Combine(oldHeaderCRC ^ newHeaderCRC, oldCRC16, lengthB: restLength)
        output.append(contentsOf: frame[(oldHeaderEnd + 1)..<(frame.count - 2)])
        output.append(UInt8(crc16 >> 8))
        output.append(UInt8(crc16 & 0xFF))
        return output
    }

    /// The length of the coded number that starts with `firstByte` (0 if invalid).
    static func codedLength(firstByte: UInt8) -> Int {
        switch firstByte {
        case 0x00...0x7F: 1
        case 0xC0...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF7: 4
        case 0xF8...0xFB: 5
        case 0xFC...0xFD: 6
        case 0xFE: 7
        default: 0
        }
    }

    /// The UTF-8-style coding of `value` (up to 36 bits).
    static func encode(_ value: UInt64) -> [UInt8] {
        if value < 0x80 { return [UInt8(value)] }
        let continuation: Int
        let lead: UInt8
        switch value {
        case ..<0x800: continuation = 1; lead = 0xC0
        case ..<0x1_0000: continuation = 2; lead = 0xE0
        case ..<0x20_0000: continuation = 3; lead = 0xF0
        case ..<0x400_0000: continuation = 4; lead = 0xF8
        case ..<0x8000_0000: continuation = 5; lead = 0xFC
        default: continuation = 6; lead = 0xFE
        }
        var bytes = [lead | UInt8(truncatingIfNeeded: value >> (6 * UInt64(continuation)))]
        for index in stride(from: continuation - 1, through: 0, by: -1) {
            bytes.append(0x80 | UInt8((value >> (6 * UInt64(index))) & 0x3F))
        }
        return bytes
    }
}
