/// Where a RIFF/WAVE file's audio data lies, and whether its header's data size tells the truth.
///
/// Recorders that die before patching the header leave the size 0; ffmpeg writing to a pipe
/// leaves it 0xFFFFFFFF; a recorder that patches the size now and then and is killed leaves a
/// size smaller than the audio it wrote. In each case the bytes actually present are the audio.
/// A size that ends exactly where another chunk starts (`LIST` after `data`) or at the end of
/// the file is right, and nothing after it counts.
struct WAVDataChunk: Equatable {
    /// Where the data chunk's 32-bit size field is.
    let sizeFieldOffset: Int64
    /// Where the first sample byte is.
    let dataStart: Int64
    /// The size the header declares.
    let declaredBytes: UInt32
    /// Bytes per frame, from the `fmt ` chunk.
    let blockAlign: Int
    /// The bytes from `dataStart` to the end of the file.
    let presentBytes: Int64
    /// Whether the declared size can be believed, or how it is wrong.
    let verdict: Verdict

    enum Verdict: Equatable {
        /// The size is right (or the file is shorter, which libsndfile counts itself; see `mismatch`).
        case honest
        /// 0 or 0xFFFFFFFF: the writer never stated a size.
        case streamed
        /// A non-zero size other than the bytes present, either way.
        case mismatch
    }

    /// The frames the header declares.
    var declaredFrames: Int64 { Int64(declaredBytes) / Int64(blockAlign) }
    /// The whole frames present from the data chunk's start to the end of the file.
    var presentFrames: Int64 { presentBytes / Int64(blockAlign) }

    /// Walks `file`'s RIFF chunks to `data`. nil when the file is not little-endian RIFF/WAVE, has
    /// no `fmt ` chunk before `data` or none at all: libsndfile then judges the file alone.
    static func locate(in file: BinaryFileReader) throws(AudioPrepError) -> WAVDataChunk? {
        let head = try file.bytes(at: 0, count: 12)
        guard head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WAVE".utf8) else {
            return nil
        }
        var position: Int64 = 12
        var blockAlign: Int?
        // Each step moves at least 8 bytes forward, and a chunk's size is at most 2³²−1, so the
        // walk ends and `position` stays far below Int64.max.
        while position + 8 <= file.size {
            let chunk = try file.bytes(at: position, count: 8)
            guard chunk.count == 8 else { return nil }
            let size = UInt32(littleEndianBytes: chunk[4..<8])
            if chunk[0..<4].elementsEqual("fmt ".utf8), size >= 16 {
                let fmt = try file.bytes(at: position + 8, count: 16)
                guard fmt.count == 16 else { return nil }
                let align = Int(fmt[12]) | Int(fmt[13]) << 8
                blockAlign = align > 0 ? align : nil
            }
            if chunk[0..<4].elementsEqual("data".utf8) {
                guard let blockAlign else { return nil }
                let dataStart = position + 8
                let present = file.size - dataStart
                return WAVDataChunk(
                    sizeFieldOffset: position + 4, dataStart: dataStart, declaredBytes: size, blockAlign: blockAlign,
                    presentBytes: present,
                    verdict: try verdict(declared: size, dataStart: dataStart, present: present, file: file))
            }
            position += 8 + Int64(size) + Int64(size & 1)
        }
        return nil
    }

    private static func verdict(declared: UInt32, dataStart: Int64, present: Int64, file: BinaryFileReader)
        throws(AudioPrepError) -> Verdict
    {
        if declared == 0 || declared == UInt32.max { return present > 0 ? .streamed : .honest }
        if Int64(declared) > present { return .mismatch }
        let end = dataStart + Int64(declared) + Int64(declared & 1)
        if end >= file.size { return .honest }
        return try startsChunk(at: end, in: file) ? .honest : .mismatch
    }

    /// Whether a plausible RIFF chunk header starts at `offset`: a four-character printable ASCII
    /// id and a size that fits in the file. Audio samples almost never look like that.
    private static func startsChunk(at offset: Int64, in file: BinaryFileReader) throws(AudioPrepError) -> Bool {
        let header = try file.bytes(at: offset, count: 8)
        guard header.count == 8, header[0..<4].allSatisfy({ (0x20...0x7E).contains($0) }) else { return false }
        let size = Int64(UInt32(littleEndianBytes: header[4..<8]))
        return offset + 8 + size <= file.size + 1
    }
}

fileprivate extension UInt32 {
    /// Four little-endian bytes as a number.
    init(littleEndianBytes b: ArraySlice<UInt8>) {
        let i = b.startIndex
        self = UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
