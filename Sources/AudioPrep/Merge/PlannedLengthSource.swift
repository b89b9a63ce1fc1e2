/// A track's decoder held to the length its reader announced, which the merge planned with.
///
/// A merge places each track before decoding it (alignment, padding, the 8-hour check and the
/// FLAC header's total all need the lengths up front), so it takes the reader's count on trust.
/// This wrapper makes that trust safe: a decoder that delivers more frames than announced, or
/// ends before, fails the merge with an error naming the track. A merge therefore never exits
/// successfully having cut off decodable audio, nor having padded a short track silently.
///
/// The check costs one extra read at the end of the track (which must report the end).
final class PlannedLengthSource: PCMSource {
    private let source: any PCMSource
    private let plannedFrames: Int64
    private let path: String
    private let channel: Int
    private var delivered: Int64 = 0

    init(source: any PCMSource, plannedFrames: Int64, path: String, channel: Int) {
        self.source = source
        self.plannedFrames = plannedFrames
        self.path = path
        self.channel = channel
    }

    var format: PCMFormat { source.format }
    var frameCount: Int64? { plannedFrames }

    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let got = try source.read(into: buffer)
        guard got >= 0, got <= buffer.count / max(format.channels, 1) else {
            throw AudioPrepError(
                .internalError, path: path, "track \(channel)'s decoder returned \(got) frames for a buffer of \(buffer.count / max(format.channels, 1)).")
        }
        if got == 0 {
            guard delivered == plannedFrames else {
                throw AudioPrepError(
                    .decodeFailed, path: path,
                    "track \(channel) ended after \(delivered) of the \(plannedFrames) frames its reader announced; the file may be truncated or damaged. Check it with `callprep probe` and re-export or re-download it.")
            }
            return 0
        }
        delivered += Int64(got)
        if delivered > plannedFrames {
            throw overDelivery(atLeast: delivered)
        }
        if delivered == plannedFrames {
            try confirmEnd()
        }
        return got
    }

    /// At the announced length the decoder must report the end; any further frame would be
    /// audio the plan has no room for. `read` calls it when the count is reached; the merge
    /// calls it up front for a track planned with 0 frames, which the pipeline never reads.
    func confirmEnd() throws(AudioPrepError) {
        let channels = max(format.channels, 1)
        let probe = UnsafeMutableBufferPointer<Float>.allocate(capacity: 64 * channels)
        defer { probe.deallocate() }
        let more = try source.read(into: probe)
        if more > 0 { throw overDelivery(atLeast: delivered + Int64(more)) }
    }

    private func overDelivery(atLeast frames: Int64) -> AudioPrepError {
        AudioPrepError(
            .decodeFailed, path: path,
            "track \(channel) decodes to more than the \(plannedFrames) frames its reader announced (at least \(frames)); the merge was planned with the announced length and stopped rather than drop the rest. Report this with the output of `callprep probe`, or convert the file to WAV or FLAC with ffmpeg and merge that.")
    }
}
