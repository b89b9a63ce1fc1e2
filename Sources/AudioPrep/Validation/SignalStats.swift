/// Per-channel levels and how alike the two channels of a stereo file are, measured in one
/// streaming pass over the decoded samples.
public struct SignalStats: Sendable, Hashable {
    /// Peak absolute sample value per channel, in [0, 1].
    public var peak: [Float]
    /// Root-mean-square level per channel, in [0, 1].
    public var rms: [Double]
    /// For stereo: the energy of (left − right) relative to the energy of the louder channel,
    /// in dB. Very negative means the channels carry the same signal. nil for mono.
    public var channelDifferenceDB: Double?
    /// Frames actually decoded.
    public var frames: Int64

    /// Reads `source` to its end in blocks of `blockFrames` and measures it. Constant memory.
    public static func measure(_ source: any PCMSource, blockFrames: Int = 8192) throws(AudioPrepError) -> SignalStats {
        let channels = source.format.channels
        var peak = [Float](repeating: 0, count: channels)
        var sumSquares = [Double](repeating: 0, count: channels)
        var differenceSquares = 0.0
        var frames: Int64 = 0
        var buffer = [Float](repeating: 0, count: blockFrames * channels)
        while true {
            let result = buffer.withUnsafeMutableBufferPointer { block in
                Result { () throws(AudioPrepError) -> Int in try source.read(into: block) }
            }
            let n = try result.get()
            if n == 0 { break }
            frames += Int64(n)
            for frame in 0..<n {
                let base = frame * channels
                for c in 0..<channels {
                    let s = buffer[base + c]
                    peak[c] = max(peak[c], abs(s))
                    sumSquares[c] += Double(s) * Double(s)
                }
                if channels == 2 {
                    let d = Double(buffer[base]) - Double(buffer[base + 1])
                    differenceSquares += d * d
                }
            }
        }
        let count = Double(max(frames, 1))
        let rms = sumSquares.map { ($0 / count).squareRoot() }
        var difference: Double?
        if channels == 2 {
            let reference = max(sumSquares[0], sumSquares[1])
            difference = reference > 0 ? 10 * log10(max(differenceSquares, 1e-30) / reference) : nil
        }
        return SignalStats(peak: peak, rms: rms, channelDifferenceDB: difference, frames: frames)
    }
}

/// Decibels relative to full scale for an amplitude in [0, 1].
func dBFS(_ amplitude: Double) -> Double {
    amplitude > 0 ? 20 * log10(amplitude) : -.infinity
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
