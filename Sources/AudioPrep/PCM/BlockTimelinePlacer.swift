/// Places decoded blocks at their own timestamps on a track's timeline, so that a gap between
/// blocks becomes silence and nothing is ever laid "after the previous packet" by assumption.
///
/// Positions are counted in frames of the decoded stream from the first block's first decoded
/// sample (codec delay included). A block that starts within `toleranceFrames` of where the
/// previous one ended is treated as contiguous (timestamps are rounded to ticks, typically 1 ms);
/// a later start leaves a gap; an earlier start (overlap) drops the overlapping frames.
struct BlockTimelinePlacer {
    /// What to do with one block.
    struct Placement: Equatable {
        /// Frames of silence to emit before the block.
        var silenceBefore: Int64
        /// Frames to drop from the start of the block because they overlap what was already placed.
        var dropFromStart: Int64
    }

    /// The longest gap accepted between two blocks (a day); longer jumps are damaged timestamps.
    static let maxGapNanoseconds: Int64 = 24 * 3600 * 1_000_000_000
    /// The longest track accepted (a week; Twilio rooms last at most a day): a file whose
    /// timestamps add up to more is damaged, and decoding it would produce endless silence.
    static let maxTrackNanoseconds: Int64 = 7 * 24 * 3600 * 1_000_000_000

    let sampleRate: Int
    let toleranceFrames: Int64
    let path: String
    /// The time of decoded position 0 (the first block's time minus codec delay).
    private(set) var originNanoseconds: Int64?
    /// The decoded position just after the last placed block.
    private(set) var end: Int64 = 0
    private(set) var blocks: Int64 = 0
    private(set) var gaps: Int64 = 0
    private(set) var gapFrames: Int64 = 0
    private(set) var overlapFramesDropped: Int64 = 0

    /// `tickNanoseconds` is the container's timestamp resolution; one tick is the tolerance.
    init(sampleRate: Int, tickNanoseconds: Int64, path: String) {
        self.sampleRate = sampleRate
        // A tick is the container's claim (Matroska TimestampScale): a tick longer than the
        // longest accepted gap is damage, so it is capped there before any product is formed.
        let tickNanoseconds = min(max(tickNanoseconds, 1), Self.maxGapNanoseconds)
        let (product, overflow) = Int64(sampleRate).multipliedReportingOverflow(by: tickNanoseconds)
        let tick = overflow
            ? TrackTimeline.frames(nanoseconds: Self.maxGapNanoseconds, rate: sampleRate)
            : (product - 1) / 1_000_000_000 + 1  // rounded up, without adding to the product
        self.toleranceFrames = max(1, tick)
        self.path = path
    }

    /// Places a block whose first decoded sample is at `timeNanoseconds` and which yields `frames` frames.
    mutating func place(timeNanoseconds: Int64, frames: Int64) throws(AudioPrepError) -> Placement {
        let placement = try placeUnchecked(timeNanoseconds: timeNanoseconds, frames: frames)
        try checkLength()
        return placement
    }

    private mutating func placeUnchecked(timeNanoseconds: Int64, frames: Int64) throws(AudioPrepError) -> Placement {
        blocks += 1
        guard let origin = originNanoseconds else {
            originNanoseconds = timeNanoseconds
            end = frames
            return Placement(silenceBefore: 0, dropFromStart: 0)
        }
        let (delta, overflow) = timeNanoseconds.subtractingReportingOverflow(origin)
        guard !overflow, delta <= Int64.max / 2 else { throw jump(timeNanoseconds) }
        let position = TrackTimeline.frames(nanoseconds: delta, rate: sampleRate)
        if position > end + toleranceFrames {
            let gap = position - end
            guard gap <= TrackTimeline.frames(nanoseconds: Self.maxGapNanoseconds, rate: sampleRate) else {
                throw jump(timeNanoseconds)
            }
            gaps += 1
            gapFrames += gap
            end = position + frames
            return Placement(silenceBefore: gap, dropFromStart: 0)
        }
        if position < end - toleranceFrames {
            let overlap = min(end - position, frames)
            overlapFramesDropped += overlap
            end = max(end, position + frames)
            return Placement(silenceBefore: 0, dropFromStart: overlap)
        }
        end += frames
        return Placement(silenceBefore: 0, dropFromStart: 0)
    }

    /// Throws when the timeline has grown past `maxTrackNanoseconds`.
    private func checkLength() throws(AudioPrepError) {
        guard end <= TrackTimeline.frames(nanoseconds: Self.maxTrackNanoseconds, rate: sampleRate) else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the block timestamps add up to more than a week of audio; the timestamps are damaged. Re-download the file or re-mux it with ffmpeg.")
        }
    }

    private func jump(_ time: Int64) -> AudioPrepError {
        AudioPrepError(
            .corruptFile, path: path,
            "a block timestamp (\(time) ns) jumps more than a day away from the track's start; the timestamps are damaged. Re-download the file or re-mux it with ffmpeg.")
    }
}
