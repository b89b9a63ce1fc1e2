/// The gapless trimming libmpg123 applies (`MPG123_GAPLESS`) when a stream's first frame is a
/// Xing/Info frame with a frame count, restated so that a frame walk can predict, without
/// decoding, exactly how many samples `MP3Source` will deliver.
///
/// libmpg123 (1.31) skips the Info frame itself and cuts the stream to the samples from
/// `begin` (encoder delay + its 529-sample decoder delay) to `end` (declared frames × the Info
/// frame's samples per frame − padding + 529). It turns those two sample positions into frame
/// numbers once, with the samples per frame of the first audio frame, and from then on goes by
/// frame number whatever each frame's own size: frames numbered before the first kept one are
/// skipped, the first kept one loses its leading samples, the one holding `end` keeps its
/// leading samples only, later ones up to the declared count are dropped, and frames numbered
/// from `declaredFrames` on (a stream appended with `cat a.mp3 b.mp3`) pass whole.
struct MP3GaplessTrim: Equatable {
    /// libmpg123's Layer III decoder delay (`GAPLESS_DELAY`).
    static let decoderDelay: Int64 = 529

    /// The audio frames the Xing/Info header declares (its own frame excluded), 1…2³²−1.
    let declaredFrames: Int64
    /// From the LAME (or Lavc) extension, 0…4095 each; 0 without one.
    let encoderDelay: Int64
    let encoderPadding: Int64
    /// The Info frame's samples per frame (384, 576 or 1152).
    let infoSamplesPerFrame: Int64

    /// The length the header claims, as libmpg123 reads it: what it delivers when exactly the
    /// declared frames are present, each of `samplesPerFrame`.
    ///
    /// `declaredFrames` is below 2³² and samples per frame at most 1152, so nothing here
    /// can overflow.
    func claimedSamples(samplesPerFrame: Int) -> Int64 {
        let declaredSamples = declaredFrames * Int64(samplesPerFrame)
        let stop = end > 0 ? min(declaredSamples, end) : declaredSamples
        return max(0, stop - begin)
    }

    /// The samples libmpg123 delivers from the audio frame numbered `index` (0 for the first
    /// after the Info frame) when that frame decodes to `count` samples, in a stream whose first
    /// audio frame has `samplesPerFrame`.
    ///
    /// `index` is bounded by the file's size (a frame is at least 5 bytes) and `count` by 1152,
    /// so no product or sum here can overflow.
    func deliveredSamples(ofFrame index: Int64, count: Int64, samplesPerFrame: Int) -> Int64 {
        let spf = Int64(samplesPerFrame)
        let firstFrame = begin / spf
        guard index >= firstFrame else { return 0 }
        guard index < declaredFrames else { return count }
        var kept = count
        if end > 0 {
            let lastFrame = end / spf
            if index > lastFrame { kept = 0 } else if index == lastFrame { kept = min(kept, end - lastFrame * spf) }
        }
        let leading = begin - firstFrame * spf
        if index == firstFrame, leading > 0 { kept = max(0, kept - leading) }
        return kept
    }

    /// Where the delivered samples start: the encoder delay and libmpg123's decoder delay.
    private var begin: Int64 { encoderDelay + Self.decoderDelay }

    /// Where the declared stream ends, in samples from the start of the first audio frame
    /// (libmpg123 does not cut the end when this is not positive).
    private var end: Int64 { declaredFrames * infoSamplesPerFrame - encoderPadding + Self.decoderDelay }
}
