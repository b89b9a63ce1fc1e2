import AudioPrep
import Testing

@Suite struct StereoQuantizerTests {
    /// Samples that are exact 16-bit values, values between them, overs, infinities and NaN.
    private func samples(count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { index in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            switch index % 7 {
            case 0: return Float(Int16(truncatingIfNeeded: state >> 48)) / 32768
            case 1: return Float(Int32(truncatingIfNeeded: state >> 40)) / 8_388_608 * 1.2
            case 2: return [Float.nan, .infinity, -.infinity, 1.0, -1.0, 32767.6 / 32768][Int(state >> 61) % 6]
            default: return Float(Int32(truncatingIfNeeded: state >> 40)) / 8_388_608
            }
        }
    }

    @Test func blockLoopEqualsTheScalarQuantizerSampleForSample() {
        let frames = 10_007
        let left = samples(count: frames, seed: 1)
        let right = samples(count: frames, seed: 2)
        var stereo = StereoQuantizer(seed: 77)
        var out = [Int16](repeating: 0, count: frames * 2)
        // Uneven blocks: the dither of sample n must not depend on where blocks start.
        var start = 0
        for size in [1, 4096, 3, 5000, 907] where start < frames {
            let n = min(size, frames - start)
            left.withUnsafeBufferPointer { l in
                right.withUnsafeBufferPointer { r in
                    out.withUnsafeMutableBufferPointer { o in
                        stereo.quantize(left: l.baseAddress! + start, right: r.baseAddress! + start, count: n, into: o.baseAddress! + 2 * start)
                    }
                }
            }
            start += n
        }
        #expect(start == frames)
        #expect(stereo.left.position == 10_007)
        var scalarLeft = TPDFQuantizer(seed: 77)
        var scalarRight = TPDFQuantizer(seed: 77 ^ 0x5555)
        var mismatches = 0
        for frame in 0..<frames {
            if Int32(out[2 * frame]) != scalarLeft.quantize(left[frame]) { mismatches += 1 }
            if Int32(out[2 * frame + 1]) != scalarRight.quantize(right[frame]) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func exactValuesPassAndTheChannelsGetDifferentDither() {
        let frames = 4096
        let exact = (0..<frames).map { Float(($0 * 37) % 65536 - 32768) / 32768 }
        let between: [Float] = Array(repeating: 100.5 / 32768, count: frames)
        var stereo = StereoQuantizer()
        var out = [Int16](repeating: 0, count: frames * 2)
        exact.withUnsafeBufferPointer { l in
            between.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { stereo.quantize(left: l.baseAddress!, right: r.baseAddress!, count: frames, into: $0.baseAddress!) }
            }
        }
        #expect((0..<frames).allSatisfy { Int(out[2 * $0]) == ($0 * 37) % 65536 - 32768 })
        let rights = (0..<frames).map { out[2 * $0 + 1] }
        #expect(rights.allSatisfy { (99...102).contains($0) })
        // Both channels fed the same non-exact value get different (uncorrelated) dither.
        var twin = StereoQuantizer()
        var pair = [Int16](repeating: 0, count: frames * 2)
        between.withUnsafeBufferPointer { b in
            pair.withUnsafeMutableBufferPointer { twin.quantize(left: b.baseAddress!, right: b.baseAddress!, count: frames, into: $0.baseAddress!) }
        }
        let differing = (0..<frames).filter { pair[2 * $0] != pair[2 * $0 + 1] }.count
        #expect(differing > frames / 4)
    }
}
