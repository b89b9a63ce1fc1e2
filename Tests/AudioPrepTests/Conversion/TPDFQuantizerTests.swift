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
