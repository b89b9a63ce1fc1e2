internal import CAudioKernels

/// Decodes a FLAC residual (RFC 9639 §9.2.7): Rice-coded partitions, each with its own Rice
/// parameter or an escape to fixed-width samples.
enum FLACResidual {
    /// Writes the residual of samples `predictorOrder..<blockSize` into `output` at those indices.
    @inline(__always)
    static func decode(
        _ reader: inout FLACBitReader, blockSize: Int, predictorOrder: Int, into output: UnsafeMutablePointer<Int32>
    ) throws(FLACFrameFailure) {
        guard reader.position &+ 6 <= reader.limit else { throw .needsMoreBytes }
        let method = reader.read(2)
        guard method < 2 else { throw .invalid("a residual uses the reserved coding method \(method)") }
        let parameterBits = method == 0 ? 4 : 5
        let escape = method == 0 ? 15 : 31
        let partitionOrder = Int(reader.read(4))
        let partitionSize = blockSize &>> partitionOrder
        guard partitionSize &<< partitionOrder == blockSize, partitionSize >= predictorOrder else {
            throw .invalid("a residual's \(1 << partitionOrder) partitions do not divide its block of \(blockSize) samples")
        }
        var index = predictorOrder
        for partition in 1...(1 &<< partitionOrder) {
            let end = partition &* partitionSize
            if reader.position &+ 10 > reader.limit { throw .needsMoreBytes }
            let parameter = Int(reader.read(parameterBits))
            if parameter == escape {
                let width = Int(reader.read(5))
                if width == 0 {
                    (output + index).update(repeating: 0, count: end &- index)
                } else {
                    for sample in index..<end {
                        if reader.overran { throw .needsMoreBytes }
                        output[sample] = reader.readSigned(width)
                    }
                }
            } else {
                try rice(&reader, parameter: parameter, into: output, from: index, to: end)
            }
            index = end
        }
        if reader.overran { throw .needsMoreBytes }
    }

    /// Rice codes with parameter k: a unary quotient q, then k bits r; the value u = q·2^k + r is
    /// the residual zig-zag coded (u even: u/2; odd: −(u+1)/2). The loop is
    /// `callprep_flac_rice_decode` (C, built for baseline x86-64 and for x86-64-v3).
    @inline(__always)
    private static func rice(
        _ reader: inout FLACBitReader, parameter: Int, into output: UnsafeMutablePointer<Int32>, from start: Int,
        to end: Int
    ) throws(FLACFrameFailure) {
        guard end > start else { return }
        var position = reader.position
        let status = callprep_flac_rice_decode(
            reader.base, reader.limit, &position, UInt32(parameter), output + start, end - start)
        reader.position = position
        if status != 0 { throw .needsMoreBytes }
    }
}
