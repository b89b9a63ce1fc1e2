/// A channel of the output, block by block: what `TrackPrefetcher` runs on its thread.
protocol ChannelBlockSource: AnyObject {
    /// Fills the whole buffer with the next samples of the channel.
    func fill(_ buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError)
}

/// One channel of the output timeline: `lead` zeros, then exactly `content` samples pulled
/// from the track's mono stream, then `tail` zeros.
final class ChannelTimeline: ChannelBlockSource {
    private let stream: any MonoStream
    private let placement: AlignmentPlan.Placement
    private let path: String
    private var position: Int64 = 0

    init(stream: any MonoStream, placement: AlignmentPlan.Placement, path: String) {
        self.stream = stream
        self.placement = placement
        self.path = path
    }

    /// Fills the whole buffer with the next samples of the timeline.
    func fill(_ buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) {
        var filled = 0
        while filled < buffer.count {
            let contentStart = placement.lead
            let contentEnd = placement.lead + placement.content
            let remaining = buffer.count - filled
            if position < contentStart || position >= contentEnd {
                let limit = position < contentStart ? contentStart - position : Int64(remaining)
                let zeros = Int(min(Int64(remaining), limit))
                UnsafeMutableBufferPointer(rebasing: buffer[filled..<(filled + zeros)]).update(repeating: 0)
                filled += zeros
                position += Int64(zeros)
                continue
            }
            let want = Int(min(Int64(remaining), contentEnd - position))
            let got = try stream.read(into: UnsafeMutableBufferPointer(rebasing: buffer[filled..<(filled + want)]))
            if got == 0 {
                throw AudioPrepError(
                    .decodeFailed, path: path,
                    "the track ended after \(position - contentStart) of \(placement.content) expected frames; the file may be truncated. Re-export or re-download it.")
            }
            filled += got
            position += Int64(got)
        }
    }
}
