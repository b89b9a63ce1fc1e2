import CAudioKernels
import Testing

/// The batched prediction (eight subframes per AVX2 vector) against the one-subframe loop, on
/// random data: every lane count, orders on both sides of the batched kernel's limit (12), block
/// lengths around its tap counts (8, 12), any shift.
@Suite struct FLACKernelsTests {
    @Test func batchedPredictionEqualsOneSubframeAtATime() {
        var rng = SplitMix64(seed: 3)
        let counts = [1, 7, 8, 9, 12, 13, 100, 4096, 4097]
        for trial in 0..<270 {
            let lanes = 1 + trial % 8
            let count = counts[trial % counts.count]
            let orders = (0..<lanes).map { _ in UInt32.random(in: 1...(trial % 3 == 0 ? 14 : 12), using: &rng) }
            let shifts = (0..<lanes).map { _ in UInt32.random(in: 0...15, using: &rng) }
            var coefficients = [Int32](repeating: 0, count: 32 * lanes)
            for lane in 0..<lanes {
                for j in 0..<Int(orders[lane]) { coefficients[32 * lane + j] = Int32.random(in: -2048...2047, using: &rng) }
            }
            // All lanes in one array, lane l at l × count.
            let original = (0..<(lanes * count)).map { _ in Int32.random(in: -32768...32767, using: &rng) }
            var batched = original
            var single = original
            var scratch = [Int32](repeating: 0, count: count * 8)
            batched.withUnsafeMutableBufferPointer { samples in
                let planes: [UnsafeMutablePointer<Int32>?] = (0..<lanes).map { samples.baseAddress! + $0 * count }
                callprep_flac_lpc_restore32_lanes(planes, UInt32(lanes), count, coefficients, orders, shifts, &scratch)
            }
            single.withUnsafeMutableBufferPointer { samples in
                coefficients.withUnsafeBufferPointer { c in
                    for lane in 0..<lanes {
                        callprep_flac_lpc_restore32(
                            samples.baseAddress! + lane * count, count, c.baseAddress! + 32 * lane, orders[lane], shifts[lane])
                    }
                }
            }
            #expect(batched == single, "trial \(trial): \(lanes) lanes of \(count), orders \(orders)")
        }
    }
}
