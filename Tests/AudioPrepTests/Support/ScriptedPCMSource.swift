import AudioPrep

/// A source whose every number the test chooses: it announces `announcedFrames` (and a start
/// time) but delivers `deliveredFrames` of a deterministic signal, so tests can make a reader lie
/// in either direction or claim extreme values.
final class ScriptedPCMSource: TimestampedPCMSource {
    let format: PCMFormat
    let frameCount: Int64?
    let startTimeNanoseconds: Int64
    private let deliveredFrames: Int64
    private var position: Int64 = 0

    init(rate: Int = 16000, channels: Int = 1, announcedFrames: Int64?, deliveredFrames: Int64, startTimeNanoseconds: Int64 = 0) {
        format = PCMFormat(sampleRate: rate, channels: channels)
        frameCount = announcedFrames
        self.deliveredFrames = deliveredFrames
        self.startTimeNanoseconds = startTimeNanoseconds
    }

    var timeline: TrackTimeline {
        TrackTimeline(
            startTimeNanoseconds: startTimeNanoseconds, frames: frameCount ?? 0, sampleRate: format.sampleRate, blocks: 1, gaps: 0,
            gapFrames: 0, overlapFramesDropped: 0, preSkipFrames: 0)
    }

    /// Sample `n` of every channel: a ramp that repeats every 1000 frames, never 0 (so delivered
    /// audio is told apart from padding).
    static func sample(_ n: Int64) -> Float { Float(n % 1000 + 1) / 2000 }

    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let frames = Int(min(Int64(buffer.count / format.channels), deliveredFrames - position))
        for frame in 0..<frames {
            for channel in 0..<format.channels {
                buffer[frame * format.channels + channel] = Self.sample(position + Int64(frame))
            }
        }
        position += Int64(frames)
        return frames
    }
}
