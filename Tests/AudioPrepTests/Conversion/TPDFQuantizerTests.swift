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
