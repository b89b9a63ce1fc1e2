import Foundation
@testable import AudioPrep

/// The mix a merge should write, computed here from the decoded inputs: each stream at its lead,
/// summed in Float32 in channel order, then through the merge's quantizer.
enum MixReference {
    /// A mono Matroska recording decoded at its own rate.
    static func decoded(_ path: String) throws -> [Float] {
        let source = try MatroskaAudioSource(path: path)
        precondition(source.format.channels == 1, "the room fixtures are mono")
        return try VideoFixtures.readAll(source)
    }

    /// `streams` placed at their leads on a timeline of `frames` frames and added one after another.
    static func sum(_ streams: [(samples: [Float], lead: Int)], frames: Int) -> [Float] {
        var total = [Float](repeating: 0, count: frames)
        for stream in streams {
            for (index, sample) in stream.samples.enumerated() { total[stream.lead + index] += sample }
        }
        return total
    }

    /// The samples the quantizer clamps: × 32768 above 32767 or below −32768.
    static func clipped(_ samples: [Float]) -> Int {
        samples.count(where: { $0 * 32768 > 32767 || $0 * 32768 < -32768 })
    }

    /// Both channels through `StereoQuantizer` (the merge's dither and clamping), de-interleaved.
    static func quantized(left: [Float], right: [Float]) -> (left: [Int16], right: [Int16]) {
        precondition(left.count == right.count)
        var quantizer = StereoQuantizer()
        var interleaved = [Int16](repeating: 0, count: left.count * 2)
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                interleaved.withUnsafeMutableBufferPointer { out in
                    quantizer.quantize(left: l.baseAddress!, right: r.baseAddress!, count: left.count, into: out.baseAddress!)
                }
            }
        }
        return (stride(from: 0, to: interleaved.count, by: 2).map { interleaved[$0] },
                stride(from: 1, to: interleaved.count, by: 2).map { interleaved[$0] })
    }
}
