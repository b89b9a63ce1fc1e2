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
        // Four frames at a time with explicit vectors: the baseline x86-64 target has no 32-bit
        // vector multiply, and without it the compiler leaves the scalar loop alone.
        while frame + 4 <= count {
            let offset = SIMD4<UInt32>(repeating: UInt32(truncatingIfNeeded: frame)) &+ lanes
            let l = Self.quantize4(
                UnsafeRawPointer(leftSamples + frame).loadUnaligned(as: SIMD4<Float>.self), key: leftKey,
                index: SIMD4(repeating: leftStart) &+ offset)
            let r = Self.quantize4(
                UnsafeRawPointer(rightSamples + frame).loadUnaligned(as: SIMD4<Float>.self), key: rightKey,
                index: SIMD4(repeating: rightStart) &+ offset)
            let pair = SIMD8<Int32>(l[0], r[0], l[1], r[1], l[2], r[2], l[3], r[3])
            UnsafeMutableRawPointer(output + 2 * frame).storeBytes(
                of: SIMD8<Int16>(truncatingIfNeeded: pair), as: SIMD8<Int16>.self)
            frame += 4
        }
        while frame < count {
            let offset = UInt32(truncatingIfNeeded: frame)
            output[2 * frame] = Int16(truncatingIfNeeded: TPDFQuantizer.quantize(
                leftSamples[frame], key: leftKey, index: leftStart &+ offset))
            output[2 * frame + 1] = Int16(truncatingIfNeeded: TPDFQuantizer.quantize(
                rightSamples[frame], key: rightKey, index: rightStart &+ offset))
            frame += 1
        }
        left.advance(by: count)
        right.advance(by: count)
    }

    /// `TPDFQuantizer.quantize(_:key:index:)` on four samples at once; the same operations in
    /// the same order, so the results are identical.
    @inline(__always)
    private static func quantize4(_ samples: SIMD4<Float>, key: UInt32, index: SIMD4<UInt32>) -> SIMD4<Int32> {
        let magic = SIMD4<Float>(repeating: 12_582_912)
        var scaled = samples * 32768
        scaled.replace(with: 32767, where: scaled .> 32767)
        scaled.replace(with: -32768, where: scaled .< -32768)
        scaled.replace(with: 0, where: .!(scaled .== scaled))
        let exact = (scaled + magic) - magic .== scaled
        if all(exact) {
            // Every sample of a 16-bit source, and silence: no dither, already in range.
            return unsafeBitCast(scaled + magic, to: SIMD4<Int32>.self) &- 0x4B40_0000
        }
        var h = (index &* 0x9E37_79B9) ^ key
        h ^= h &>> 16
        h &*= 0x7FEB_352D
        h ^= h &>> 15
        h &*= 0x846C_A68B
        h ^= h &>> 16
        let scale: Float = 1.0 / 65536.0
        var dither = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: h &>> 16)) * scale
            - SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: h & 0xFFFF)) * scale
        dither.replace(with: 0, where: exact)
        let biased = (scaled + dither) + magic
        let value = unsafeBitCast(biased, to: SIMD4<Int32>.self) &- 0x4B40_0000
        return value.clamped(lowerBound: SIMD4(repeating: -32768), upperBound: SIMD4(repeating: 32767))
    }
}
