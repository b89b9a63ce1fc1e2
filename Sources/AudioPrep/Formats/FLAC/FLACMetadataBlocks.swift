/// Byte layouts of the FLAC metadata blocks callprep writes (RFC 9639 §8): STREAMINFO,
/// VORBIS_COMMENT and SEEKTABLE. Written by hand because the frames come from several libFLAC
/// encoders at once, none of which sees the whole stream.
enum FLACMetadataBlocks {
    static let streamInfoType: UInt8 = 0
    static let seekTableType: UInt8 = 3
    static let vorbisCommentType: UInt8 = 4
    static let seekPointSize = 18

    /// A block header: last-block flag, 7-bit type, 24-bit length.
    static func header(type: UInt8, length: Int, isLast: Bool) -> [UInt8] {
        [(isLast ? 0x80 : 0) | type, UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
    }

    /// The 34-byte STREAMINFO body for a 2-channel, 16-bit stream.
    static func streamInfo(
        blockSize: Int, minFrameSize: Int, maxFrameSize: Int, sampleRate: Int, totalFrames: Int64, md5: [UInt8]
    ) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.append(contentsOf: bigEndian(UInt64(blockSize), bytes: 2))
        bytes.append(contentsOf: bigEndian(UInt64(blockSize), bytes: 2))
        bytes.append(contentsOf: bigEndian(UInt64(minFrameSize), bytes: 3))
        bytes.append(contentsOf: bigEndian(UInt64(maxFrameSize), bytes: 3))
        // 20 bits rate, 3 bits channels − 1, 5 bits bits-per-sample − 1, 36 bits total samples.
        let packed = (UInt64(sampleRate) << 44) | (UInt64(2 - 1) << 41) | (UInt64(16 - 1) << 36)
            | (UInt64(totalFrames) & 0xF_FFFF_FFFF)
        bytes.append(contentsOf: bigEndian(packed, bytes: 8))
        bytes.append(contentsOf: md5.count == 16 ? md5 : [UInt8](repeating: 0, count: 16))
        return bytes
    }

    /// The VORBIS_COMMENT body (little-endian lengths, UTF-8 text).
    static func vorbisComment(vendor: String, comments: [VorbisComment]) -> [UInt8] {
        var bytes = [UInt8]()
        let vendorBytes = Array(vendor.utf8)
        bytes.append(contentsOf: littleEndian32(vendorBytes.count))
        bytes.append(contentsOf: vendorBytes)
        bytes.append(contentsOf: littleEndian32(comments.count))
        for comment in comments {
            let entry = Array("\(comment.name)=\(comment.value)".utf8)
            bytes.append(contentsOf: littleEndian32(entry.count))
            bytes.append(contentsOf: entry)
        }
        return bytes
    }

    /// One seek point: first sample of the target frame, its byte offset from the first frame,
    /// and its number of samples.
    static func seekPoint(sample: UInt64, offset: UInt64, samples: Int) -> [UInt8] {
        bigEndian(sample, bytes: 8) + bigEndian(offset, bytes: 8) + bigEndian(UInt64(samples), bytes: 2)
    }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { index in UInt8((value >> (8 * UInt64(bytes - 1 - index))) & 0xFF) }
    }

    static func littleEndian32(_ value: Int) -> [UInt8] {
        (0..<4).map { index in UInt8((value >> (8 * index)) & 0xFF) }
    }
}
