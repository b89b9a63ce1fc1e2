/// Establishes the exact number of frames libmpg123 decodes from an MPEG audio file (gapless),
/// by walking every frame header without decoding.
///
/// The walk does not trust the first frame's Xing/Info header: it counts the frames actually
/// present, so it sees a file cut short (fewer frames than declared), a stream appended after the
/// declared one (`cat a.mp3 b.mp3`: more frames, and another Info frame in the middle) and a
/// header that simply lies. The header contributes only what libmpg123 takes from it, the gapless
/// trim (`MP3GaplessTrim`).
enum MP3Scanner {
    struct Result: Equatable {
        var header: MP3FrameHeader
        /// What libmpg123 delivers for the whole file.
        var frames: Int64
        var lengthSource: LengthSource
        /// Where the first audio frame starts (after any ID3v2 tag).
        var firstFrameOffset: Int64
        /// Bytes between frames that are neither audio nor a tag.
        var skippedBytes: Int64
        /// The file ends inside a frame (it was cut short).
        var truncatedLastFrame: Bool
        /// The length the first frame's Xing/Info header claims, when it has one.
        var headerFrames: Int64?
        /// Streams joined end to end: 1, plus one for every Xing/Info frame after the first frame.
        var streams: Int
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
        let firstFrame = try reader.bytes(at: first.offset, count: first.header.frameLength)
        let tag = XingTag(frame: firstFrame, header: first.header)
        // libmpg123 skips the Info frame; it holds no audio.
        let audioStart = tag == nil ? first.offset : first.offset + Int64(first.header.frameLength)
        let walk = try walkFrames(reader, from: audioStart, header: first.header, trim: tag?.gaplessTrim)
        let spf = first.header.samplesPerFrame
        var result = Result(
            header: first.header, frames: walk.audioSamples, lengthSource: .frameScan,
            firstFrameOffset: first.offset, skippedBytes: walk.skippedBytes, truncatedLastFrame: walk.truncated,
            headerFrames: nil, streams: 1 + walk.infoFrames)
        if let trim = tag?.gaplessTrim {
            let claimed = trim.claimedSamples(samplesPerFrame: spf)
            result.headerFrames = claimed
            if claimed == result.frames { result.lengthSource = .xingHeader }
        }
        if result.frames == 0 {
            throw AudioPrepError(
                .corruptFile, path: reader.path,
                "the MP3 holds no complete audio frame; the file is truncated. Re-export it from the source.")
        }
        return result
    }

    /// True when a valid header at `offset` is followed by a compatible one where its length
    /// says, or the file ends there, or a trailing tag (ID3v1, APE) starts there: a frame header
    /// whose length leads to another header makes a false sync unlikely, even in a two-frame file.
    /// Compatible is libmpg123's test for the first frame (its read-ahead): same version, layer
    /// and rate, and both mono or both not — a first header whose channel mode differs from the
    /// next one is junk to libmpg123, which starts at the next frame. `sameChannelMode: false`
    /// leaves the channel mode out (the sniffer's question is only whether MPEG audio starts here).
    static func confirmsSync(_ reader: BinaryFileReader, at offset: Int64, sameChannelMode: Bool = true)
        throws(AudioPrepError) -> Bool
    {
        guard let h = MP3FrameHeader(try reader.bytes(at: offset, count: 4)) else { return false }
        let next = offset + Int64(h.frameLength)
        if next == reader.size { return true }
        let following = try reader.bytes(at: next, count: 8)
        if let h2 = MP3FrameHeader(following) {
            return h.isCompatible(with: h2) && (!sameChannelMode || (h.channels == 1) == (h2.channels == 1))
        }
        return isTrailingTag(following[...])
    }

    /// The first confirmed frame at or after `offset`, searching at most 64 KiB of junk (an ID3v2
    /// tag's padding, a broken first frame).
    static func findSync(_ reader: BinaryFileReader, from offset: Int64) throws(AudioPrepError)
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

    private struct Walk {
        /// The samples (per channel) libmpg123 delivers from the frames walked, gapless trim applied.
        var audioSamples: Int64 = 0
        /// Frames walked (numbered from 0 after the Info frame, as libmpg123 numbers them).
        var frames: Int64 = 0
        var infoFrames = 0
        var skippedBytes: Int64 = 0
        var truncated = false
    }

    /// Counts complete frames from `start` to the end, hopping header to header as libmpg123
    /// does: Xing/Info frames after the first mark another stream (libmpg123 decodes them as a
    /// frame of silence), ID3v2 tags between streams and ID3v1 tags are stepped over, and
    /// anything else is junk, passed over a byte at a time until the next valid header —
    /// whatever its version, layer or rate, since libmpg123's resync takes the first one. A frame
    /// whose header differs from the first (a damaged header, a "Frankenstein" stream) is hopped
    /// by its own length; libmpg123 decodes its samples when its rate is the stream's (a Layer I
    /// frame gives 384) and none when the rate differs (the output format cannot change).
    /// Reads the file in 1 MiB windows: constant memory, no decoding.
    private static func walkFrames(
        _ reader: BinaryFileReader, from start: Int64, header: MP3FrameHeader, trim: MP3GaplessTrim?
    )
        throws(AudioPrepError) -> Walk
    {
        var window = ByteWindow(reader: reader, capacity: 1 << 20)
        var walk = Walk()
        var position = start
        // Enough for the header and a Xing/Info tag in any frame (at most 4 + 32 + 4 bytes).
        let tagProbe = 40
        while position + 4 <= reader.size {
            let bytes = try window.bytes(at: position, count: tagProbe)
            if let h = MP3FrameHeader(bytes) {
                if position + Int64(h.frameLength) > reader.size {
                    walk.truncated = true
                    break
                }
                if h.isCompatible(with: header), XingTag.marksInfoFrame(bytes, header: h) { walk.infoFrames += 1 }
                let decoded = h.sampleRate == header.sampleRate ? Int64(h.samplesPerFrame) : 0
                walk.audioSamples += trim?.deliveredSamples(ofFrame: walk.frames, count: decoded, samplesPerFrame: header.samplesPerFrame) ?? decoded
                walk.frames += 1
                position += Int64(h.frameLength)
                continue
            }
            if let tagSize = ID3v2.tagSize(Array(try window.bytes(at: position, count: 10))) {
                position += Int64(tagSize)
                continue
            }
            let marker = try window.bytes(at: position, count: 8)
            if marker.starts(with: "TAG".utf8) {
                position += 128
                continue
            }
            // APE and Lyrics3 tags end the stream.
            if isTrailingTag(marker) { break }
            walk.skippedBytes += 1
            position += 1
        }
        return walk
    }

    private static func isTrailingTag(_ b: ArraySlice<UInt8>) -> Bool {
        b.starts(with: "TAG".utf8) || b.starts(with: "APETAGEX".utf8) || b.starts(with: "LYRICSBE".utf8)
    }
}

/// A Xing/Info header in an MP3's first frame, with the LAME extension's encoder delay and
/// padding when present.
///
/// Only what libmpg123 reads counts: after the Xing fields the flags announce, it reads a LAME
/// extension (encoder string, …, delay and padding in bytes 21–23) whenever the frame holds its
/// 24 bytes and their first byte is not zero — whatever the encoder string says ("LAME",
/// ffmpeg's "Lavc", or damage) — and ignores Fraunhofer's VBRI header.
struct XingTag: Equatable {
    /// Audio frames in the stream, excluding the tag's own frame; nil when the header omits it.
    var frameCount: Int64?
    var encoderDelay: Int?
    var encoderPadding: Int?

    init?(frame: [UInt8], header: MP3FrameHeader) {
        func u32(_ o: Int) -> Int64? {
            guard o + 4 <= frame.count else { return nil }
            return Int64(frame[o]) << 24 | Int64(frame[o + 1]) << 16 | Int64(frame[o + 2]) << 8 | Int64(frame[o + 3])
        }
        guard Self.marksInfoFrame(frame[...], header: header) else { return nil }
        let x = header.xingOffset
        guard let flags = u32(x + 4) else { return nil }
        frameCount = flags & 0x1 != 0 ? u32(x + 8) : nil
        var lame = x + 8
        for (bit, size) in [(Int64(0x1), 4), (0x2, 4), (0x4, 100), (0x8, 4)] where flags & bit != 0 {
            lame += size
        }
        // The LAME extension: 9-byte encoder string, then delay/padding in bytes 21–23.
        if lame + 24 <= frame.count, frame[lame] != 0 {
            encoderDelay = Int(frame[lame + 21]) << 4 | Int(frame[lame + 22]) >> 4
            encoderPadding = Int(frame[lame + 22] & 0x0F) << 8 | Int(frame[lame + 23])
        }
    }

    /// Whether libmpg123 takes the frame starting `bytes` for a Xing/Info frame (a frame that
    /// holds no audio), by the rule of its `check_lame_tag`: a Layer III frame long enough for the
    /// tag and its flags after the side information (4 + side info + 8 bytes after the header),
    /// "Xing" or "Info" right after the side information, counted from the end of the 4-byte
    /// header (`MP3FrameHeader.xingOffset`), and every side-information byte before the tag
    /// zero except the first two after the header. Those two are not looked at (a CRC sits there
    /// when the header has one), and the tag's place does not move with a CRC: libmpg123 counts
    /// from the header's end either way. A frame with a non-zero byte there is audio to
    /// libmpg123 and is decoded, so it is audio here too.
    static func marksInfoFrame(_ bytes: ArraySlice<UInt8>, header: MP3FrameHeader) -> Bool {
        guard header.layer == 3, header.frameLength - 4 >= header.sideInfoSize + 8 else { return false }
        let x = bytes.startIndex + header.xingOffset
        guard x + 4 <= bytes.endIndex else { return false }
        guard bytes[(bytes.startIndex + 6)..<x].allSatisfy({ $0 == 0 }) else { return false }
        let marker = bytes[x..<x + 4]
        return marker.elementsEqual("Xing".utf8) || marker.elementsEqual("Info".utf8)
    }

    /// The trim libmpg123 applies for this header: none without a frame count.
    var gaplessTrim: MP3GaplessTrim? {
        guard let frameCount, frameCount > 0 else { return nil }
        return MP3GaplessTrim(
            declaredFrames: frameCount, encoderDelay: Int64(encoderDelay ?? 0),
            encoderPadding: Int64(encoderPadding ?? 0))
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
