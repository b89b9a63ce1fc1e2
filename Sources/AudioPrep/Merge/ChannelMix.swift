import Synchronization

/// One output channel that sums several streams (participants sharing a channel, or one
/// participant's overlapping recordings), each already on the output timeline at the output rate.
///
/// The sum is taken in Float32, stream by stream in the order given (the first stream's samples,
/// plus the second's, plus …), so the result is exactly what adding the decoded streams gives.
/// Nothing is scaled: a sum beyond full scale is clamped by the quantizer to −32768…32767,
/// never wrapped, and counted here (`clippedSamples`: samples whose sum × 32768 lies above 32767
/// or below −32768, the quantizer's clamp before dither) for the manifest.
final class ChannelMix: ChannelBlockSource {
    private let streams: [ChannelTimeline]
    private var scratch: UnsafeMutableBufferPointer<Float>
    private let clipped = Atomic<Int64>(0)

    init(streams: [ChannelTimeline]) {
        self.streams = streams
        scratch = .allocate(capacity: 0)
    }

    deinit { scratch.deallocate() }

    /// The samples clamped so far. Read it once the channel's last block has been taken.
    var clippedSamples: Int64 {
        clipped.load(ordering: .acquiring)
    }

    func fill(_ buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) {
        try streams[0].fill(buffer)
        if scratch.count < buffer.count {
            scratch.deallocate()
            scratch = .allocate(capacity: buffer.count)
        }
        let part = UnsafeMutableBufferPointer(rebasing: scratch[0..<buffer.count])
        for stream in streams.dropFirst() {
            try stream.fill(part)
            for index in buffer.indices { buffer[index] += part[index] }
        }
        var over: Int64 = 0
        for sample in buffer {
            let scaled = sample * 32768
            if scaled > 32767 || scaled < -32768 { over += 1 }
        }
        clipped.add(over, ordering: .releasing)
    }
}
