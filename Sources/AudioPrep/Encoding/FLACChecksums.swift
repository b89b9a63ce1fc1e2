/// The two checksums of the FLAC frame format (RFC 9639 §9.1.8 and §9.3):
/// CRC-8 (polynomial x⁸+x²+x+1, initial 0) over a frame header, and CRC-16 (polynomial
/// x¹⁶+x¹⁵+x²+1, initial 0) over a whole frame. Needed when frames encoded separately are
/// renumbered, which changes their bytes.
enum FLACChecksums {
    static let crc8Table: [UInt8] = (0..<256).map { index in
        var crc = UInt8(index)
        for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
        return crc
    }

    /// Slicing-by-4 tables for CRC-16/0x8005 (MSB first): table[k][b] is the CRC of byte b
    /// followed by k zero bytes.
    static let crc16Tables: [[UInt16]] = {
        var first = [UInt16](repeating: 0, count: 256)
        for index in 0..<256 {
            var crc = UInt16(index) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x8005 : crc << 1 }
            first[index] = crc
        }
        var tables = [first]
        for k in 1..<4 {
            let previous = tables[k - 1]
            tables.append((0..<256).map { index in
                let value = previous[index]
                return (value << 8) ^ first[Int(value >> 8)]
            })
        }
        return tables
    }()

    static func crc8(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var crc: UInt8 = 0
        crc8Table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int(crc ^ byte)] }
        }
        return crc
    }

    static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        let t = crc16Tables
        t[0].withUnsafeBufferPointer { t0 in
        t[1].withUnsafeBufferPointer { t1 in
        t[2].withUnsafeBufferPointer { t2 in
        t[3].withUnsafeBufferPointer { t3 in
            var index = 0
            let count = bytes.count
            while index + 4 <= count {
                let b0 = bytes[index] ^ UInt8(crc >> 8)
                let b1 = bytes[index + 1] ^ UInt8(crc & 0xFF)
                crc = t3[Int(b0)] ^ t2[Int(b1)] ^ t1[Int(bytes[index + 2])] ^ t0[Int(bytes[index + 3])]
                index += 4
            }
            while index < count {
                crc = (crc << 8) ^ t0[Int(UInt8(crc >> 8) ^ bytes[index])]
                index += 1
            }
        }}}}
        return crc
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
