/// The CRC-32 of an Ogg page (RFC 3533 §6): polynomial 0x04C11DB7, initial value 0, no bit
/// reflection and no final XOR, computed over the whole page with its checksum field set to zero.
enum OggCRC {
    /// The byte-at-a-time lookup table, built once from the polynomial.
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 {
            value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1
        }
        return value
    }

    /// Continues `crc` over `bytes`.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int((crc >> 24) ^ UInt32(byte))]
            }
        }
        return crc
    }

    /// The checksum of a whole page, reading its stored checksum (bytes 22…25) as zero.
    static func pageChecksum(_ page: UnsafeRawBufferPointer) -> UInt32 {
        precondition(page.count >= OggPage.headerSize)
        var crc = update(0, UnsafeRawBufferPointer(rebasing: page[0..<22]))
        let zeros: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        crc = withUnsafeBytes(of: zeros) { update(crc, $0) }
        return update(crc, UnsafeRawBufferPointer(rebasing: page[26...]))
    }
}
