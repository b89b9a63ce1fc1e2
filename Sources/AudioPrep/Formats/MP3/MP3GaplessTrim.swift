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
    /// declared frames are present.
    func claimedSamples(samplesPerFrame: Int) -> Int64 {
        deliveredSamples(audioSamples: declaredFrames * Int64(samplesPerFrame), samplesPerFrame: samplesPerFrame)
    }

    /// The samples libmpg123 delivers when the frames after the Info frame decode to
    /// `audioSamples` (whole frames of `samplesPerFrame`, unless a damaged header in between
    /// decodes another frame size).
    ///
    /// `declaredFrames` is at most 2³²−1 and `samplesPerFrame` at most 1152, and `audioSamples`
    /// is bounded by the file's size (at most 1152 per 24-byte frame), so nothing here can overflow.
    func deliveredSamples(audioSamples: Int64, samplesPerFrame: Int) -> Int64 {
        let declaredSamples = declaredFrames * Int64(samplesPerFrame)
        let begin = encoderDelay + Self.decoderDelay
        let end = declaredSamples - encoderPadding + Self.decoderDelay
        let withinDeclared = min(audioSamples, declaredSamples)
        let trimmed = max(0, min(withinDeclared, end) - begin)
        return trimmed + max(0, audioSamples - declaredSamples)
    }
}
