/// Turns Float32 samples (full scale ±1.0 = ±32768) into 16-bit integers, adding triangular
/// (TPDF) dither of ±1 LSB only where precision is actually lost.
///
/// A sample that is already an exact 16-bit value (`x × 32768` is an integer, as every sample
/// decoded from a 16-bit or narrower source is) is converted without dither, so such inputs pass
/// through bit for bit. Any other sample gets the difference of two uniform values in [0, 1) LSB
/// added before rounding to nearest (ties to even). Values beyond full scale are clamped to
/// [−32768, 32767], never wrapped; NaN becomes 0.
///
/// The dither is counter-based: the value added to sample *n* is a hash of (seed, *n*), not the
/// next draw of a sequential generator. The same input therefore always yields the same output,
/// whatever the block sizes, and the per-sample work has no dependency chain, so block loops
/// (`StereoQuantizer`) vectorize. The sequence repeats every 2³² samples (74 h at 16 kHz).
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

    /// Quantizes the next sample of the stream (lane 0 of the four-sample kernel, so it gives
    /// exactly what the block loop of `StereoQuantizer` gives).
    @inline(__always)
    public mutating func quantize(_ sample: Float) -> Int32 {
        defer { position &+= 1 }
        let index = UInt32(truncatingIfNeeded: position)
        return TPDFQuantizer.quantize(SIMD4(sample, 0, 0, 0), key: key, index: SIMD4(index, 0, 0, 0))[0]
    }

    /// Skips `count` samples of the dither sequence (as if they had been quantized).
    public mutating func advance(by count: Int) {
        position &+= UInt64(count)
    }

    /// The quantized values of four samples, lane *i* being sample number `index[i]` of the
    /// stream keyed `key`.
    ///
    /// Selects and integer clamps only, four lanes at a time (the baseline x86-64 target has no
    /// 32-bit vector multiply, and without explicit vectors the compiler leaves such loops
    /// scalar). One branch: when all four samples are already exact 16-bit values, the dither
    /// hash is skipped. Rounding uses the float trick: adding 1.5 × 2²³ to a value of magnitude
    /// < 2²² leaves the rounded integer in the low mantissa bits (Swift does not reassociate
    /// floating-point arithmetic, so this is not optimised away).
    @inline(__always)
    static func quantize(_ samples: SIMD4<Float>, key: UInt32, index: SIMD4<UInt32>) -> SIMD4<Int32> {
        let magic = SIMD4<Float>(repeating: 12_582_912)
        var scaled = samples * 32768
        scaled.replace(with: 32767, where: scaled .> 32767)
        scaled.replace(with: -32768, where: scaled .< -32768)
        scaled.replace(with: 0, where: .!(scaled .== scaled))  // NaN
        let exact = (scaled + magic) - magic .== scaled
        if all(exact) {
            // Every sample of a 16-bit source, and silence: no dither, already in range.
            return unsafeBitCast(scaled + magic, to: SIMD4<Int32>.self) &- 0x4B40_0000
        }
        var dither = triangular(key: key, index: index)
        dither.replace(with: 0, where: exact)
        let biased = (scaled + dither) + magic
        let value = unsafeBitCast(biased, to: SIMD4<Int32>.self) &- 0x4B40_0000
        return value.clamped(lowerBound: SIMD4(repeating: -32768), upperBound: SIMD4(repeating: 32767))
    }

    /// Triangular values in (−1, 1) LSB for samples `index`: the difference of two uniform values
    /// in [0, 1) taken from the two halves of a 32-bit integer hash of each index and `key`
    /// (a multiply–xorshift mixer with full avalanche).
    @inline(__always)
    static func triangular(key: UInt32, index: SIMD4<UInt32>) -> SIMD4<Float> {
        var h = (index &* 0x9E37_79B9) ^ key
        h ^= h &>> 16
        h &*= 0x7FEB_352D
        h ^= h &>> 15
        h &*= 0x846C_A68B
        h ^= h &>> 16
        let scale: Float = 1.0 / 65536.0
        return SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: h &>> 16)) * scale
            - SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: h & 0xFFFF)) * scale
    }
}
