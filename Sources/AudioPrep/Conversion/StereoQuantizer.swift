internal import CAudioKernels

/// Quantizes two mono Float32 blocks into one interleaved 16-bit stereo block (left, right,
/// left, …), each channel with its own `TPDFQuantizer` dither sequence.
///
/// This is the merge's per-sample hot loop: one pass, eight frames per step in C vectors, no
/// sequential state (the dither is counter-based), and one branch per eight samples that skips
/// the dither hash when all are already exact 16-bit values (every sample of a 16-bit source at
/// the output rate). Sample *n* of a channel gets exactly the value `TPDFQuantizer.quantize(_:)`
/// would give it as its *n*-th call.
public struct StereoQuantizer: Sendable {
    public private(set) var left: TPDFQuantizer
    public private(set) var right: TPDFQuantizer

    /// Two different dither sequences (the same seed for both channels would make their dither
    /// identical, which a channel-difference measurement would see).
    public init(seed: UInt64 = TPDFQuantizer.defaultSeed) {
        left = TPDFQuantizer(seed: seed)
        right = TPDFQuantizer(seed: seed ^ 0x5555)
    }

    /// Writes `count` interleaved frames to `output` from `leftSamples` and `rightSamples`, with
    /// `callprep_quantize_stereo` (C: eight frames per step, AVX2 where the CPU has it), which
    /// computes exactly what `TPDFQuantizer.quantize(_:)` gives each sample.
    public mutating func quantize(
        left leftSamples: UnsafePointer<Float>, right rightSamples: UnsafePointer<Float>, count: Int,
        into output: UnsafeMutablePointer<Int16>
    ) {
        callprep_quantize_stereo(
            leftSamples, rightSamples, count, left.key, right.key, UInt32(truncatingIfNeeded: left.position),
            UInt32(truncatingIfNeeded: right.position), output)
        self.left.advance(by: count)
        self.right.advance(by: count)
    }
}
