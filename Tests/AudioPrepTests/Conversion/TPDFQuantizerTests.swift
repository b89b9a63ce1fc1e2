import AudioPrep
import Testing

@Suite struct TPDFQuantizerTests {
    @Test func everyExact16BitValuePassesThroughUnchanged() {
        var quantizer = TPDFQuantizer()
        for value in Int32(Int16.min)...Int32(Int16.max) {
            #expect(quantizer.quantize(Float(value) / 32768) == value)
        }
    }

    @Test func oversAreClampedNeverWrapped() {
        var quantizer = TPDFQuantizer()
        #expect(quantizer.quantize(1.0) == 32767)
        #expect(quantizer.quantize(1.5) == 32767)
        #expect(quantizer.quantize(40) == 32767)
        #expect(quantizer.quantize(-1.0) == -32768)
        #expect(quantizer.quantize(-3.25) == -32768)
        #expect(quantizer.quantize(Float.infinity) == 32767)
        #expect(quantizer.quantize(-Float.infinity) == -32768)
        #expect(quantizer.quantize(Float.nan) == 0)
        // Just below full scale with dither: still clamped, never 32768 or wrapped negative.
        for _ in 0..<10_000 {
            let value = quantizer.quantize(32767.4 / 32768)
            #expect(value == 32767 || value == 32766)
        }
    }

    @Test func ditherIsBoundedUnbiasedAndReproducible() {
        var first = TPDFQuantizer(seed: 42)
        var second = TPDFQuantizer(seed: 42)
        var sum = 0.0
        var distinct = Set<Int32>()
        let sample: Float = 1000.25 / 32768
        for _ in 0..<100_000 {
            let a = first.quantize(sample)
            #expect(a == second.quantize(sample))
            // TPDF of ±1 LSB around 1000.25, then rounding: 999…1001 only.
            #expect((999...1001).contains(a))
            sum += Double(a)
            distinct.insert(a)
        }
        #expect(abs(sum / 100_000 - 1000.25) < 0.01)
        #expect(distinct.count >= 2)
    }
}

@Suite struct TPDFQuantizerDistributionTests {
    /// Triangular dither T over (−1, 1) LSB before rounding: for 500.25 the outcomes are 499
    /// (T < −0.75, probability 1/32), 501 (T > 0.25, 9/32) and 500 (the rest, 22/32); the mean
    /// is unbiased and the error power is 1/4 LSB² (1/12 rounding + 1/6 dither) whatever the value.
    @Test(arguments: [
        (500.25, [499: 0.03125, 500: 0.6875, 501: 0.28125]),
        (500.5, [500: 0.5, 501: 0.5]),
        (-7.75, [-9: 0.03125, -8: 0.6875, -7: 0.28125]),
    ] as [(Double, [Int32: Double])])
    func ditherHasTheTriangularDistribution(value: Double, expected: [Int32: Double]) {
        var quantizer = TPDFQuantizer(seed: 9)
        var histogram: [Int32: Int] = [:]
        var sum = 0.0
        var squares = 0.0
        let n = 200_000
        for _ in 0..<n {
            let q = quantizer.quantize(Float(value / 32768))
            histogram[q, default: 0] += 1
            let error = Double(q) - value
            sum += error
            squares += error * error
        }
        #expect(Set(histogram.keys).isSubset(of: Set(expected.keys)))
        for (outcome, probability) in expected {
            #expect(abs(Double(histogram[outcome] ?? 0) / Double(n) - probability) < 0.004, "outcome \(outcome)")
        }
        #expect(abs(sum / Double(n)) < 0.005)
        #expect(abs(squares / Double(n) - 0.25) < 0.005)
    }
}

/// The quantizer against a plain restatement of its arithmetic, one sample at a time in Swift:
/// clamp, NaN to 0, exact values unchanged, otherwise the dither of sample n (the two 16-bit
/// halves of the hash of (key, n), scaled by 2⁻¹⁶, subtracted) added before rounding to
/// nearest, ties to even. The production code is C; this is the independent check of its bytes.
@Suite struct TPDFQuantizerArithmeticTests {
    static func reference(_ sample: Float, key: UInt32, index: UInt32) -> Int32 {
        var scaled = sample * 32768
        if scaled > 32767 { scaled = 32767 }
        if scaled < -32768 { scaled = -32768 }
        if scaled.isNaN { scaled = 0 }
        if scaled.rounded(.toNearestOrEven) == scaled { return Int32(scaled) }
        var h = (index &* 0x9E37_79B9) ^ key
        h ^= h >> 16
        h &*= 0x7FEB_352D
        h ^= h >> 15
        h &*= 0x846C_A68B
        h ^= h >> 16
        let dither = Float(h >> 16) / 65536 - Float(h & 0xFFFF) / 65536
        let value = Int32((scaled + dither).rounded(.toNearestOrEven))
        return min(32767, max(-32768, value))
    }

    @Test func matchesTheArithmeticSampleForSample() {
        let seed: UInt64 = 0x1234_5678_9ABC_DEF0
        let key = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
        var quantizer = TPDFQuantizer(seed: seed)
        var state: UInt64 = 7
        var mismatches = 0
        for index in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let sample: Float = switch index % 5 {
            case 0: Float(Int16(truncatingIfNeeded: state >> 48)) / 32768
            case 1: [Float.nan, .infinity, -.infinity, 1.0, -1.0, 32767.6 / 32768][Int(state >> 61) % 6]
            case 2: Float(Int32(truncatingIfNeeded: state >> 40)) / 8_388_608 * 1.3
            default: Float(Int32(truncatingIfNeeded: state >> 40)) / 8_388_608
            }
            if quantizer.quantize(sample) != Self.reference(sample, key: key, index: UInt32(index)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
