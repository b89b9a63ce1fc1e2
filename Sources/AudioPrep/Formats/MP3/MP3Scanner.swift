/// Establishes the exact decoded length of an MPEG audio file without decoding it.
///
/// libsndfile 1.2.0 trusts libmpg123's estimate when a file has no Xing/Info header and stops
/// reading there (AUDIO-NOTES.md §4). callprep instead:
/// - with a Xing/Info header and a LAME tag: frames × samples per frame − encoder delay − padding,
///   the gapless length libmpg123 decodes with `MPG123_GAPLESS`;
/// - without one: walks every frame header from the first to the last complete frame.
enum MP3Scanner {
    struct Result: Equatable {
        var header: MP3FrameHeader
        var frames: Int64
        var lengthSource: LengthSource
        /// Where the first audio frame starts (after any ID3v2 tag).
        var firstFrameOffset: Int64
        /// Whether a truncated final frame or junk between frames was found.
        var skippedBytes: Int64
        var truncatedLastFrame: Bool
    }

    /// Scans `reader`'s MPEG stream. Throws `.corruptFile` when no run of valid frames exists.
    static func scan(_ reader: BinaryFileReader) throws(AudioPrepError) -> Result {
        var start: Int64 = 0
        let head = try reader.bytes(at: 0, count: 10)
        if let tag = ID3v2.tagSize(head) { start = Int64(tag) }
        guard let first = try findSync(reader, from: start) else {
            throw AudioPrepError(
                .corruptFile, path: reader.path,
                "no MPEG audio frames found; the file is damaged or not an MP3. Re-export it from the source.")
        }
        let header = first.header
        let firstFrame = try reader.bytes(at: first.offset, count: header.frameLength)
        if let tag = XingTag(frame: firstFrame, header: header),
            let total = tag.gaplessFrames(header: header, streamBytes: reader.size - first.offset)
        {
            return Result(
                header: header, frames: total, lengthSource: .xingHeader, firstFrameOffset: first.offset,
                skippedBytes: 0, truncatedLastFrame: false)
        }
        return try walkFrames(reader, first: first.offset, header: header)
    }

    /// True when a valid header at `offset` is followed by a compatible one where its length
    /// says (or the file ends exactly there): two in a row make a false sync unlikely.
    static func confirmsSync(_ reader: BinaryFileReader, at offset: Int64) throws(AudioPrepError) -> Bool {
        guard let h = MP3FrameHeader(try reader.bytes(at: offset, count: 4)) else { return false }
        let next = offset + Int64(h.frameLength)
        if next == reader.size { return true }
        guard let h2 = MP3FrameHeader(try reader.bytes(at: next, count: 4)) else { return false }
        return h.isCompatible(with: h2)
    }

    /// The first confirmed frame at or after `offset`, searching at most 64 KiB of junk.
    private static func findSync(_ reader: BinaryFileReader, from offset: Int64) throws(AudioPrepError)
        -> (offset: Int64, header: MP3FrameHeader)?
    {
        let window = try reader.bytes(at: offset, count: 65536 + 4)
        var i = 0
        while i + 4 <= window.count {
            if window[i] == 0xFF, let h = MP3FrameHeader(window[i..<i + 4]),
                try confirmsSync(reader, at: offset + Int64(i))
            {
                return (offset + Int64(i), h)
            }
            i += 1
        }
        return nil
    }

    /// Counts complete frames from `first` to the end, hopping header to header and resyncing
    /// over junk. Reads the file in 1 MiB windows: constant memory, no decoding.
    private static func walkFrames(_ reader: BinaryFileReader, first: Int64, header: MP3FrameHeader)
        throws(AudioPrepError) -> Result
    {
        var window = ByteWindow(reader: reader, capacity: 1 << 20)
        var position = first
        var samples: Int64 = 0
        var skipped: Int64 = 0
        var truncated = false
        while position + 4 <= reader.size {
            let hb = try window.bytes(at: position, count: 4)
            if let h = MP3FrameHeader(hb), h.isCompatible(with: header) {
                if position + Int64(h.frameLength) > reader.size {
                    truncated = true
                    break
                }
                samples += Int64(h.samplesPerFrame)
                position += Int64(h.frameLength)
                continue
            }
            // Not a frame here: trailing tags end the stream; anything else is junk to skip.
            if try isTrailingTag(window.bytes(at: position, count: 8)) { break }
            skipped += 1
            position += 1
        }
        if samples == 0 {
            throw AudioPrepError(
                .corruptFile, path: reader.path,
                "the MP3 holds no complete audio frame; the file is truncated. Re-export it from the source.")
        }
        return Result(
            header: header, frames: samples, lengthSource: .frameScan, firstFrameOffset: first,
            skippedBytes: skipped, truncatedLastFrame: truncated)
    }

    private static func isTrailingTag(_ b: ArraySlice<UInt8>) -> Bool {
        let tag = Array("TAG".utf8), ape = Array("APETAGEX".utf8), lyrics = Array("LYRICSBE".utf8)
        return b.starts(with: tag) || b.starts(with: ape) || b.starts(with: lyrics)
    }
}

/// A Xing/Info (LAME) or VBRI tag found in an MP3's first frame.
struct XingTag: Equatable {
    /// Audio frames in the stream, excluding the tag's own frame.
    var frameCount: Int64
    /// The encoder delay and padding from a LAME tag, when present.
    var encoderDelay: Int?
    var encoderPadding: Int?

    init?(frame: [UInt8], header: MP3FrameHeader) {
        func u32(_ o: Int) -> Int64? {
            guard o + 4 <= frame.count else { return nil }
            return Int64(frame[o]) << 24 | Int64(frame[o + 1]) << 16 | Int64(frame[o + 2]) << 8 | Int64(frame[o + 3])
        }
        func tag(_ s: String, at o: Int) -> Bool {
            let u = Array(s.utf8)
            return o + 4 <= frame.count && Array(frame[o..<o + 4]) == u
        }
        let x = header.xingOffset
        if tag("Xing", at: x) || tag("Info", at: x) {
            guard let flags = u32(x + 4), flags & 0x1 != 0, let frames = u32(x + 8) else { return nil }
            frameCount = frames
            var lame = x + 8
            for (bit, size) in [(Int64(0x1), 4), (0x2, 4), (0x4, 100), (0x8, 4)] where flags & bit != 0 {
                lame += size
            }
            // The LAME extension: 9-byte encoder string, then delay/padding at bytes 21–23.
            if lame + 24 <= frame.count, frame[lame] == UInt8(ascii: "L") || frame[lame] == UInt8(ascii: "G") {
                encoderDelay = Int(frame[lame + 21]) << 4 | Int(frame[lame + 22]) >> 4
                encoderPadding = Int(frame[lame + 22] & 0x0F) << 8 | Int(frame[lame + 23])
            }
            return
        }
        // Fraunhofer's VBRI tag sits 32 bytes after the header.
        if tag("VBRI", at: 36), let frames = u32(36 + 14) {
            frameCount = frames
            return
        }
        return nil
    }

    /// The gapless decoded length, or nil when the tag is implausible for the stream's size (a
    /// lying tag falls back to a frame scan).
    func gaplessFrames(header: MP3FrameHeader, streamBytes: Int64) -> Int64? {
        // The smallest Layer III frame is 24 bytes; a count beyond that is a lie.
        guard frameCount > 0, frameCount <= streamBytes / 24 else { return nil }
        let total = frameCount * Int64(header.samplesPerFrame) - Int64(encoderDelay ?? 0) - Int64(encoderPadding ?? 0)
        return total > 0 ? total : nil
    }
}

/// Sequential access to a file through one fixed-size buffer, refilled on demand.
struct ByteWindow {
    let reader: BinaryFileReader
    private var buffer: [UInt8]
    private var bufferStart: Int64 = 0
    private var bufferCount = 0

    init(reader: BinaryFileReader, capacity: Int) {
        self.reader = reader
        self.buffer = [UInt8](repeating: 0, count: capacity)
    }

    /// Up to `count` (≤ capacity) bytes at `offset`.
    mutating func bytes(at offset: Int64, count: Int) throws(AudioPrepError) -> ArraySlice<UInt8> {
        if offset < bufferStart || offset + Int64(count) > bufferStart + Int64(bufferCount) {
            bufferStart = offset
            let reader = self.reader
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(AudioPrepError) -> Int in try reader.read(at: offset, into: raw) }
            }
            bufferCount = try result.get()
        }
        let lo = Int(offset - bufferStart)
        let hi = min(bufferCount, lo + count)
        return lo < hi ? buffer[lo..<hi] : []
    }
}
