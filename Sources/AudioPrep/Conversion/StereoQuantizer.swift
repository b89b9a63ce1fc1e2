/// Quantizes two mono Float32 blocks into one interleaved 16-bit stereo block (left, right,
/// left, …), each channel with its own `TPDFQuantizer` dither sequence.
///
/// This is the merge's per-sample hot loop: one pass, four frames per step in explicit vectors,
/// no sequential state (the dither is counter-based), and one branch per four samples that
/// skips the dither hash when all four are already exact 16-bit values (every sample of a
/// 16-bit source at the output rate). Sample *n* of a channel gets exactly the value
/// `TPDFQuantizer.quantize(_:)` would give it as its *n*-th call.
public struct StereoQuantizer: Sendable {
    public private(set) var left: TPDFQuantizer
    public private(set) var right: TPDFQuantizer

    /// Two different dither sequences (the same seed for both channels would make their dither
    /// identical, which a channel-difference measurement would see).
    public init(seed: UInt64 = TPDFQuantizer.defaultSeed) {
        left = TPDFQuantizer(seed: seed)
        right = TPDFQuantizer(seed: seed ^ 0x5555)
    }

    /// Writes `count` interleaved frames to `output` from `leftSamples` and `rightSamples`.
    public mutating func quantize(
        left leftSamples: UnsafePointer<Float>, right rightSamples: UnsafePointer<Float>, count: Int,
        into output: UnsafeMutablePointer<Int16>
    ) {
        let leftKey = left.key
        let rightKey = right.key
        let leftStart = UInt32(truncatingIfNeeded: left.position)
        let rightStart = UInt32(truncatingIfNeeded: right.position)
        let lanes = SIMD4<UInt32>(0, 1, 2, 3)
        var frame = 0
        while frame < count {
            let n = min(4, count - frame)
            let offset = SIMD4<UInt32>(repeating: UInt32(truncatingIfNeeded: frame)) &+ lanes
            var l = SIMD4<Float>()
            var r = SIMD4<Float>()
            if n == 4 {
                l = UnsafeRawPointer(leftSamples + frame).loadUnaligned(as: SIMD4<Float>.self)
                r = UnsafeRawPointer(rightSamples + frame).loadUnaligned(as: SIMD4<Float>.self)
            } else {
                for lane in 0..<n {
                    l[lane] = leftSamples[frame + lane]
                    r[lane] = rightSamples[frame + lane]
                }
            }
            let left = TPDFQuantizer.quantize(l, key: leftKey, index: SIMD4(repeating: leftStart) &+ offset)
            let right = TPDFQuantizer.quantize(r, key: rightKey, index: SIMD4(repeating: rightStart) &+ offset)
            let pair = SIMD8<Int16>(truncatingIfNeeded: SIMD8<Int32>(
                left[0], right[0], left[1], right[1], left[2], right[2], left[3], right[3]))
            if n == 4 {
                UnsafeMutableRawPointer(output + 2 * frame).storeBytes(of: pair, as: SIMD8<Int16>.self)
            } else {
                for index in 0..<(2 * n) { output[2 * frame + index] = pair[index] }
            }
            frame += n
        }
        self.left.advance(by: count)
        self.right.advance(by: count)
    }
}
