import AudioPrep
import Foundation

/// What a mixed channel of a merge should hold, computed here from the downloaded files: each
/// recording decoded, laid at its lead, summed in Float32 in channel order, then through the
/// merge's quantizer for that channel (the dither is counter-based per channel, so the other
/// channel does not matter) — as `ChannelMixTests` computes it in the library's tests.
enum MixedChannelReference {
    /// A mono recording decoded at its own rate.
    static func decoded(_ path: String) throws -> [Float] {
        let source = try AudioDecoder.open(path: path)
        precondition(source.format.channels == 1, "the room fixtures are mono")
        var all: [Float] = []
        var buffer = [Float](repeating: 0, count: 4096)
        while true {
            let frames = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if frames == 0 { break }
            all += buffer[0..<frames]
        }
        return all
    }

    /// `streams` placed at their leads on a timeline of `frames` frames, added one after another,
    /// then quantized as the merge quantizes channel `channel` (1 or 2).
    static func channel(_ channel: Int, streams: [(samples: [Float], lead: Int)], frames: Int) -> [Int16] {
        var total = [Float](repeating: 0, count: frames)
        for stream in streams {
            for (index, sample) in stream.samples.enumerated() { total[stream.lead + index] += sample }
        }
        let quantizer = StereoQuantizer()
        var channelQuantizer = channel == 1 ? quantizer.left : quantizer.right
        return total.map { Int16(channelQuantizer.quantize($0)) }
    }

    /// One channel of a 16-bit FLAC, as the integers it stores.
    static func samples(ofChannel channel: Int, in path: String) throws -> [Int16] {
        let source = try AudioDecoder.open(path: path)
        let channels = source.format.channels
        var result: [Int16] = []
        var buffer = [Float](repeating: 0, count: 4096 * channels)
        while true {
            let frames = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if frames == 0 { break }
            for frame in 0..<frames { result.append(Int16(buffer[frame * channels + channel - 1] * 32768)) }
        }
        return result
    }
}
