/// The gapless trimming libmpg123 applies (`MPG123_GAPLESS`) when a stream's first frame is a
/// Xing/Info frame with a frame count, restated so that a frame walk can predict, without
/// decoding, exactly how many samples `MP3Source` will deliver.
///
/// libmpg123 (1.31, measured against it frame by frame) skips the Info frame itself, drops the
/// encoder delay plus its own 529-sample decoder delay at the start, and ends the declared stream
/// at `declaredFrames × samplesPerFrame − padding + 529`. Only frames numbered below
/// `declaredFrames` are trimmed: frames beyond the count (a second stream appended with
/// `cat a.mp3 b.mp3`, its own Info frame included) pass whole.
struct MP3GaplessTrim: Equatable {
    /// libmpg123's Layer III decoder delay (`GAPLESS_DELAY`).
    static let decoderDelay: Int64 = 529

    /// The audio frames the Xing/Info header declares (its own frame excluded).
    let declaredFrames: Int64
    /// From the LAME (or Lavc) extension; 0 without one.
    let encoderDelay: Int64
    let encoderPadding: Int64

    /// The length the header claims, as libmpg123 reads it: what it delivers when exactly the
    /// declared frames are present, each of `samplesPerFrame`.
    ///
    /// `declaredFrames` is at most 2³²−1 and `samplesPerFrame` at most 1152, so nothing here
    /// can overflow.
    func claimedSamples(samplesPerFrame: Int) -> Int64 {
        let declaredSamples = declaredFrames * Int64(samplesPerFrame)
        return max(0, min(declaredSamples, end(samplesPerFrame: samplesPerFrame)) - begin)
    }

    /// The samples libmpg123 delivers from the frame numbered `index` (0 for the first after
    /// the Info frame) when that frame decodes to `count` samples. libmpg123 places frame `index`
    /// at sample `index × samplesPerFrame` of the stream whatever that frame's own size (a frame
    /// damaged into another layer), keeps what falls between the start trim and the declared
    /// end, and passes frames numbered from `declaredFrames` on whole.
    ///
    /// `index` is bounded by the file's size (a frame is at least 24 bytes) and `count` by 1152,
    /// so no product or sum here can overflow.
    func deliveredSamples(ofFrame index: Int64, count: Int64, samplesPerFrame: Int) -> Int64 {
        guard index < declaredFrames else { return count }
        let position = index * Int64(samplesPerFrame)
        let low = max(position, begin)
        let high = min(position + count, end(samplesPerFrame: samplesPerFrame))
        return max(0, high - low)
    }

    /// Where the delivered samples start: the encoder delay and libmpg123's decoder delay.
    private var begin: Int64 { encoderDelay + Self.decoderDelay }

    /// Where the declared stream ends, in samples from the start of the first frame.
    private func end(samplesPerFrame: Int) -> Int64 {
        declaredFrames * Int64(samplesPerFrame) - encoderPadding + Self.decoderDelay
    }
}
