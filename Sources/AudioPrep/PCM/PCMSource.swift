/// The sample format a `PCMSource` delivers: interleaved 32-bit float in [-1, 1].
public struct PCMFormat: Sendable, Hashable {
    public var sampleRate: Int
    public var channels: Int
    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }
}

/// A pull-based stream of decoded audio from one track.
///
/// Every decoding backend (libsndfile, libmpg123, Matroska/Opus, …) implements this, so that the
/// merge pipeline reads any input the same way, block by block, in constant memory.
/// Implementations own their C handles and free them when released.
public protocol PCMSource: AnyObject {
    /// The rate and channel count of the samples `read(into:)` delivers.
    var format: PCMFormat { get }
    /// The exact number of frames this source will deliver in total, when known up front.
    var frameCount: Int64? { get }
    /// Fills `buffer` with up to `buffer.count / format.channels` interleaved frames and returns
    /// how many frames it wrote; 0 means the end of the stream.
    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int
}
