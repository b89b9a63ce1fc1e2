/// Turns Float32 samples (full scale ±1.0 = ±32768) into 16-bit integers, adding triangular
/// (TPDF) dither of ±1 LSB only where precision is actually lost.
///
/// A sample that is already an exact 16-bit value (`x × 32768` is an integer, as every sample
/// decoded from a 16-bit or narrower source is) is converted without dither, so such inputs pass
/// through bit for bit. Any other sample gets the sum of two uniform random values in
/// (−0.5, 0.5) LSB added before rounding. The random generator (xorshift64*) starts from a fixed
/// seed, so the same input always yields the same output. Values beyond full scale are clamped
/// to [−32768, 32767], never wrapped; NaN becomes 0.
public struct TPDFQuantizer: Sendable {
    private var state: UInt64

    /// The seed used when none is given: fixed, so runs are reproducible.
    public static let defaultSeed: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init(seed: UInt64 = TPDFQuantizer.defaultSeed) {
        state = seed == 0 ? TPDFQuantizer.defaultSeed : seed
    }

    /// Quantizes one sample.
    @inline(__always)
    public mutating func quantize(_ sample: Float) -> Int32 {
        let scaled = sample * 32768
        if scaled >= 32767 { return 32767 }
        if scaled <= -32768 { return -32768 }
        if scaled.isNaN { return 0 }
        let rounded = TPDFQuantizer.roundToNearestEven(scaled)
        if rounded == scaled {
            return Int32(rounded)
        }
        let dithered = TPDFQuantizer.roundToNearestEven(scaled + nextTriangular())
        return Int32(min(32767, max(-32768, dithered)))
    }

    /// Round-to-nearest-even for |value| < 2²², without a call into libm: adding and
    /// subtracting 1.5 × 2²³ leaves no fraction bits in a Float (and Swift does not reassociate
    /// floating-point arithmetic, so this is not optimised away).
    @inline(__always)
    static func roundToNearestEven(_ value: Float) -> Float {
        let magic: Float = 12_582_912
        return (value + magic) - magic
    }

    /// A triangular random value in (−1, 1) LSB: the difference of two uniform values in [0, 1).
    @inline(__always)
    private mutating func nextTriangular() -> Float {
        let bits = next()
        let first = Float(bits >> 40) * (1.0 / 16_777_216.0)
        let second = Float((bits >> 16) & 0xFF_FFFF) * (1.0 / 16_777_216.0)
        return first - second
    }

    @inline(__always)
    private mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
