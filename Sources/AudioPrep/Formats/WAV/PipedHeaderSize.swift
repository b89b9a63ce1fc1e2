/// An RF64 or CAF file written to a pipe (`ffmpeg … -f wav -rf64 always -`, `ffmpeg … -f caf -`):
/// its writer could not seek back, so the header leaves the data size unstated — RF64's `ds64`
/// chunk says 0 bytes, CAF's `data` chunk says −1 ("to the end of the file", which libsndfile 1.2
/// refuses as malformed). The audio is every byte from the data's start to the end of the file.
///
/// `SndFileReader` has libsndfile read such a file through a view whose size field states the
/// bytes present (`correctedField`), so every whole frame is counted and delivered.
struct PipedHeaderSize: Equatable {
    /// Which container, as the note names it.
    var container: String
    /// What the header says, as the note quotes it ("0", "-1").
    var declared: String
    /// Where the 64-bit size field is: `ds64`'s data size (RF64), the `data` chunk's size (CAF).
    var sizeFieldOffset: Int64
    /// The field's bytes as they should read: the data bytes present, in the container's byte order.
    var correctedField: [UInt8]

    /// The unstated size of `file`'s header, if it is RF64 or CAF written to a pipe; nil for any
    /// other file (libsndfile then judges it alone).
    static func locate(in file: BinaryFileReader) throws(AudioPrepError) -> PipedHeaderSize? {
        let head = try file.bytes(at: 0, count: 36)
        guard head.count >= 8 else { return nil }
        if head[0..<4].elementsEqual("RF64".utf8) { return try rf64(file, head: head) }
        if head[0..<4].elementsEqual("caff".utf8) { return try caf(file) }
        return nil
    }

    /// RF64 (EBU Tech 3306): "RF64", "WAVE", then `ds64` (RIFF size, data size, sample count, all
    /// 64-bit little-endian), then 32-bit chunks up to `data`.
    private static func rf64(_ file: BinaryFileReader, head: [UInt8]) throws(AudioPrepError) -> PipedHeaderSize? {
        guard head.count == 36, head[8..<12].elementsEqual("WAVE".utf8), head[12..<16].elementsEqual("ds64".utf8) else { return nil }
        let dataSize = (0..<8).reduce(UInt64(0)) { (value: UInt64, index: Int) -> UInt64 in value | UInt64(head[28 + index]) << (8 * UInt64(index)) }
        guard dataSize == 0 || dataSize == UInt64.max else { return nil }
        // Each step moves at least 8 bytes forward and a chunk's size is at most 2³²−1, so
        // `position` stays far below Int64.max.
        var position: Int64 = 12
        while position + 8 <= file.size {
            let chunk = try file.bytes(at: position, count: 8)
            guard chunk.count == 8 else { return nil }
            let size = Int64((0..<4).reduce(UInt32(0)) { (value: UInt32, index: Int) -> UInt32 in value | UInt32(chunk[4 + index]) << (8 * UInt32(index)) })
            if chunk[0..<4].elementsEqual("data".utf8) {
                let present = file.size - (position + 8)
                guard present > 0 else { return nil }
                return PipedHeaderSize(
                    container: "RF64", declared: dataSize == 0 ? "0" : "0xFFFFFFFFFFFFFFFF", sizeFieldOffset: 28,
                    correctedField: (0..<8).map { UInt8(truncatingIfNeeded: present >> (8 * Int64($0))) })
            }
            position += 8 + size + (size & 1)
        }
        return nil
    }

    /// CAF (Apple's Core Audio Format): "caff", version, flags, then chunks of a 4-byte type and
    /// a 64-bit big-endian signed size, up to `data` (whose size counts its 4-byte edit count).
    private static func caf(_ file: BinaryFileReader) throws(AudioPrepError) -> PipedHeaderSize? {
        var position: Int64 = 8
        while position <= file.size - 12 {
            let chunk = try file.bytes(at: position, count: 12)
            guard chunk.count == 12 else { return nil }
            let size = Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(chunk[4 + $1]) })
            if chunk[0..<4].elementsEqual("data".utf8) {
                let present = file.size - (position + 12)
                guard size == -1, present > 4 else { return nil }
                return PipedHeaderSize(
                    container: "CAF", declared: "-1", sizeFieldOffset: position + 4,
                    correctedField: (0..<8).map { UInt8(truncatingIfNeeded: present >> (8 * Int64(7 - $0))) })
            }
            // A size that is negative or runs past the file ends the walk (checked before adding).
            guard size >= 0, size <= file.size - position - 12 else { return nil }
            position += 12 + size
        }
        return nil
    }
}
