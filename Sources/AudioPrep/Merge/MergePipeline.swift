/// The two channels of a merge as streams of output blocks: per stream, its decoder held to the
/// planned length (`PlannedLengthSource`) → mono (`MonoDownmix`) → the output rate
/// (`SoxrResampler`, when it differs) → its place on the timeline (`ChannelTimeline`); a channel
/// of several streams sums them (`ChannelMix`). Each channel runs on its own thread a few blocks
/// ahead (`TrackPrefetcher`).
final class MergePipeline {
    private let channels: [TrackPrefetcher]
    private let mixes: [ChannelMix?]

    /// Builds both channels and starts decoding. Call `stop()` when done or on an error.
    init(plan: MergePlan, blockFrames: Int) throws(AudioPrepError) {
        var sources: [any ChannelBlockSource] = []
        var mixes: [ChannelMix?] = []
        for (index, track) in plan.tracks.enumerated() {
            var timelines: [ChannelTimeline] = []
            for (stream, placement) in zip(track.streams, plan.streamPlacements[index]) {
                timelines.append(try Self.timeline(of: stream, placement: placement, channel: index + 1, outputRate: plan.outputRate))
            }
            if timelines.count == 1 {
                sources.append(timelines[0])
                mixes.append(nil)
            } else {
                let mix = ChannelMix(streams: timelines)
                sources.append(mix)
                mixes.append(mix)
            }
        }
        self.mixes = mixes
        channels = sources.map {
            TrackPrefetcher(timeline: $0, blockFrames: blockFrames, totalFrames: plan.alignment.totalFrames)
        }
    }

    private static func timeline(
        of stream: OpenedStream, placement: AlignmentPlan.Placement, channel: Int, outputRate: Int
    ) throws(AudioPrepError) -> ChannelTimeline {
        // The plan used the announced length: the decoder is held to it (never a silent cut).
        let planned = PlannedLengthSource(source: stream.source, plannedFrames: stream.frames, path: stream.path, channel: channel)
        if stream.frames == 0 { try planned.confirmEnd() }
        var mono: any MonoStream = MonoDownmix(source: planned, path: stream.path)
        if stream.source.format.sampleRate != outputRate {
            mono = try SoxrResampler(upstream: mono, outputRate: outputRate)
        }
        return ChannelTimeline(stream: mono, placement: placement, path: stream.path)
    }

    /// Per channel, the samples its mix clamped (nil for a channel of one stream). Read it
    /// after the last block.
    var clippedSamples: [Int64?] {
        mixes.map { $0?.clippedSamples }
    }

    /// The next block of each channel, of equal length (`blockFrames`, or what is left). Pass
    /// both back to `recycle(_:_:)` once read.
    func next() throws(AudioPrepError) -> (left: UnsafeMutableBufferPointer<Float>, right: UnsafeMutableBufferPointer<Float>) {
        (try channels[0].next(), try channels[1].next())
    }

    /// Returns a pair of blocks from `next()` for reuse.
    func recycle(_ left: UnsafeMutableBufferPointer<Float>, _ right: UnsafeMutableBufferPointer<Float>) {
        channels[0].recycle(left)
        channels[1].recycle(right)
    }

    /// Stops both decoding threads after their current block.
    func stop() {
        channels.forEach { $0.stop() }
    }
}
