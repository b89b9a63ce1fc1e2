/// Establishes the exact number of frames libmpg123 decodes from an MPEG audio file (gapless),
/// by walking every frame header without decoding.
///
/// The walk does not trust the first frame's Xing/Info header: it counts the frames actually
/// present, found the way libmpg123 finds them (`MP3FrameParser`), so it sees a file cut short
/// (fewer frames than declared), a stream appended after the declared one (`cat a.mp3 b.mp3`:
/// more frames, and another Info frame in the middle) and a header that simply lies. The header
/// contributes only what libmpg123 takes from it, the gapless trim (`MP3GaplessTrim`).
enum MP3Scanner {
    struct Result: Equatable {
        /// The first audio frame's header: the stream's rate, channels and codec as decoded.
        var header: MP3FrameHeader
        /// What libmpg123 delivers for the whole file.
        var frames: Int64
        var lengthSource: LengthSource
        /// Where the first frame (the Info frame, when there is one) starts.
        var firstFrameOffset: Int64
        /// Bytes between frames that are neither audio nor a tag.
        var skippedBytes: Int64
        /// The file ends inside a frame (it was cut short).
        var truncatedLastFrame: Bool
        /// The length the first frame's Xing/Info header claims, when it has one.
        var headerFrames: Int64?
        /// Streams joined end to end: 1, plus one for every Xing/Info frame after the first frame.
        var streams: Int
        /// Where and why libmpg123 stops decoding with an error before the end of the file;
        /// `frames` counts what it delivers before that.
        var decodingStops: DecodingStop?
    }

    /// A place where libmpg123 fails mid-stream.
    struct DecodingStop: Equatable {
        var offset: Int64
        var reason: String
    }

    /// Scans `reader`'s MPEG stream. Throws `.corruptFile` when libmpg123 would find no frame
    /// to decode (no frame confirmed by a following header: a one-frame file is refused).
    static func scan(_ reader: BinaryFileReader) throws(AudioPrepError) -> Result {
        var parser = try MP3FrameParser(reader: reader)
        var trim: MP3GaplessTrim?
        var firstOffset: Int64?
        var first: MP3FrameHeader?
        var samples: Int64 = 0
        var index: Int64 = 0
        var infoFrames = 0
        var truncated = false
        var stop: DecodingStop?
        walk: while true {
            switch try parser.next() {
            case .frame(let frame):
                if firstOffset == nil { firstOffset = frame.offset }
                let h = frame.header
                if frame.startsStream, h.layer == 3 {
                    let bytes = Array(try parser.bytes(at: frame.offset, count: h.frameLength))
                    if let tag = XingTag(frame: bytes, header: h) {
                        // libmpg123 skips the Info frame; it holds no audio.
                        trim = tag.gaplessTrim
                        continue walk
                    }
                }
                if let first {
                    if h.sampleRate != first.sampleRate {
                        // libmpg123 cannot change its output rate mid-stream: it fails here.
                        stop = DecodingStop(
                            offset: frame.offset,
                            reason: "a frame header at byte \(frame.offset) switches the stream from \(first.sampleRate) Hz to \(h.sampleRate) Hz")
                        break walk
                    }
                    // The tag's 4 bytes first: one word, where almost every frame already differs.
                    if h.layer == 3, h.isCompatible(with: first),
                        let marker = try parser.word(at: frame.offset + Int64(h.xingOffset)),
                        marker == 0x5869_6E67 || marker == 0x496E_666F,  // "Xing", "Info"
                        XingTag.marksInfoFrame(try parser.bytes(at: frame.offset, count: h.xingOffset + 4), header: h)
                    {
                        infoFrames += 1
                    }
                } else {
                    first = h
                }
                let spf = Int64(first?.samplesPerFrame ?? h.samplesPerFrame)
                let count = Int64(h.samplesPerFrame)
                samples += trim?.deliveredSamples(ofFrame: index, count: count, samplesPerFrame: Int(spf)) ?? count
                index += 1
            case .stop(.endOfStream):
                break walk
            case .stop(.truncatedFrame):
                truncated = true
                break walk
            case .stop(.readFailure(let offset)):
                stop = DecodingStop(
                    offset: offset,
                    reason: "the frame or tag at byte \(offset) is cut short before the file's closing ID3v1 tag")
                break walk
            }
        }
        guard let first, let firstOffset else {
            throw AudioPrepError(
                .corruptFile, path: reader.path,
                "no MPEG audio frame that a decoder accepts (a frame counts only when the header after it belongs to the same stream, so a file of one frame is refused); the file is damaged or not an MP3. Re-export it from the source.")
        }
        var result = Result(
            header: first, frames: samples, lengthSource: .frameScan, firstFrameOffset: firstOffset,
            skippedBytes: parser.junkBytes, truncatedLastFrame: truncated, headerFrames: nil,
            streams: 1 + infoFrames, decodingStops: stop)
        if let trim {
            let claimed = trim.claimedSamples(samplesPerFrame: first.samplesPerFrame)
            result.headerFrames = claimed
            if claimed == result.frames, stop == nil { result.lengthSource = .xingHeader }
        }
        if result.frames == 0 {
            throw AudioPrepError(
                .corruptFile, path: reader.path,
                stop.map { "the MP3 holds no audio before the decoder stops: \($0.reason). Re-export it from the source." }
                    ?? "the MP3 holds no complete audio frame; the file is truncated. Re-export it from the source.")
        }
        return result
    }

    /// The sniffer's test for MPEG audio at `offset`: a header of known length followed by a
    /// compatible one (same version, layer, rate) where its length says, or by the file's end, or
    /// by a trailing tag (ID3v1, APE), so that even a two-frame file is recognised; or a
    /// free-format header with a header of the same stream within a frame's reach (as libmpg123
    /// measures such a frame). Whether a decoder takes the frames is the scan's question
    /// (`MP3FrameParser`), not this one's.
    static func confirmsSync(_ reader: BinaryFileReader, at offset: Int64) throws(AudioPrepError) -> Bool {
        let head = try reader.bytes(at: offset, count: 4)
        guard head.count == 4 else { return false }
        let word = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
        if MP3FrameHeader.passesBasicCheck(word), MP3FrameHeader.isFreeFormat(word) {
            let reach = try reader.bytes(at: offset + 5, count: MP3FrameHeader.maximumBodySize + 3)
            var i = 0
            while i + 4 <= reach.count {
                let next = UInt32(reach[i]) << 24 | UInt32(reach[i + 1]) << 16 | UInt32(reach[i + 2]) << 8 | UInt32(reach[i + 3])
                if next & MP3FrameHeader.sameStreamMask == word & MP3FrameHeader.sameStreamMask { return true }
                i += 1
            }
            return false
        }
        guard let h = MP3FrameHeader(head) else { return false }
        let next = offset + Int64(h.frameLength)
        if next == reader.size { return true }
        let following = try reader.bytes(at: next, count: 8)
        if let h2 = MP3FrameHeader(following) { return h.isCompatible(with: h2) }
        return isTrailingTag(following[...])
    }

    /// The sniffer's search: the first confirmed frame at or after `offset`, within 64 KiB of junk
    /// (an ID3v2 tag's padding, a broken first frame).
    static func findSync(_ reader: BinaryFileReader, from offset: Int64) throws(AudioPrepError) -> Int64? {
        let window = try reader.bytes(at: offset, count: 65536 + 4)
        var i = 0
        while i + 4 <= window.count {
            if window[i] == 0xFF, try confirmsSync(reader, at: offset + Int64(i)) { return offset + Int64(i) }
            i += 1
        }
        return nil
    }

    private static func isTrailingTag(_ b: ArraySlice<UInt8>) -> Bool {
        b.starts(with: "TAG".utf8) || b.starts(with: "APETAGEX".utf8) || b.starts(with: "LYRICSBE".utf8)
    }
}
