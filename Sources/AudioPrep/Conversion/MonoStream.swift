/// A pull-based stream of mono Float32 samples (full scale ±1.0), the shape every track has
/// inside the merge pipeline after downmixing and resampling.
public protocol MonoStream: AnyObject {
    /// The rate of the samples `read(into:)` delivers.
    var sampleRate: Int { get }
    /// Fills up to `buffer.count` samples and returns how many were written; 0 means the end.
    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int
}
