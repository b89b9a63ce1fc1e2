internal import CAudioKernels

/// Turns Float32 samples (full scale ±1.0 = ±32768) into 16-bit integers, adding triangular
/// (TPDF) dither of ±1 LSB only where precision is actually lost.
///
/// A sample that is already an exact 16-bit value (`x × 32768` is an integer, as every sample
/// decoded from a 16-bit or narrower source is) is converted without dither, so such inputs pass
/// through bit for bit. Any other sample gets the difference of two uniform values in [0, 1) LSB
/// added before rounding to nearest (ties to even). Values beyond full scale are clamped to
/// [−32768, 32767], never wrapped; NaN becomes 0.
///
/// The dither is counter-based: the value added to sample *n* is the difference of the two
/// 16-bit halves of a multiply–xorshift hash of (seed, *n*), each scaled to [0, 1) LSB, not the
/// next draw of a sequential generator. The same input therefore always yields the same output,
/// whatever the block sizes, and the per-sample work has no dependency chain, so the block loop
/// (`StereoQuantizer`) runs eight samples per step. The sequence repeats every 2³² samples (74 h
/// at 16 kHz). The arithmetic is in C (`callprep_quantize`, `CAudioKernels`): clamp, then round
/// by adding 1.5 × 2²³, with no fused multiply-adds, so every build gives the same bytes.
public struct TPDFQuantizer: Sendable {
    /// The seed folded to the 32 bits the hash mixes in.
    let key: UInt32
    /// The index of the sample the next `quantize(_:)` call takes.
    public private(set) var position: UInt64 = 0

    /// The seed used when none is given: fixed, so runs are reproducible.
    public static let defaultSeed: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init(seed: UInt64 = TPDFQuantizer.defaultSeed) {
        key = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    }

    /// Quantizes the next sample of the stream, with the same C kernel as `StereoQuantizer`
    /// (`callprep_quantize`), so one sample at a time gives what a block gives.
    public mutating func quantize(_ sample: Float) -> Int32 {
        defer { position &+= 1 }
        var input = sample
        var output: Int16 = 0
        callprep_quantize(&input, 1, key, UInt32(truncatingIfNeeded: position), &output)
        return Int32(output)
    }

    /// Skips `count` samples of the dither sequence (as if they had been quantized).
    public mutating func advance(by count: Int) {
        position &+= UInt64(count)
    }

}
