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
        var meter = SignalMeter(channels: channels)
        var buffer = [Float](repeating: 0, count: blockFrames * channels)
        while true {
            let result = buffer.withUnsafeMutableBufferPointer { block in
                Result { () throws(AudioPrepError) -> Int in try source.read(into: block) }
            }
            let n = try result.get()
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { meter.add(interleaved: $0, frames: n) }
        }
        return meter.stats
    }
}

/// Accumulates `SignalStats` over interleaved blocks as they stream past, so a writer that
/// already holds the samples (the merge) can measure its output without decoding it again.
public struct SignalMeter: Sendable {
    public let channels: Int
    private var peak: [Float]
    private var sumSquares: [Double]
    private var differenceSquares = 0.0
    private var frames: Int64 = 0

    public init(channels: Int) {
        self.channels = channels
        peak = [Float](repeating: 0, count: channels)
        sumSquares = [Double](repeating: 0, count: channels)
    }

    /// Adds `frames` interleaved frames of samples in [-1, 1] (what validate decodes).
    public mutating func add(interleaved buffer: UnsafeBufferPointer<Float>, frames count: Int) {
        precondition(buffer.count >= count * channels, "fewer samples than frames × channels")
        guard count > 0, let base = buffer.baseAddress else { return }
        accumulate(frames: count) { index in
            UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
        } sample: { index in
            base[index]
        }
    }

    /// Adds `frames` interleaved frames of 16-bit samples (what the merge writes), each read as
    /// n/32768, which is exact in Float.
    public mutating func add(interleaved16 buffer: UnsafeBufferPointer<Int16>, frames count: Int) {
        precondition(buffer.count >= count * channels, "fewer samples than frames × channels")
        guard count > 0, let base = buffer.baseAddress else { return }
        let scale = SIMD8<Float>(repeating: 1.0 / 32768)
        accumulate(frames: count) { index in
            let raw = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Int16>.self)
            return SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: raw)) * scale
        } sample: { index in
            Float(base[index]) / 32768
        }
    }

    /// The one measuring loop behind both `add` methods: `eight(i)` loads samples `i..<i+8`,
    /// `sample(i)` sample `i`, of the interleaved block.
    ///
    /// Mono and stereo (what validate and merge measure) run eight samples at a time: peaks
    /// exact, squares summed in Float over runs of 8192 samples (a relative error below 10⁻⁴,
    /// far finer than the dB thresholds the results feed), then added in Double. Lanes alternate
    /// left/right for stereo; all lanes are one channel for mono. Other channel counts are summed
    /// sample by sample in Double.
    @inline(__always)
    private mutating func accumulate(
        frames count: Int, eight: (Int) -> SIMD8<Float>, sample: (Int) -> Float
    ) {
        frames += Int64(count)
        guard channels == 1 || channels == 2 else {
            for frame in 0..<count {
                for c in 0..<channels {
                    let s = sample(frame * channels + c)
                    peak[c] = max(peak[c], abs(s))
                    sumSquares[c] += Double(s) * Double(s)
                }
            }
            return
        }
        let samples = count * channels
        let stereo = channels == 2
        var peaks = SIMD8<Float>()
        var index = 0
        while index < samples {
            let runEnd = min(samples, index + 8192)
            var squares = SIMD8<Float>()
            var differences = SIMD4<Float>()
            while index + 8 <= runEnd {
                let values = eight(index)
                let magnitudes = unsafeBitCast(unsafeBitCast(values, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
                peaks.replace(with: magnitudes, where: magnitudes .> peaks)
                squares += values * values
                if stereo {
                    let difference = values.evenHalf - values.oddHalf
                    differences += difference * difference
                }
                index += 8
            }
            while index < runEnd {
                let value = sample(index)
                let lane = stereo ? index & 1 : 0
                peaks[lane] = max(peaks[lane], abs(value))
                squares[lane] += value * value
                if stereo, lane == 1 {
                    let difference = sample(index - 1) - value
                    differences[0] += difference * difference
                }
                index += 1
            }
            if stereo {
                sumSquares[0] += Double(squares.evenHalf.sum())
                sumSquares[1] += Double(squares.oddHalf.sum())
                differenceSquares += Double(differences.sum())
            } else {
                sumSquares[0] += Double(squares.sum())
            }
        }
        if stereo {
            peak[0] = max(peak[0], peaks.evenHalf.max())
            peak[1] = max(peak[1], peaks.oddHalf.max())
        } else {
            peak[0] = max(peak[0], peaks.max())
        }
    }

    /// The measurements so far.
    public var stats: SignalStats {
        let count = Double(max(frames, 1))
        var difference: Double?
        if channels == 2 {
            let reference = max(sumSquares[0], sumSquares[1])
            difference = reference > 0 ? 10 * log10(max(differenceSquares, 1e-30) / reference) : nil
        }
        return SignalStats(
            peak: peak, rms: sumSquares.map { ($0 / count).squareRoot() }, channelDifferenceDB: difference,
            frames: frames)
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
