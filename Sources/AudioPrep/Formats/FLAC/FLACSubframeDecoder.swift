/// Decodes one FLAC subframe (RFC 9639 §9.2) into 32-bit samples: the header, the warm-up
/// samples, the Rice-coded residual, and the prediction that turns the residual back into samples.
///
/// Handles samples of up to 25 bits (24-bit audio plus the side channel's extra bit), where the
/// prediction fits 32-bit arithmetic or, for wide coefficients, 64-bit; wider streams stay with
/// libFLAC (`FLACFileSource` decides). All arithmetic wraps, so a damaged stream whose checksums
/// happen to match gives wrong samples, never a trap.
enum FLACSubframeDecoder {
    /// Decodes `blockSize` samples of `bitsPerSample` bits into `output`. Returns nil when the
    /// samples are final, or the linear prediction still to be applied to them (32-bit LPC
    /// subframes, which `NativeFLACDecoder` restores several at a time).
    static func decode(
        _ reader: inout FLACBitReader, blockSize: Int, bitsPerSample: Int, into output: UnsafeMutablePointer<Int32>
    ) throws(FLACFrameFailure) -> FLACDeferredPrediction? {
        guard reader.position &+ 8 <= reader.limit else { throw .needsMoreBytes }
        guard reader.read(1) == 0 else { throw .invalid("a subframe header's padding bit is set") }
        let type = Int(reader.read(6))
        var wasted = 0
        if reader.read(1) == 1 {
            guard let zeros = reader.readUnary() else { throw .needsMoreBytes }
            wasted = zeros &+ 1
        }
        guard wasted < bitsPerSample else { throw .invalid("a subframe discards more bits than its samples have") }
        let bits = bitsPerSample &- wasted

        switch type {
        case 0:
            guard reader.position &+ bits <= reader.limit else { throw .needsMoreBytes }
            output.update(repeating: reader.readSigned(bits), count: blockSize)
        case 1:
            for index in 0..<blockSize {
                if reader.overran { throw .needsMoreBytes }
                output[index] = reader.readSigned(bits)
            }
            if reader.overran { throw .needsMoreBytes }
        case 8...12:
            let order = type &- 8
            guard order <= blockSize else { throw .invalid("a subframe predicts from more samples than its block holds") }
            try readWarmUp(&reader, order: order, bits: bits, into: output)
            try FLACResidual.decode(&reader, blockSize: blockSize, predictorOrder: order, into: output)
            FLACPrediction.restoreFixed(output, count: blockSize, order: order)
        case 32...63:
            let order = type &- 31
            guard order <= blockSize else { throw .invalid("a subframe predicts from more samples than its block holds") }
            try readWarmUp(&reader, order: order, bits: bits, into: output)
            if reader.overran { throw .needsMoreBytes }
            let precision = Int(reader.read(4)) &+ 1
            guard precision != 16 else { throw .invalid("a subframe uses the invalid coefficient precision code 15") }
            let shift = Int(reader.readSigned(5))
            guard shift >= 0 else { throw .invalid("a subframe uses a negative prediction shift") }
            var coefficients = (
                SIMD16<Int32>(), SIMD16<Int32>()
            )
            for index in 0..<order {
                if reader.overran { throw .needsMoreBytes }
                let value = reader.readSigned(precision)
                if index < 16 { coefficients.0[index] = value } else { coefficients.1[index &- 16] = value }
            }
            try FLACResidual.decode(&reader, blockSize: blockSize, predictorOrder: order, into: output)
            // The prediction fits 32 bits when bits + precision + ⌊log2(order)⌋ ≤ 32 (RFC 9639 §9.2.6).
            let wide = bits &+ precision &+ (Int.bitWidth &- 1 &- order.leadingZeroBitCount) > 32
            if !wide {
                return FLACDeferredPrediction(order: order, shift: shift, wasted: wasted, coefficients: coefficients)
            }
            FLACPrediction.restoreWide(output, count: blockSize, order: order, coefficients: coefficients, shift: shift)
        default:
            throw .invalid("a subframe uses the reserved type \(type)")
        }
        FLACPrediction.restoreWastedBits(output, count: blockSize, wasted: wasted)
        return nil
    }

    private static func readWarmUp(
        _ reader: inout FLACBitReader, order: Int, bits: Int, into output: UnsafeMutablePointer<Int32>
    ) throws(FLACFrameFailure) {
        for index in 0..<order {
            if reader.overran { throw .needsMoreBytes }
            output[index] = reader.readSigned(bits)
        }
    }
}

/// A subframe whose warm-up samples and residual are decoded, and whose linear prediction (then
/// the shift by its wasted bits) is still to be applied.
struct FLACDeferredPrediction {
    var order: Int
    var shift: Int
    var wasted: Int
    /// Coefficients 0…15 and 16…31; those past `order` are zero.
    var coefficients: (SIMD16<Int32>, SIMD16<Int32>)

    func coefficient(_ index: Int) -> Int32 {
        index < 16 ? coefficients.0[index] : coefficients.1[index &- 16]
    }
}
