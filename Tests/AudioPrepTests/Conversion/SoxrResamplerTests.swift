import AudioPrep
import Foundation
import Testing

@Suite struct SoxrResamplerTests {
    /// Drains a stream completely.
    private func drain(_ stream: any MonoStream) throws -> [Float] {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3000)
        defer { buffer.deallocate() }
        var output: [Float] = []
        while true {
            let got = try stream.read(into: buffer)
            if got == 0 { return output }
            output += buffer[0..<got]
        }
    }

    @Test(arguments: [
        (88_323, 44_100, 16_000, 32_045),  // AUDIO-NOTES §6: 32 044.6 → 32 045
        (144_000, 48_000, 16_000, 48_000),
        (100_001, 48_000, 16_000, 33_334),  // 33 333.67
        (7_999, 8_000, 48_000, 47_994),
        (220_501, 44_100, 48_000, 240_001),  // 240 001.09
    ])
    func outputLengthIsRoundedRatio(frames: Int, inputRate: Int, outputRate: Int, expected: Int) throws {
        #expect(SoxrResampler.expectedOutputFrames(inputFrames: Int64(frames), inputRate: inputRate, outputRate: outputRate) == Int64(expected))
        let samples = MergeTestAudio.speechLike(frames: frames, rate: inputRate, seed: 7).map { Float($0) / 32768 }
        let source = MonoDownmix(source: ArraySource(samples: samples, rate: inputRate, channels: 1, maxFramesPerRead: 4097))
        let resampled = try drain(try SoxrResampler(upstream: source, outputRate: outputRate))
        #expect(resampled.count == expected)
    }

    @Test func twoRunsGiveIdenticalSamples() throws {
        let samples = MergeTestAudio.speechLike(frames: 50_000, rate: 44_100, seed: 3).map { Float($0) / 32768 }
        let runs = try (0..<2).map { _ in
            try drain(try SoxrResampler(upstream: MonoDownmix(source: ArraySource(samples: samples, rate: 44_100, channels: 1)), outputRate: 16_000))
        }
        #expect(runs[0] == runs[1])
    }

    /// The streaming path (odd-sized reads, flush at the end) against libsoxr's one-shot call.
    @Test(arguments: [(44_100, 16_000), (8_000, 16_000), (48_000, 16_000), (22_050, 48_000)])
    func matchesOneShotSoxrReference(inputRate: Int, outputRate: Int) throws {
        let input = MergeTestAudio.speechLike(frames: inputRate * 2 + 17, rate: inputRate, seed: 11).map { Float($0) / 32768 }
        let reference = SoxrReference.resample(input, from: inputRate, to: outputRate)
        let ours = try drain(try SoxrResampler(
            upstream: MonoDownmix(source: ArraySource(samples: input, rate: inputRate, channels: 1, maxFramesPerRead: 999)),
            outputRate: outputRate))
        let expected = SoxrResampler.expectedOutputFrames(inputFrames: Int64(input.count), inputRate: inputRate, outputRate: outputRate)
        #expect(reference.count == Int(expected))
        #expect(ours.count == Int(expected))
        let snr = MergeTestAudio.snr(reference: reference, test: ours)
        #expect(snr > 90, "SNR \(snr) dB")
    }
}
