internal import CAudioKernels

/// Turns a decoded residual back into samples, in place (RFC 9639 §9.2.5 and §9.2.6): sample i
/// is its residual plus the prediction from the `order` samples before it, which are already
/// final; the first `order` values are the warm-up samples themselves.
enum FLACPrediction {
    /// The fixed polynomial predictors of orders 0…4.
    static func restoreFixed(_ samples: UnsafeMutablePointer<Int32>, count: Int, order: Int) {
        guard count > order else { return }
        switch order {
        case 1:
            var previous = samples[0]
            for i in 1..<count {
                previous = samples[i] &+ previous
                samples[i] = previous
            }
        case 2:
            for i in 2..<count {
                samples[i] &+= 2 &* samples[i &- 1] &- samples[i &- 2]
            }
        case 3:
            for i in 3..<count {
                samples[i] &+= 3 &* (samples[i &- 1] &- samples[i &- 2]) &+ samples[i &- 3]
            }
        case 4:
            for i in 4..<count {
                samples[i] &+= 4 &* (samples[i &- 1] &+ samples[i &- 3]) &- 6 &* samples[i &- 2] &- samples[i &- 4]
            }
        default:
            break  // order 0: the residual is the signal
        }
    }

    /// Linear prediction in 64-bit sums, for the rare streams whose coefficients and samples
    /// together exceed 32 bits: sample i += (Σ c[j]·s[i−1−j]) >> shift.
    static func restoreWide(
        _ samples: UnsafeMutablePointer<Int32>, count: Int, order: Int, coefficients: (SIMD16<Int32>, SIMD16<Int32>),
        shift: Int
    ) {
        guard count > order else { return }
        var c = [Int64](repeating: 0, count: order)
        for j in 0..<order { c[j] = Int64(j < 16 ? coefficients.0[j] : coefficients.1[j &- 16]) }
        c.withUnsafeBufferPointer { c in
            for i in order..<count {
                var sum: Int64 = 0
                for j in 0..<order {
                    sum &+= c[j] &* Int64(samples[i &- 1 &- j])
                }
                samples[i] &+= Int32(truncatingIfNeeded: sum &>> Int64(shift))
            }
        }
    }

    /// Deferred 32-bit predictions of `lanes.count` subframes of `count` samples each, restored
    /// together by `callprep_flac_lpc_restore32_lanes` (eight chains side by side with AVX2),
    /// then shifted by their wasted bits. `scratch` holds `count × 8` values.
    static func restoreLanes(
        _ lanes: [(samples: UnsafeMutablePointer<Int32>, prediction: FLACDeferredPrediction)], count: Int,
        scratch: UnsafeMutablePointer<Int32>
    ) {
        precondition((1...8).contains(lanes.count))
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 8 * 32) { coefficients in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { parameters in
        withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Int32>?.self, capacity: 8) { planes in
            for (lane, entry) in lanes.enumerated() {
                for j in 0..<32 { coefficients[32 &* lane &+ j] = entry.prediction.coefficient(j) }
                parameters[lane] = UInt32(entry.prediction.order)
                parameters[8 &+ lane] = UInt32(entry.prediction.shift)
                planes[lane] = entry.samples
            }
            callprep_flac_lpc_restore32_lanes(
                planes.baseAddress!, UInt32(lanes.count), count, coefficients.baseAddress!, parameters.baseAddress!,
                parameters.baseAddress! + 8, scratch)
        }}}
        for entry in lanes {
            restoreWastedBits(entry.samples, count: count, wasted: entry.prediction.wasted)
        }
    }

    /// Shifts samples coded without their `wasted` low zero bits back into place.
    @inline(__always)
    static func restoreWastedBits(_ samples: UnsafeMutablePointer<Int32>, count: Int, wasted: Int) {
        guard wasted > 0 else { return }
        for index in 0..<count { samples[index] &<<= Int32(wasted) }
    }
}
