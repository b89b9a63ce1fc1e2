import AudioPrep
import Testing

/// `AudioInfo.durationMilliseconds`: exact integer milliseconds for any frame count and rate,
/// checked against 128-bit arithmetic; what probe's and validate's clocks print.
@Suite struct AudioInfoMillisecondsTests {
    private func info(frames: Int64, rate: Int) -> AudioInfo {
        AudioInfo(container: .wav, codec: "pcm_s16le", sampleRate: rate, channels: 1, frames: frames, bitsPerSample: 16, sizeBytes: 44)
    }

    /// frames × 1000 / rate in 128 bits, rounded down; nil when it does not fit in Int64.
    private func reference(frames: Int64, rate: Int) -> Int64? {
        Int64(exactly: Int128(frames) * 1000 / Int128(rate))
    }

    @Test func ordinaryLengthsAreExact() {
        #expect(info(frames: 48_000, rate: 16000).durationMilliseconds == 3000)
        #expect(info(frames: 44_099, rate: 44100).durationMilliseconds == 999)
        #expect(info(frames: 1, rate: 3).durationMilliseconds == 333)
        #expect(info(frames: 460_800_000, rate: 16000).durationMilliseconds == 28_800_000)
    }

    @Test func extremeHeadersNeitherTrapNorWrap() {
        #expect(info(frames: Int64.max, rate: 1).durationMilliseconds == Int64.max)
        #expect(info(frames: Int64.max, rate: 1000).durationMilliseconds == Int64.max)
        #expect(info(frames: Int64.max, rate: 1001).durationMilliseconds == reference(frames: Int64.max, rate: 1001))
        #expect(info(frames: Int64.max, rate: Int.max).durationMilliseconds == 1000)
        #expect(info(frames: Int64.max - 1, rate: Int.max).durationMilliseconds == 999)
        #expect(info(frames: -5, rate: 16000).durationMilliseconds == 0)
        #expect(info(frames: 16000, rate: 0).durationMilliseconds == 16_000_000)
    }

    @Test func randomLengthsAndRatesMatch128BitArithmetic() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let frames = Int64.random(in: 0...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            let rate = Int.random(in: 1...Int.max, using: &generator) >> Int.random(in: 0...62, using: &generator)
            let expected = reference(frames: frames, rate: max(rate, 1)) ?? Int64.max
            #expect(info(frames: frames, rate: max(rate, 1)).durationMilliseconds == expected, "frames \(frames), rate \(rate)")
        }
    }
}
