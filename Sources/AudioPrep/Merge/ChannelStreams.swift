/// How one channel's recordings are grouped into streams before a merge: each person's
/// recordings (by identity when known, else by `PA…` SID, so a participant who reconnected under
/// a new SID is one person) apart from everybody else's, and within a person, recordings that
/// follow each other (reconnects) in one stream, laid on one timeline by `TimelineSequenceSource`.
///
/// A recording that overlaps an earlier one of the same stream by more than
/// `TimelineSequenceSource.overlapTolerance` (or has another rate or channel count) opens a new
/// stream instead of being refused; a channel with several streams is mixed (`ChannelMix`).
/// The overlap test is `TimelineSequenceSource`'s, in the same frames, so a stream formed here is
/// always one `TimelineSequenceSource` accepts.
enum ChannelStreams {
    /// The streams, as indices into `parts`: participants in order of first appearance (files
    /// without a participant form one group of their own), and inside each, streams in order of
    /// their first recording's start, each stream's parts ordered by start.
    static func group(_ parts: [TimelineSequenceSource.Part], participants: [String?]) -> [[Int]] {
        var groupOrder: [String?] = []
        for participant in participants where !groupOrder.contains(participant) { groupOrder.append(participant) }
        var result: [[Int]] = []
        for participant in groupOrder {
            let members = parts.indices.filter { participants[$0] == participant }
            result += streams(of: members.map { (index: $0, part: parts[$0]) })
        }
        return result
    }

    private struct Stream {
        var members: [Int]
        var format: PCMFormat
        /// The first member's start, in nanoseconds: the stream's frame 0.
        var origin: Int64
        /// The end of the stream so far, in frames from `origin`.
        var end: Int64
    }

    /// First fit by start time: each recording joins the first stream of its format that has
    /// ended (within the tolerance) by the time it starts, or opens a new one.
    private static func streams(of members: [(index: Int, part: TimelineSequenceSource.Part)]) -> [[Int]] {
        let ordered = members.enumerated().sorted { a, b in
            let (x, y) = (a.element.part.source.startTimeNanoseconds, b.element.part.source.startTimeNanoseconds)
            let startA = x.addingReportingOverflow(a.element.part.offsetNanoseconds)
            let startB = y.addingReportingOverflow(b.element.part.offsetNanoseconds)
            return (startA.partialValue, a.offset) < (startB.partialValue, b.offset)
        }.map(\.element)
        var streams: [Stream] = []
        for member in ordered {
            let source = member.part.source
            let format = source.format
            let (start, overflow) = source.startTimeNanoseconds.addingReportingOverflow(member.part.offsetNanoseconds)
            let frames = max(0, source.frameCount ?? 0)
            let tolerance = TrackTimeline.frames(nanoseconds: TimelineSequenceSource.overlapTolerance, rate: format.sampleRate)
            let joined = overflow ? nil : streams.indices.first { index in
                let stream = streams[index]
                guard stream.format == format else { return false }
                let (sinceOrigin, tooFar) = start.subtractingReportingOverflow(stream.origin)
                guard !tooFar else { return false }
                return TrackTimeline.frames(nanoseconds: sinceOrigin, rate: format.sampleRate) >= stream.end - tolerance
            }
            if let joined {
                let sinceOrigin = start - streams[joined].origin
                let startFrame = TrackTimeline.frames(nanoseconds: sinceOrigin, rate: format.sampleRate)
                streams[joined].members.append(member.index)
                streams[joined].end = max(streams[joined].end, startFrame + frames)
            } else {
                streams.append(Stream(members: [member.index], format: format, origin: overflow ? 0 : start, end: frames))
            }
        }
        return streams.map(\.members)
    }
}
