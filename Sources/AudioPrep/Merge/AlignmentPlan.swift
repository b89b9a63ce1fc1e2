/// How two tracks are placed on the output timeline.
public enum AlignmentMode: Sendable, Hashable {
    /// Both start at t = 0; the shorter is padded with silence at the end.
    case start
    /// The shorter is delayed so that both end together.
    case end
    /// Explicit lead silence per track, in seconds (one per track, ≥ 0).
    ///
    /// Later, container timestamps (a track's start in its source timeline) can become another
    /// case that resolves to lead frames the same way.
    case offsets([Double])
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

    /// Plans `contentFrames` (each track's length at the output rate) under `mode`.
    public init(contentFrames: [Int64], mode: AlignmentMode, sampleRate: Int) throws(AudioPrepError) {
        guard !contentFrames.isEmpty else {
            throw AudioPrepError(.invalidArgument, "there are no tracks to align.")
        }
        let leads: [Int64]
        switch mode {
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
        let total = zip(leads, contentFrames).map { $0 + $1 }.max()!
        placements = zip(leads, contentFrames).map { lead, content in
            Placement(lead: lead, content: content, tail: total - lead - content)
        }
        totalFrames = total
    }
}
