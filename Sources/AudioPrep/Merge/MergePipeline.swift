/// The two channels of a merge as streams of output blocks: per track, its decoder held to the
/// planned length (`PlannedLengthSource`) → mono (`MonoDownmix`) → the output rate
/// (`SoxrResampler`, when it differs) → its place on the timeline (`ChannelTimeline`), each
/// running on its own thread a few blocks ahead (`TrackPrefetcher`).
final class MergePipeline {
    private let channels: [TrackPrefetcher]

    /// Builds both channels and starts decoding. Call `stop()` when done or on an error.
    init(plan: MergePlan, blockFrames: Int) throws(AudioPrepError) {
        var timelines: [ChannelTimeline] = []
        for (index, track) in plan.tracks.enumerated() {
            // The plan used the announced length: the decoder is held to it (never a silent cut).
            let planned = PlannedLengthSource(source: track.source, plannedFrames: track.frames, path: track.path, channel: index + 1)
            if track.frames == 0 { try planned.confirmEnd() }
            var stream: any MonoStream = MonoDownmix(source: planned, path: track.path)
            if track.source.format.sampleRate != plan.outputRate {
                stream = try SoxrResampler(upstream: stream, outputRate: plan.outputRate)
            }
            timelines.append(ChannelTimeline(stream: stream, placement: plan.alignment.placements[index], path: track.path))
        }
        channels = timelines.map {
            TrackPrefetcher(timeline: $0, blockFrames: blockFrames, totalFrames: plan.alignment.totalFrames)
        }
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
