/// How two tracks are placed on the output timeline.
public enum AlignmentMode: Sendable, Hashable {
    /// Both start at t = 0; the shorter is padded with silence at the end.
    case start
    /// The shorter is delayed so that both end together.
    case end
    /// Explicit lead silence per track, in seconds (one per track, ≥ 0).
    ///
    case offsets([Double])
    /// Each track at its own container start time (Matroska block timestamps; for Twilio track
    /// recordings, the time since the room was created), so participants line up as they were
    /// in the room. Every track must carry container timestamps.
    case timestamps(TimelineOrigin)
    /// `timestamps(.earliestTrack)` when every track carries container timestamps, else `start`.
    case automatic
}

/// Where t = 0 of the output lies when tracks are aligned by their container timestamps.
public enum TimelineOrigin: String, Sendable, Hashable, Codable {
    /// At the earliest track start: the output begins when the first participant does.
    case earliestTrack = "earliest"
    /// At 0 on the container timeline (for Twilio recordings, the creation of the room).
    case containerZero = "room"
}

/// Where each track sits on the output timeline, in output frames: a pure value, computed once.
///
/// Every track gets `lead` frames of silence, then its `content` frames, then `tail` frames of
/// silence; all tracks end at `totalFrames`, which is the longest `lead + content`. Nobody is
/// truncated. Offsets in seconds are rounded once, to the nearest output frame.
public struct AlignmentPlan: Sendable, Hashable, Codable {
    /// One track's placement.
    public struct Placement: Sendable, Hashable, Codable {
        public var lead: Int64
        public var content: Int64
        public var tail: Int64

        public init(lead: Int64, content: Int64, tail: Int64) {
            self.lead = lead
            self.content = content
            self.tail = tail
        }
    }

    public var placements: [Placement]
    public var totalFrames: Int64
    /// The mode after `automatic` was resolved (`start`, `end`, `offsets` or `timestamps`).
    public var resolvedMode: String
    /// For `timestamps`: t = 0 of the output on the container timeline, in nanoseconds.
    public var originNanoseconds: Int64?

    /// Plans `contentFrames` (each track's length at the output rate) under `mode`.
    ///
    /// `startNanoseconds` holds each track's container start time (nil for a track without
    /// container timestamps); `timestamps` needs all of them, `automatic` uses them when all are
    /// there. Under `timestamps`, lead_i = round((start_i − t0) × rate / 10⁹), rounded once to
    /// the output rate, where t0 is the earliest start (or 0 for `containerZero`).
    public init(
        contentFrames: [Int64], mode: AlignmentMode, sampleRate: Int, startNanoseconds: [Int64?] = []
    ) throws(AudioPrepError) {
        guard !contentFrames.isEmpty else {
            throw AudioPrepError(.invalidArgument, "there are no tracks to align.")
        }
        guard (1...AudioLimits.maximumSampleRate).contains(sampleRate) else {
            throw AudioPrepError(.invalidArgument, "the output rate \(sampleRate) Hz is outside 1…\(AudioLimits.maximumSampleRate) Hz.")
        }
        if let negative = contentFrames.firstIndex(where: { $0 < 0 }) {
            throw AudioPrepError(.invalidArgument, "track \(negative + 1) has a negative length (\(contentFrames[negative]) frames).")
        }
        var mode = mode
        let starts = startNanoseconds.compactMap { $0 }
        let allTimestamped = startNanoseconds.count == contentFrames.count && starts.count == contentFrames.count
        if case .automatic = mode { mode = allTimestamped ? .timestamps(.earliestTrack) : .start }
        let leads: [Int64]
        var origin: Int64?
        switch mode {
        case .automatic:
            leads = contentFrames.map { _ in 0 }
        case .timestamps(let originKind):
            guard allTimestamped else {
                let missing = startNanoseconds.count == contentFrames.count
                    ? startNanoseconds.enumerated().filter { $0.element == nil }.map { String($0.offset + 1) }
                    : contentFrames.indices.map { String($0 + 1) }
                throw AudioPrepError(
                    .invalidArgument,
                    "--align timestamps needs container timestamps on every track, but track \(missing.joined(separator: ", ")) has none (only Matroska/WebM recordings carry them). Use --align start, end or --offset for such inputs.")
            }
            let t0 = originKind == .earliestTrack ? starts.min()! : 0
            leads = try starts.enumerated().map { (index, start) throws(AudioPrepError) in
                guard start >= t0 else {
                    throw AudioPrepError(
                        .invalidArgument,
                        "track \(index + 1) starts \((Double(t0) - Double(start)) / 1e9) s before the room timeline's 0; use --timeline earliest.")
                }
                let sinceOrigin = try CheckedArithmetic.difference(
                    start, t0,
                    else: AudioPrepError(
                        .invalidArgument,
                        "track \(index + 1) starts \(start) ns on its container's timeline, too far from the earliest track (\(t0) ns) to place; its timestamps are damaged. Check the file with `callprep probe`."))
                return TrackTimeline.frames(nanoseconds: sinceOrigin, rate: sampleRate)
            }
            origin = t0
        case .start:
            leads = contentFrames.map { _ in 0 }
        case .end:
            let longest = contentFrames.max()!
            leads = contentFrames.map { longest - $0 }
        case .offsets(let seconds):
            guard seconds.count == contentFrames.count else {
                throw AudioPrepError(.invalidArgument, "give one offset per track (\(contentFrames.count)), not \(seconds.count).")
            }
            leads = try seconds.enumerated().map { (index, value) throws(AudioPrepError) in
                guard value.isFinite, value >= 0, value < 86_400 else {
                    throw AudioPrepError(
                        .invalidArgument,
                        "the offset of track \(index + 1) (\(value) s) is not a number of seconds between 0 and 86400.")
                }
                return Int64((value * Double(sampleRate)).rounded(.toNearestOrAwayFromZero))
            }
        }
        switch mode {
        case .start, .automatic: resolvedMode = "start"
        case .end: resolvedMode = "end"
        case .offsets: resolvedMode = "offsets"
        case .timestamps: resolvedMode = "timestamps"
        }
        originNanoseconds = origin
        // Leads are below 2^55 frames (a time at a rate inside AudioLimits, or ≤ 86400 s);
        // contents are a caller's numbers, so each end is checked.
        let ends = try zip(leads, contentFrames).enumerated().map { (index, pair) throws(AudioPrepError) in
            try CheckedArithmetic.sum(
                pair.0, pair.1,
                else: AudioPrepError(
                    .invalidArgument,
                    "track \(index + 1) would end beyond any representable length (lead \(pair.0) + \(pair.1) frames); check its length and offset."))
        }
        let total = ends.max()!
        placements = zip(leads, contentFrames).map { lead, content in
            Placement(lead: lead, content: content, tail: total - lead - content)
        }
        totalFrames = total
    }
}
