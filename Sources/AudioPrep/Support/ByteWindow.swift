/// Sequential access to a file through one fixed-size buffer, refilled on demand: constant
/// memory for parsers that walk a whole file (the MP3 frame walk) a few bytes at a time.
struct ByteWindow {
    let reader: BinaryFileReader
    private var buffer: [UInt8]
    private var bufferStart: Int64 = 0
    private var bufferCount = 0

    init(reader: BinaryFileReader, capacity: Int) {
        self.reader = reader
        self.buffer = [UInt8](repeating: 0, count: capacity)
    }

    /// Up to `count` (≤ capacity) bytes at `offset`; fewer at the end of the file.
    mutating func bytes(at offset: Int64, count: Int) throws(AudioPrepError) -> ArraySlice<UInt8> {
        try fill(offset, count)
        let lo = Int(offset - bufferStart)
        let hi = min(bufferCount, lo + count)
        return lo < hi ? buffer[lo..<hi] : []
    }

    /// The byte at `offset`, or nil at or past the end of the file.
    mutating func byte(at offset: Int64) throws(AudioPrepError) -> UInt8? {
        guard offset >= 0, offset < reader.size else { return nil }
        if offset < bufferStart || offset >= bufferStart + Int64(bufferCount) { try fill(offset, 1) }
        return buffer[Int(offset - bufferStart)]
    }

    /// The 4 bytes at `offset` as a big-endian number, or nil when fewer than 4 remain.
    mutating func word(at offset: Int64) throws(AudioPrepError) -> UInt32? {
        guard offset >= 0, offset <= reader.size - 4 else { return nil }
        try fill(offset, 4)
        let i = Int(offset - bufferStart)
        return UInt32(buffer[i]) << 24 | UInt32(buffer[i + 1]) << 16 | UInt32(buffer[i + 2]) << 8 | UInt32(buffer[i + 3])
    }

    /// Makes the buffer hold `count` bytes from `offset` (or up to the file's end).
    private mutating func fill(_ offset: Int64, _ count: Int) throws(AudioPrepError) {
        guard offset < bufferStart || offset + Int64(count) > bufferStart + Int64(bufferCount) else { return }
        bufferStart = offset
        let reader = self.reader
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(AudioPrepError) -> Int in try reader.read(at: offset, into: raw) }
        }
        bufferCount = try result.get()
    }
}
