/// Where the streams of each channel sit relative to the channel's start, in output frames, so
/// that a channel of several streams is planned like a channel of one (`AlignmentPlan` places
/// channels) and each stream is then placed at the channel's lead plus its own offset.
///
/// With timestamps, a stream's frame is `round((start − t0) × rate / 10⁹)`, rounded once from
/// the output's t0 exactly like a channel's lead, so a stream lands where it would as a channel
/// of its own. Without timestamps a channel has one stream (several files need them), at 0.
struct ChannelMixLayout {
    /// Per channel, each stream's offset from the channel's first frame.
    let offsets: [[Int64]]
    /// Per channel, each stream's length at the output rate.
    let streamFrames: [[Int64]]
    /// Per channel, from its first stream's start to its last stream's end.
    let contentFrames: [Int64]

    init(tracks: [OpenedTrack], mode: AlignmentMode, outputRate: Int) throws(AudioPrepError) {
        let starts = tracks.map(\.startNanoseconds)
        let allTimestamped = !starts.contains(nil)
        // t0 as AlignmentPlan resolves it; without timestamps the offsets are relative to the
        // channel's start, which suffices since then each channel has one stream.
        var origin: Int64?
        switch mode {
        case .timestamps(.containerZero): origin = 0
        case .timestamps(.earliestTrack): origin = starts.compactMap { $0 }.min()
        case .automatic: origin = allTimestamped ? starts.compactMap { $0 }.min() : nil
        case .start, .end, .offsets: origin = nil
        }
        var offsets: [[Int64]] = []
        var streamFrames: [[Int64]] = []
        var contentFrames: [Int64] = []
        for track in tracks {
            let frames = track.streams.map {
                SoxrResampler.expectedOutputFrames(inputFrames: $0.frames, inputRate: $0.source.format.sampleRate, outputRate: outputRate)
            }
            var trackOffsets = track.streams.map { _ in Int64(0) }
            if track.isMix, let channelStart = track.startNanoseconds {
                let reference = origin ?? channelStart
                let frame = { (start: Int64) throws(AudioPrepError) -> Int64 in
                    let since = try CheckedArithmetic.difference(
                        start, reference,
                        else: AudioPrepError(
                            .invalidArgument, path: track.path,
                            "a recording starts \(start) ns on its container's timeline, too far from the others (\(reference) ns) to place; its timestamps or offset are damaged. Check the files with `callprep probe`."))
                    return TrackTimeline.frames(nanoseconds: since, rate: outputRate)
                }
                let channelFrame = try frame(channelStart)
                for (index, stream) in track.streams.enumerated() {
                    trackOffsets[index] = try frame(stream.startNanoseconds ?? channelStart) - channelFrame
                }
            }
            offsets.append(trackOffsets)
            streamFrames.append(frames)
            // Offsets stay below 2^55 frames and lengths inside AudioLimits: no overflow.
            contentFrames.append(zip(trackOffsets, frames).map { $0 + $1 }.max() ?? 0)
        }
        self.offsets = offsets
        self.streamFrames = streamFrames
        self.contentFrames = contentFrames
    }

    /// Each stream's placement, given the channels' placements (`alignment`).
    func placements(in alignment: AlignmentPlan) -> [[AlignmentPlan.Placement]] {
        alignment.placements.enumerated().map { channel, placement in
            zip(offsets[channel], streamFrames[channel]).map { offset, frames in
                let lead = placement.lead + offset
                return AlignmentPlan.Placement(lead: lead, content: frames, tail: alignment.totalFrames - lead - frames)
            }
        }
    }
}
