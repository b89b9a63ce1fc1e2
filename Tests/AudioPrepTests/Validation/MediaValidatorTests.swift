import Foundation
import Testing
@testable import AudioPrep

@Suite struct MediaValidatorTests {
    func info(
        container: Container = .flac, codec: String = "flac", rate: Int = 16000, channels: Int = 2,
        frames: Int64 = 16000 * 60, size: Int64 = 1_000_000
    ) -> AudioInfo {
        AudioInfo(container: container, codec: codec, sampleRate: rate, channels: channels, frames: frames,
                  bitsPerSample: 16, sizeBytes: size)
    }

    func codes(_ info: AudioInfo) -> [String] { MediaValidator.formatProblems(info).map(\.code) }

    @Test func aGoodDualChannelFileHasNoProblem() {
        #expect(codes(info()).isEmpty)
    }

    @Test func durationLimitsAreExactToTheFrame() {
        #expect(codes(info(frames: 2 * 16000)).isEmpty)
        #expect(codes(info(frames: 2 * 16000 - 1)) == ["too_short"])
        #expect(codes(info(frames: 8 * 3600 * 16000)).isEmpty)
        #expect(codes(info(frames: 8 * 3600 * 16000 + 1)) == ["too_long"])
        #expect(codes(info(frames: 0)) == ["too_short"])
    }

    @Test func sizeLimitIsThreeBillionBytes() {
        #expect(codes(info(size: 3_000_000_000)).isEmpty)
        #expect(codes(info(size: 3_000_000_001)) == ["file_too_large"])
    }

    @Test func sampleRateRules() {
        #expect(codes(info(rate: 7999, frames: 7999 * 10)) == ["sample_rate_too_low"])
        #expect(codes(info(rate: 8000, frames: 8000 * 10)) == ["sample_rate_below_recommended"])
        #expect(codes(info(rate: 15999, frames: 15999 * 10)) == ["sample_rate_below_recommended"])
        #expect(codes(info(rate: 16000)).isEmpty)
        #expect(MediaValidator.formatProblems(info(rate: 8000, frames: 80000))[0].severity == .warning)
    }

    @Test func channelRules() {
        #expect(codes(info(channels: 1)) == ["mono"])
        #expect(MediaValidator.formatProblems(info(channels: 1))[0].severity == .warning)
        #expect(codes(info(channels: 3)) == ["too_many_channels"])
        #expect(MediaValidator.formatProblems(info(channels: 6))[0].severity == .error)
    }

    @Test func formatRules() {
        #expect(codes(info(container: .wav, codec: "pcm_s16le")).isEmpty)
        #expect(codes(info(container: .wav, codec: "pcm_s24le")).isEmpty)
        #expect(codes(info(container: .wav, codec: "pcm_mulaw")) == ["wav_not_pcm"])
        #expect(codes(info(container: .wav, codec: "adpcm_ima")) == ["wav_not_pcm"])
        #expect(codes(info(container: .wav, codec: "pcm_f32le")) == ["wav_not_pcm"])
        #expect(codes(info(container: .mp3, codec: "mp3")).isEmpty)
        #expect(codes(info(container: .mp3, codec: "mp2")) == ["unsupported_codec"])
        #expect(codes(info(container: .ogg, codec: "opus")) == ["unsupported_format"])
        #expect(codes(info(container: .aiff, codec: "pcm_s16be")) == ["unsupported_format"])
        #expect(codes(info(container: .rf64, codec: "pcm_s16le")) == ["unsupported_format"])
        let message = MediaValidator.formatProblems(info(container: .ogg, codec: "opus"))[0].message
        #expect(message.contains("callprep merge"))
    }

    @Test func everyProblemSaysWhatToDo() {
        let all = MediaValidator.formatProblems(info(container: .ogg, codec: "opus", rate: 6000, channels: 3, frames: 100, size: 4_000_000_000))
        #expect(Set(all.map(\.code)) == ["unsupported_format", "file_too_large", "sample_rate_too_low", "too_short", "too_many_channels"])
        for problem in all {
            #expect(problem.message.count > 40, "too terse: \(problem.message)")
        }
    }

    // MARK: - On real files

    struct Case: CustomTestStringConvertible, Sendable {
        var file: String, accepted: Bool, codes: [String]
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        .init(file: "edge/dual-channel.wav", accepted: true, codes: []),
        .init(file: "call/agent.wav", accepted: true, codes: ["mono"]),
        .init(file: "call/customer-vbr-noxing.mp3", accepted: true, codes: ["mono"]),
        .init(file: "edge/stereo-identical.wav", accepted: true, codes: ["identical_channels"]),
        .init(file: "edge/silent-right.wav", accepted: true, codes: ["silent_channel"]),
        .init(file: "edge/short-1s.wav", accepted: false, codes: ["too_short", "mono"]),
        .init(file: "edge/rate-6k.wav", accepted: false, codes: ["sample_rate_too_low", "mono"]),
        .init(file: "edge/rate-8k.wav", accepted: true, codes: ["sample_rate_below_recommended", "mono"]),
        .init(file: "edge/three-channels.wav", accepted: false, codes: ["sample_rate_below_recommended", "too_many_channels"]),
        .init(file: "edge/mp3-named.wav", accepted: false, codes: ["too_short", "misleading_extension"]),
        .init(file: "edge/lying-datasize.wav", accepted: false, codes: ["sample_rate_below_recommended", "too_short", "mono", "header_length_mismatch"]),
        .init(file: "edge/corrupt-frames.flac", accepted: false, codes: ["mono", "decode_failed"]),
        .init(file: "edge/truncated.flac", accepted: false, codes: ["corrupt_file"]),
        .init(file: "edge/empty.wav", accepted: false, codes: ["empty_file"]),
        .init(file: "edge/text.wav", accepted: false, codes: ["unsupported_format"]),
        .init(file: "formats/pcm_mulaw.wav", accepted: false, codes: ["wav_not_pcm", "sample_rate_below_recommended", "too_short", "mono"]),
    ]

    @Test(arguments: cases)
    func realFiles(_ c: Case) {
        let report = MediaValidator().validate(path: TestFiles.audio(c.file))
        #expect(report.problems.map(\.code) == c.codes)
        #expect(report.accepted == c.accepted)
    }

    @Test func signalStatsMeasureTheChannels() throws {
        let identical = try SignalStats.measure(AudioDecoder.open(path: TestFiles.audio("edge/stereo-identical.wav")))
        #expect(identical.frames == 64000)
        #expect(identical.peak[0] == identical.peak[1])
        #expect(identical.channelDifferenceDB! < -200)
        let dual = try SignalStats.measure(AudioDecoder.open(path: TestFiles.audio("edge/dual-channel.wav")))
        #expect(dual.channelDifferenceDB! > -3)
        let silent = try SignalStats.measure(AudioDecoder.open(path: TestFiles.audio("edge/silent-right.wav")))
        #expect(silent.peak[1] < MediaValidator.silentPeak)  // sox leaves ±1 LSB of dither
        #expect(silent.peak[0] > 0.1)
    }

    @Test func signalChecksCanBeSkipped() {
        let report = MediaValidator(checkSignal: false).validate(path: TestFiles.audio("edge/stereo-identical.wav"))
        #expect(report.problems.isEmpty)
        #expect(report.signal == nil)
    }

    /// Real files over the limits, written sparse (the header claims the length; holes read as
    /// zeros), validated without decoding.
    @Test func sparseFilesOverTheLimits() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = dir.appendingPathComponent("long.wav")
        // 8 h + 1 s of 8 kHz 8-bit mono... as 16-bit: (8 × 3600 + 1) × 8000 × 2 bytes.
        try TestFiles.writeSparseWAV(at: long, sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: UInt32((8 * 3600 + 1) * 8000 * 2))
        let longReport = MediaValidator(checkSignal: false).validate(path: long.path)
        #expect(longReport.problems.map(\.code) == ["sample_rate_below_recommended", "too_long", "mono"])
        let big = dir.appendingPathComponent("big.wav")
        try TestFiles.writeSparseWAV(at: big, sampleRate: 48000, channels: 2, bitsPerSample: 16, dataBytes: 3_100_000_000)
        let bigReport = MediaValidator(checkSignal: false).validate(path: big.path)
        #expect(bigReport.problems.map(\.code) == ["file_too_large"])
        #expect(!bigReport.accepted)
    }
}
