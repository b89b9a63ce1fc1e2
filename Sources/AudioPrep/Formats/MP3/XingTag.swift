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
    /// Samples per frame of the tag's own frame: libmpg123 measures the declared end with it.
    var samplesPerFrame: Int

    init?(frame: [UInt8], header: MP3FrameHeader) {
        samplesPerFrame = header.samplesPerFrame
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
            encoderPadding: Int64(encoderPadding ?? 0), infoSamplesPerFrame: Int64(samplesPerFrame))
    }
}
