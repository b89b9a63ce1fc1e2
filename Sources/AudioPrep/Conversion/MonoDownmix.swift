/// Turns any `PCMSource` into a mono stream by averaging its channels, frame by frame.
///
/// Averaging (not summing) keeps full scale at ±1.0 and never clips. For a mono source the
/// samples pass through untouched; for a dual-mono stereo source (both sides equal) the average
/// equals each side exactly, so 16-bit values survive bit for bit.
public final class MonoDownmix: MonoStream {
    private let source: any PCMSource
    private let channels: Int
    private var scratch: UnsafeMutableBufferPointer<Float>
    /// The path reported in errors.
    private let path: String?

    public var sampleRate: Int { source.format.sampleRate }

    /// Wraps `source`; `path` names it in errors.
    public init(source: any PCMSource, path: String? = nil) {
        self.source = source
        self.channels = max(1, source.format.channels)
        self.path = path
        self.scratch = .allocate(capacity: 0)
    }

    deinit { scratch.deallocate() }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        if channels == 1 {
            return try source.read(into: buffer)
        }
        let needed = buffer.count * channels
        if scratch.count < needed {
            scratch.deallocate()
            scratch = .allocate(capacity: needed)
        }
        let frames = try source.read(into: UnsafeMutableBufferPointer(rebasing: scratch[0..<needed]))
        guard frames > 0 else { return 0 }
        guard frames <= buffer.count else {
            throw AudioPrepError(.internalError, path: path, "the decoder returned more frames than asked for.")
        }
        let input = scratch.baseAddress!
        let output = buffer.baseAddress!
        if channels == 2 {
            for frame in 0..<frames {
                output[frame] = (input[2 * frame] + input[2 * frame + 1]) * 0.5
            }
        } else {
            let scale = 1 / Float(channels)
            for frame in 0..<frames {
                var sum: Float = 0
                let base = frame * channels
                for channel in 0..<channels { sum += input[base + channel] }
                output[frame] = sum * scale
            }
        }
        return frames
    }
}
