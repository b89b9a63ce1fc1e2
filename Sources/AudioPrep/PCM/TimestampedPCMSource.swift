/// A `PCMSource` whose frames sit at known times on its container's timeline (Matroska block
/// timestamps, MP4 edit lists), so that merge can lay several tracks on one room timeline.
///
/// For a Twilio Video track recording the container timeline starts at the creation of the room,
/// so `startTimeNanoseconds` is how long after the room started this participant's first sample
/// was captured. Gaps inside the track (mute, DTX, packet loss) are already filled with silence
/// by the source: frame `n` is at `startTimeNanoseconds + n / sampleRate` seconds.
public protocol TimestampedPCMSource: PCMSource {
    /// The time of the first delivered frame on the container's timeline, in nanoseconds
    /// (after Opus pre-skip / Matroska CodecDelay and MP4 edit lists are applied).
    var startTimeNanoseconds: Int64 { get }
    /// How the track's timeline was built: gaps filled, overlaps dropped, blocks read.
    var timeline: TrackTimeline { get }
}

extension TimestampedPCMSource {
    /// `startTimeNanoseconds` as a frame position at `rate`, rounded to the nearest frame.
    public func startFrame(atRate rate: Int) -> Int64 {
        TrackTimeline.frames(nanoseconds: startTimeNanoseconds, rate: rate)
    }
}

/// The timing facts of one timestamped track, as a probe or a source established them.
public struct TrackTimeline: Sendable, Hashable {
    /// The time of the first output frame on the container's timeline, in nanoseconds.
    public var startTimeNanoseconds: Int64
    /// The exact number of output frames: from the first output frame to the end of the last
    /// block, gaps included.
    public var frames: Int64
    /// The rate `frames` counts in.
    public var sampleRate: Int
    /// How many blocks/packets were read.
    public var blocks: Int64
    /// How many timestamp gaps (longer than one timestamp tick) were filled with silence.
    public var gaps: Int64
    /// The total silence inserted for those gaps, in frames.
    public var gapFrames: Int64
    /// Frames dropped because a block started before the previous one ended (overlapping timestamps).
    public var overlapFramesDropped: Int64
    /// Frames discarded at the start for the codec's delay (Opus pre-skip).
    public var preSkipFrames: Int64

    /// Creates a timeline from its parts (probes and sources build these; tests may too).
    public init(
        startTimeNanoseconds: Int64, frames: Int64, sampleRate: Int, blocks: Int64, gaps: Int64,
        gapFrames: Int64, overlapFramesDropped: Int64, preSkipFrames: Int64
    ) {
        self.startTimeNanoseconds = startTimeNanoseconds
        self.frames = frames
        self.sampleRate = sampleRate
        self.blocks = blocks
        self.gaps = gaps
        self.gapFrames = gapFrames
        self.overlapFramesDropped = overlapFramesDropped
        self.preSkipFrames = preSkipFrames
    }

    /// `nanoseconds` as a whole number of frames at `rate`, rounded half away from zero.
    ///
    /// Exact for any Int64 time at rates up to `AudioLimits.maximumSampleRate` (the result is
    /// then below 2^54). Never traps: at larger rates a result beyond Int64 saturates at
    /// `Int64.max`/`Int64.min`, and a rate ≤ 0 gives 0.
    public static func frames(nanoseconds: Int64, rate: Int) -> Int64 {
        guard rate > 0 else { return 0 }
        let second: Int64 = 1_000_000_000
        let r = Int64(rate)
        let whole = nanoseconds / second
        let part = nanoseconds % second
        // |part| < 10^9, so part × rate / 10^9 is computed in 128 bits and its quotient is
        // below |rate|: exact for every rate.
        let scaled = r.magnitude.multipliedFullWidth(by: part.magnitude)
        let (quotient, remainder) = second.magnitude.dividingFullWidth(scaled)
        let roundedMagnitude = Int64(quotient) + (remainder >= second.magnitude / 2 ? 1 : 0)
        let rounded = part < 0 ? -roundedMagnitude : roundedMagnitude
        let (sum, overflow) = CheckedArithmetic.saturatingProduct(whole, r).addingReportingOverflow(rounded)
        return overflow ? (rounded < 0 ? .min : .max) : sum
    }

    /// `frames` at `rate` as nanoseconds, rounded to the nearest nanosecond. Never traps: a
    /// result beyond Int64 saturates, and a rate ≤ 0 gives 0.
    public static func nanoseconds(frames: Int64, rate: Int) -> Int64 {
        guard rate > 0 else { return 0 }
        let second: Int64 = 1_000_000_000
        let r = Int64(rate)
        let whole = frames / r
        let part = frames % r
        // |part| < rate: part × 10^9 in 128 bits, divided by the rate, fits easily.
        let scaled = second.magnitude.multipliedFullWidth(by: part.magnitude)
        let (quotient, remainder) = r.magnitude.dividingFullWidth(scaled)
        let roundedMagnitude = Int64(quotient) + (remainder >= (r.magnitude + 1) / 2 ? 1 : 0)
        let rounded = part < 0 ? -roundedMagnitude : roundedMagnitude
        let (sum, overflow) = CheckedArithmetic.saturatingProduct(whole, second).addingReportingOverflow(rounded)
        return overflow ? (rounded < 0 ? .min : .max) : sum
    }
}
