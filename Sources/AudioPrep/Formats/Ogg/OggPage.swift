/// One Ogg page (RFC 3533 §6): its header fields, where its body lies in the file, and the
/// lacing values that cut the body into packets.
struct OggPage: Sendable, Hashable {
    /// The fixed header before the segment table.
    static let headerSize = 27
    /// The largest page: a full segment table of 255 segments of 255 bytes.
    static let maxSize = headerSize + 255 + 255 * 255
    /// "OggS".
    static let capturePattern: [UInt8] = [0x4F, 0x67, 0x67, 0x53]

    /// The file offset of the capture pattern.
    var offset: Int64
    /// Header type flags: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream.
    var flags: UInt8
    /// The granule position as stored (a signed 64-bit number; -1 means no packet ends here).
    var granule: Int64
    var serial: UInt32
    var sequence: UInt32
    /// The segment table: a value below 255 ends a packet.
    var lacing: [UInt8]

    var continuesPacket: Bool { flags & 0x01 != 0 }
    var beginsStream: Bool { flags & 0x02 != 0 }
    var endsStream: Bool { flags & 0x04 != 0 }
    /// The file offset of the body (after the segment table).
    var bodyOffset: Int64 { offset + Int64(Self.headerSize + lacing.count) }
    var bodyLength: Int { lacing.reduce(0) { $0 + Int($1) } }
    /// The offset just past the page.
    var end: Int64 { bodyOffset + Int64(bodyLength) }
    /// Whether at least one packet ends on this page.
    var completesPacket: Bool { lacing.contains { $0 < 255 } }

    /// What reading a page at an offset found.
    enum Parse {
        /// A whole page whose checksum matches; `bytes` is the page, header and body.
        case page(OggPage, bytes: [UInt8])
        /// No valid page starts here (no capture pattern, an unknown version, a wrong checksum).
        case invalid
        /// A page header starts here but the file ends before the page does.
        case cutShort
    }

    /// Reads and checks the page at `offset`: capture pattern, stream structure version 0, the
    /// segment table and the CRC-32. Every length is bounded by the format (at most 65,307
    /// bytes per page), so nothing read from the file sizes an allocation beyond that.
    static func read(_ file: BinaryFileReader, at offset: Int64) throws(AudioPrepError) -> Parse {
        guard offset >= 0, offset < file.size else { return .invalid }
        let head = try file.bytes(at: offset, count: headerSize + 255)
        guard head.count >= 4, Array(head[0..<4]) == capturePattern else { return .invalid }
        guard head.count >= headerSize else { return .cutShort }
        guard head[4] == 0 else { return .invalid }
        let segments = Int(head[26])
        guard head.count >= headerSize + segments else { return .cutShort }
        let lacing = Array(head[headerSize..<(headerSize + segments)])
        let total = headerSize + segments + lacing.reduce(0) { $0 + Int($1) }
        var bytes = head
        if total > bytes.count {
            bytes += try file.bytes(at: offset + Int64(bytes.count), count: total - bytes.count)
            guard bytes.count == total else { return .cutShort }
        } else {
            bytes.removeSubrange(total...)
        }
        let stored = UInt32(bytes[22]) | UInt32(bytes[23]) << 8 | UInt32(bytes[24]) << 16 | UInt32(bytes[25]) << 24
        let computed = bytes.withUnsafeBytes { OggCRC.pageChecksum($0) }
        guard stored == computed else { return .invalid }
        func littleEndian(_ at: Int, _ count: Int) -> UInt64 {
            (0..<count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) }
        }
        let page = OggPage(
            offset: offset, flags: bytes[5], granule: Int64(bitPattern: littleEndian(6, 8)),
            serial: UInt32(littleEndian(14, 4)), sequence: UInt32(littleEndian(18, 4)), lacing: lacing)
        return .page(page, bytes: bytes)
    }

    /// The offset of the next capture pattern at or after `offset`, or nil if there is none
    /// (reads in 64 KiB steps).
    static func nextCapture(_ file: BinaryFileReader, from offset: Int64) throws(AudioPrepError) -> Int64? {
        var position = max(0, offset)
        let step = 64 * 1024
        while position < file.size {
            let chunk = try file.bytes(at: position, count: step + 3)
            if chunk.count < 4 { return nil }
            for i in 0...(chunk.count - 4)
            where chunk[i] == 0x4F && chunk[i + 1] == 0x67 && chunk[i + 2] == 0x67 && chunk[i + 3] == 0x53 {
                return position + Int64(i)
            }
            position += Int64(step)
        }
        return nil
    }
}
