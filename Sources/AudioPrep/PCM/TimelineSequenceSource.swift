/// Several timestamped recordings of one participant laid on one timeline, as one source.
///
/// A participant who reconnects, or whose recording was paused by Recording Rules, has several
/// track recordings. Each is placed at its own start (its container start time plus an optional
/// offset, such as the difference between Twilio's per-room `offset` values); the time between
/// them becomes silence. Recordings that overlap by more than `overlapTolerance` are an error:
/// callprep never mixes or drops a participant's speech silently. All parts must share one
/// sample rate and channel count (they do for one participant's Opus or PCMU recordings).
public final class TimelineSequenceSource: TimestampedPCMSource {
    /// One recording and where it goes.
    public struct Part {
        public var source: any TimestampedPCMSource
        /// Added to the source's own start time (nanoseconds), e.g. `(offset_i − offset_0) × 10^6`
        /// for Twilio recordings of different rooms.
        public var offsetNanoseconds: Int64
        /// How the part is named in messages (its path).
        public var label: String

        public init(source: any TimestampedPCMSource, offsetNanoseconds: Int64 = 0, label: String) {
            self.source = source
            self.offsetNanoseconds = offsetNanoseconds
            self.label = label
        }
    }

    /// Overlaps up to this long (one Matroska tick) are rounding, not overlap: the later part's
    /// first frames are dropped instead.
    public static let overlapTolerance: Int64 = 1_000_000

    public let format: PCMFormat
    public let frameCount: Int64?
    public let timeline: TrackTimeline
    /// The start of the earliest part on the shared timeline.
    public var startTimeNanoseconds: Int64 { timeline.startTimeNanoseconds }

    private struct Placed {
        var source: any TimestampedPCMSource
        var startFrame: Int64  // relative to the first part
        var dropFrames: Int64
        var frames: Int64
    }
    private let parts: [Placed]
    private var index = 0
    private var position: Int64 = 0  // frames delivered so far
    private var partDelivered: Int64 = 0
    private var partStarted = false
    private var scratch: [Float] = []

    /// Orders `parts` by start, checks formats and overlaps, and computes the exact length.
    /// Every part must know its `frameCount`.
    public init(parts: [Part]) throws(AudioPrepError) {
        guard let first = parts.first else {
            throw AudioPrepError(.invalidArgument, "no recordings were given for a participant; pass at least one file.")
        }
        let format = first.source.format
        var starts: [(part: Part, start: Int64)] = []
        for part in parts {
            guard part.source.format == format else {
                throw AudioPrepError(
                    .invalidArgument, path: part.label,
                    "has \(part.source.format.sampleRate) Hz / \(part.source.format.channels) ch, but \(first.label) has \(format.sampleRate) Hz / \(format.channels) ch; recordings laid on one channel must share a format. Convert them first, or put them on separate tracks.")
            }
            guard let frames = part.source.frameCount else {
                throw AudioPrepError(.invalidArgument, path: part.label, "has no known length, so it cannot be placed before later recordings.")
            }
            try AudioLimits.check(sampleRate: format.sampleRate, channels: format.channels, frames: frames, path: part.label)
            let (start, overflow) = part.source.startTimeNanoseconds.addingReportingOverflow(part.offsetNanoseconds)
            guard !overflow else { throw AudioPrepError(.invalidArgument, path: part.label, "its offset is out of range.") }
            starts.append((part, start))
        }
        starts.sort { $0.start < $1.start }
        let origin = starts[0].start
        let rate = format.sampleRate
        let tolerance = TrackTimeline.frames(nanoseconds: Self.overlapTolerance, rate: rate)
        var placed: [Placed] = []
        var end: Int64 = 0
        var gaps: Int64 = 0, gapFrames: Int64 = 0, blocks: Int64 = 0, overlap: Int64 = 0
        // Rate and lengths are inside AudioLimits, so frame positions stay below 2^55 and the
        // sums below cannot overflow; the time differences and the counters are checked.
        let tooFar = { (label: String) in
            AudioPrepError(
                .corruptFile, path: label,
                "its start time lies too far from the other recordings' (more than Int64 nanoseconds apart); its timestamps or its offset are damaged. Check the offsets in the Recordings list.")
        }
        for (i, entry) in starts.enumerated() {
            let sinceOrigin = try CheckedArithmetic.difference(entry.start, origin, else: tooFar(entry.part.label))
            let startFrame = TrackTimeline.frames(nanoseconds: sinceOrigin, rate: rate)
            let frames = entry.part.source.frameCount ?? 0
            var drop: Int64 = 0
            if i > 0 {
                if startFrame < end - tolerance {
                    let previous = starts[i - 1]
                    throw AudioPrepError(
                        .invalidArgument, path: entry.part.label,
                        "starts at \(Self.seconds(entry.start)) s, before \(previous.part.label) ends at \(Self.seconds(origin + TrackTimeline.nanoseconds(frames: end, rate: rate))) s; recordings of one participant must not overlap. Check that both belong to the same participant and that their offsets are right.")
                }
                if startFrame < end {
                    drop = min(end - startFrame, frames)
                } else if startFrame > end {
                    gaps += 1
                    gapFrames += startFrame - end
                }
            }
            placed.append(Placed(source: entry.part.source, startFrame: startFrame + drop, dropFrames: drop, frames: frames - drop))
            end = max(end, startFrame + frames)
            let inner = entry.part.source.timeline
            let badCounts = AudioPrepError(
                .corruptFile, path: entry.part.label, "its timeline's block and gap counts are out of range; the file is damaged. Re-download it.")
            gaps = try CheckedArithmetic.sum(gaps, inner.gaps, else: badCounts)
            gapFrames = try CheckedArithmetic.sum(gapFrames, inner.gapFrames, else: badCounts)
            blocks = try CheckedArithmetic.sum(blocks, inner.blocks, else: badCounts)
            overlap = try CheckedArithmetic.sum(overlap, try CheckedArithmetic.sum(inner.overlapFramesDropped, drop, else: badCounts), else: badCounts)
        }
        self.format = format
        self.parts = placed
        self.frameCount = end
        self.timeline = TrackTimeline(
            startTimeNanoseconds: origin, frames: end, sampleRate: rate, blocks: blocks, gaps: gaps,
            gapFrames: gapFrames, overlapFramesDropped: overlap, preSkipFrames: starts[0].part.source.timeline.preSkipFrames)
    }

    /// Delivers silence before and between parts, and each part's frames at its place.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let channels = format.channels
        let capacity = Int(min(Int64(buffer.count / channels), (frameCount ?? 0) - position))
        var written = 0
        while written < capacity, index < parts.count {
            let part = parts[index]
            if position < part.startFrame {
                let n = Int(min(part.startFrame - position, Int64(capacity - written)))
                buffer.baseAddress!.advanced(by: written * channels).update(repeating: 0, count: n * channels)
                written += n
                position += Int64(n)
                continue
            }
            if !partStarted {
                partStarted = true
                if part.dropFrames > 0 { try skip(part.dropFrames, of: part.source) }
            }
            let wanted = Int(min(part.frames - partDelivered, Int64(capacity - written)))
            let n = wanted > 0
                ? try part.source.read(into: UnsafeMutableBufferPointer(rebasing: buffer[(written * channels)..<((written + wanted) * channels)]))
                : 0
            written += n
            position += Int64(n)
            partDelivered += Int64(n)
            if n == 0 || partDelivered >= part.frames {
                if partDelivered < part.frames {
                    throw AudioPrepError(.decodeFailed, path: nil, "a recording ended \(part.frames - partDelivered) frames before its announced length.")
                }
                index += 1
                partDelivered = 0
                partStarted = false
            }
        }
        return written
    }

    private func skip(_ frames: Int64, of source: any TimestampedPCMSource) throws(AudioPrepError) {
        let channels = format.channels
        if scratch.count < 4096 * channels { scratch = [Float](repeating: 0, count: 4096 * channels) }
        var left = frames
        while left > 0 {
            let n = try scratch.withUnsafeMutableBufferPointer { (buffer) throws(AudioPrepError) -> Int in
                try source.read(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<(Int(min(left, 4096)) * channels)]))
            }
            if n == 0 { break }
            left -= Int64(n)
        }
    }

    private static func seconds(_ nanoseconds: Int64) -> String {
        String(Double(nanoseconds) / 1e9)
    }
}
