#if AAC
import Foundation
import Testing
@testable import AudioPrep

/// AAC in MP4 decoded with libfaad2 (package trait `AAC`) against ffmpeg's own AAC decoder,
/// aligned for the edit list, with exact lengths and start times from the probe.
///
/// Two decoders of a lossy format agree only to rounding — except in bands the encoder coded
/// with Perceptual Noise Substitution (PNS), where every decoder draws its own random noise.
/// ffmpeg's AAC encoder uses PNS by default, so the committed 32 kb/s fixtures differ above
/// ~3 kHz (full-band SNR 19.2 dB, measured). Hence two comparisons:
/// - files generated here with `-aac_pns 0`: full band, SNR > `minimumSNR` (measured 134.9 dB
///   with Debian 12's libfaad2 2.10.1 against ffmpeg 5.1's decoder, max |difference| 2.2e-8);
/// - the committed fixtures: both outputs low-passed identically (four one-pole stages at
///   500 Hz), SNR > `minimumLowBandSNR` (measured 88.9 dB on aac-edit.m4a; one sample of
///   misalignment drops it to 23.3 dB, so this also pins the edit-list alignment).
@Suite struct MP4AudioSourceTests {
    static let minimumSNR = 100.0
    static let minimumLowBandSNR = 70.0

    /// Signal-to-noise ratio of `ours` against `reference` over `range`, in dB.
    static func snr(_ ours: [Double], _ reference: [Double], _ range: Range<Int>) -> Double {
        var signal = 0.0
        var noise = 0.0
        for i in range {
            let d = ours[i] - reference[i]
            signal += reference[i] * reference[i]
            noise += d * d
        }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }

    /// Four cascaded one-pole low-pass stages at `cutoff` Hz (48 kHz input).
    static func lowPass(_ samples: [Float], cutoff: Double = 500) -> [Double] {
        var x = samples.map(Double.init)
        let k = 1 - exp(-2 * Double.pi * cutoff / 48_000)
        for _ in 0..<4 {
            var state = 0.0
            for i in x.indices {
                state += k * (x[i] - state)
                x[i] = state
            }
        }
        return x
    }

    /// Runs ffmpeg with `arguments` (after `-y`), failing the test when it fails.
    static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VideoFixtures.ffmpeg!)
        process.arguments = ["-hide_banner", "-loglevel", "error", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "ffmpeg \(arguments.joined(separator: " "))")
    }

    /// A 3 s tone-plus-pink-noise AAC-LC file without PNS, as ffmpeg writes it (edit list
    /// hiding 1024 priming frames), and the same packets remuxed with a 1.5 s start offset.
    static func makeNoPNSFiles(in directory: URL) throws -> (edit: String, delayed: String) {
        let edit = directory.appendingPathComponent("nopns.m4a").path
        let delayed = directory.appendingPathComponent("nopns-delayed.m4a").path
        try ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=440:duration=3,volume=0.5",
            "-f", "lavfi", "-i", "anoisesrc=d=3:c=pink:a=0.1:seed=7",
            "-filter_complex", "amix=inputs=2", "-ar", "48000", "-ac", "1",
            "-c:a", "aac", "-b:a", "64k", "-aac_pns", "0", edit,
        ])
        try ffmpeg(["-i", edit, "-c", "copy", "-output_ts_offset", "1.5", delayed])
        return (edit, delayed)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func withoutPNSTheFullBandMatchesFFmpeg() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-aac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.makeNoPNSFiles(in: directory)

        let source = try MP4AudioSource(path: files.edit)
        // The 3 s the edit list presents end inside the 142nd packet, which decodes in full:
        // 142 × 1024 − 1024 priming frames, as ffmpeg decodes it.
        #expect(source.frameCount == 144_384)
        #expect(source.timeline.preSkipFrames == 1024)
        #expect(source.startTimeNanoseconds == 0)
        let ours = try VideoFixtures.readAll(source, blockFrames: 1500)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(files.edit, format: "f32le", libopus: false))
        try #require(ours.count == 144_384 && reference.count == 144_384)
        let snr = Self.snr(ours.map(Double.init), reference.map(Double.init), 0..<144_384)
        #expect(snr > Self.minimumSNR, "SNR \(snr) dB")

        // ffmpeg's remux keeps the priming in view (media time 0) and shortens the empty edit
        // by it: 1500 − 21.333 ms → 1478 ms at the 1 ms movie timescale. libfaad2 outputs
        // nothing for the first access unit, so the priming is silence and the rest is the
        // same audio, to the sample.
        let delayed = try MP4AudioSource(path: files.delayed)
        #expect(delayed.startTimeNanoseconds == 1_478_000_000)
        #expect(delayed.frameCount == 145_408)
        let delayedOurs = try VideoFixtures.readAll(delayed, blockFrames: 4096)
        try #require(delayedOurs.count == 145_408)
        #expect(delayedOurs[0..<1024].allSatisfy { $0 == 0 })
        #expect(Array(delayedOurs[1024...]) == ours)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func editListTrimsPrimingAndMatchesFFmpeg() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        let source = try MP4AudioSource(path: path)
        #expect(source.format == PCMFormat(sampleRate: 48_000, channels: 1))
        #expect(source.frameCount == 96_256)
        #expect(source.startTimeNanoseconds == 0)
        #expect(source.timeline.preSkipFrames == 1024)
        let ours = try VideoFixtures.readAll(source, blockFrames: 777)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: false))
        try #require(ours.count == 96_256 && reference.count == 96_256)
        let snr = Self.snr(Self.lowPass(ours), Self.lowPass(reference), 0..<96_256)
        #expect(snr > Self.minimumLowBandSNR, "low-band SNR \(snr) dB")
    }

    /// An edit list that presents the priming: libfaad2 outputs nothing for the first access
    /// unit, so its 1024 frames are silence; the rest lines up with ffmpeg sample for sample.
    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func emptyEditIsTheStartTimeAndAudioMatchesFFmpeg() throws {
        let path = VideoFixtures.path("aac-delayed.m4a")
        let source = try MP4AudioSource(path: path)
        #expect(source.startTimeNanoseconds == 1_478_000_000)
        #expect(source.startFrame(atRate: 16_000) == 23_648)
        #expect(source.frameCount == 97_280)
        #expect(source.timeline.preSkipFrames == 0)
        let ours = try VideoFixtures.readAll(source, blockFrames: 4096)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: false))
        try #require(ours.count == 97_280 && reference.count == 97_280)
        #expect(ours[0..<1024].allSatisfy { $0 == 0 })
        let snr = Self.snr(Self.lowPass(ours), Self.lowPass(reference), 2048..<97_280)
        #expect(snr > Self.minimumLowBandSNR, "low-band SNR \(snr) dB")
    }

    @Test func readBlockSizeDoesNotChangeTheOutput() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        let one = try VideoFixtures.readAll(try MP4AudioSource(path: path), blockFrames: 1)
        let large = try VideoFixtures.readAll(try MP4AudioSource(path: path), blockFrames: 100_000)
        #expect(one.count == 96_256)
        #expect(one == large)
        #expect(one.map { abs($0) }.max()! > 0.05)  // real audio, not silence
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

    /// The fragmented remux of aac-edit.m4a has no edit list, so the priming is presented:
    /// 1024 frames of silence (libfaad2 outputs nothing for the first access unit), then the
    /// same audio as the plain file, to the sample.
    @Test func fragmentedFilesDecodeLikeThePlainFile() throws {
        let source = try MP4AudioSource(path: VideoFixtures.path("aac-fragmented.mp4"))
        #expect(source.frameCount == 97_280)
        #expect(source.startTimeNanoseconds == 0)
        let fragmented = try VideoFixtures.readAll(source, blockFrames: 999)
        let plain = try VideoFixtures.readAll(try MP4AudioSource(path: VideoFixtures.path("aac-edit.m4a")))
        try #require(fragmented.count == 97_280 && plain.count == 96_256)
        #expect(fragmented[0..<1024].allSatisfy { $0 == 0 })
        #expect(Array(fragmented[1024...]) == plain)
    }

    @Test func probeNoLongerSaysAACIsUndecodable() throws {
        let info = try AudioProbe.probe(path: VideoFixtures.path("aac-edit.m4a"))
        #expect(!info.notes.map(\.code).contains("aac_not_decodable"))
    }
}
#endif
