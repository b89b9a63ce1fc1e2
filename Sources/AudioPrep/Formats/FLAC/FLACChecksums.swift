internal import CAudioKernels

/// The two checksums of the FLAC frame format (RFC 9639 §9.1.8 and §9.3):
/// CRC-8 (polynomial x⁸+x²+x+1, initial 0) over a frame header, and CRC-16 (polynomial
/// x¹⁶+x¹⁵+x²+1, initial 0) over a whole frame. The encoder needs them when it renumbers frames
/// encoded separately, which changes their bytes; the decoder checks them.
enum FLACChecksums {
    static let crc8Table: [UInt8] = (0..<256).map { index in
        var crc = UInt8(index)
        for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
        return crc
    }

    static func crc8(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var crc: UInt8 = 0
        crc8Table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int(crc ^ byte)] }
        }
        return crc
    }

    /// The CRC-16 of `bytes`, by `callprep_flac_crc16` (C, sixteen bytes per step), the same
    /// function the FLAC decoder checks frames with.
    static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        guard let base = bytes.baseAddress else { return 0 }
        return callprep_flac_crc16(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// The CRC-16 of `a ‖ b` from the CRC-16 of `a` and of `b` and the length of `b`:
    /// `crc(a) · x^(8·|b|) mod P ⊕ crc(b)`. The CRC is linear and starts from 0, so leading zero
    /// bytes do not change it; that lets a frame whose header changed get its new CRC-16 from
    /// the old one without reading the rest of the frame again (`FLACFrameRenumbering`).
    static func crc16Combine(_ crcA: UInt16, _ crcB: UInt16, lengthB: Int) -> UInt16 {
        multiply(crcA, xPowerBytes(lengthB)) ^ crcB
    }

    /// x^(8·2^k) mod P for k = 0…47 (lengths up to 2⁴⁸ bytes).
    private static let byteShiftPowers: [UInt16] = {
        var powers: [UInt16] = [0x0100]  // x^8
        for _ in 1..<48 { powers.append(multiply(powers[powers.count - 1], powers[powers.count - 1])) }
        return powers
    }()

    /// x^(8·count) mod P, by squaring.
    static func xPowerBytes(_ count: Int) -> UInt16 {
        var result: UInt16 = 1
        var remaining = UInt64(count)
        var k = 0
        while remaining != 0 {
            if remaining & 1 != 0 { result = multiply(result, byteShiftPowers[k]) }
            remaining >>= 1
            k += 1
        }
        return result
    }

    /// a · b mod P over GF(2), P = x¹⁶+x¹⁵+x²+1 (Horner over b's bits, most significant first).
    static func multiply(_ a: UInt16, _ b: UInt16) -> UInt16 {
        var product: UInt16 = 0
        for bit in stride(from: 15, through: 0, by: -1) {
            product = product & 0x8000 != 0 ? (product << 1) ^ 0x8005 : product << 1
            if (b >> UInt16(bit)) & 1 != 0 { product ^= a }
        }
        return product
    }
}
