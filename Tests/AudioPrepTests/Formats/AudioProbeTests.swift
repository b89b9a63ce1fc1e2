import Foundation
import Testing
@testable import AudioPrep

@Suite struct AudioProbeTests {
    struct Expected: CustomTestStringConvertible, Sendable {
        var file: String, container: String, codec: String, rate: Int, channels: Int, frames: Int64, bits: Int?
        var lengthSource: LengthSource = .header
        var testDescription: String { file }
    }

    /// Every committed sample with the facts its generator (scripts/make-test-audio.sh) wrote.
    static let expectations: [Expected] = [
        .init(file: "call/agent.wav", container: "wav", codec: "pcm_s16le", rate: 16000, channels: 1, frames: 267763, bits: 16),
        .init(file: "call/agent.flac", container: "flac", codec: "flac", rate: 16000, channels: 1, frames: 267763, bits: 16),
        .init(file: "call/agent.mp3", container: "mp3", codec: "mp3", rate: 16000, channels: 1, frames: 267763, bits: nil, lengthSource: .xingHeader),
        .init(file: "call/customer.wav", container: "wav", codec: "pcm_s16le", rate: 16000, channels: 1, frames: 260043, bits: 16),
        .init(file: "call/customer.flac", container: "flac", codec: "flac", rate: 16000, channels: 1, frames: 260043, bits: 16),
        .init(file: "call/customer.mp3", container: "mp3", codec: "mp3", rate: 16000, channels: 1, frames: 260043, bits: nil, lengthSource: .xingHeader),
        // No Xing header: every frame counted (454 MPEG-2 frames × 576), decoder delay not removed.
        .init(file: "call/customer-noxing.mp3", container: "mp3", codec: "mp3", rate: 16000, channels: 1, frames: 261504, bits: nil, lengthSource: .frameScan),
        .init(file: "call/customer-vbr-noxing.mp3", container: "mp3", codec: "mp3", rate: 16000, channels: 1, frames: 261504, bits: nil, lengthSource: .frameScan),
        .init(file: "formats/pcm_u8.wav", container: "wav", codec: "pcm_u8", rate: 8000, channels: 1, frames: 4000, bits: 8),
        .init(file: "formats/pcm_s16le.wav", container: "wav", codec: "pcm_s16le", rate: 48000, channels: 2, frames: 24000, bits: 16),
        .init(file: "formats/pcm_s24le.wav", container: "wav", codec: "pcm_s24le", rate: 48000, channels: 2, frames: 24000, bits: 24),
        .init(file: "formats/pcm_s32le.wav", container: "wav", codec: "pcm_s32le", rate: 48000, channels: 2, frames: 24000, bits: 32),
        .init(file: "formats/pcm_f32le.wav", container: "wav", codec: "pcm_f32le", rate: 48000, channels: 2, frames: 24000, bits: 32),
        .init(file: "formats/extensible.wav", container: "wav", codec: "pcm_s24le", rate: 48000, channels: 2, frames: 24000, bits: 24),
        .init(file: "formats/pcm_mulaw.wav", container: "wav", codec: "pcm_mulaw", rate: 8000, channels: 1, frames: 4000, bits: 8),
        .init(file: "formats/pcm_alaw.wav", container: "wav", codec: "pcm_alaw", rate: 8000, channels: 1, frames: 4000, bits: 8),
        // IMA ADPCM pads the last block: 4040 frames decode (ffmpeg agrees).
        .init(file: "formats/adpcm_ima.wav", container: "wav", codec: "adpcm_ima", rate: 8000, channels: 1, frames: 4040, bits: 4),
        .init(file: "formats/adpcm_ms.wav", container: "wav", codec: "adpcm_ms", rate: 8000, channels: 1, frames: 4000, bits: 4),
        .init(file: "formats/rf64.wav", container: "rf64", codec: "pcm_s16le", rate: 48000, channels: 2, frames: 24000, bits: 16),
        .init(file: "formats/w64.w64", container: "w64", codec: "pcm_s16le", rate: 48000, channels: 2, frames: 24000, bits: 16),
        .init(file: "formats/aiff.aiff", container: "aiff", codec: "pcm_s16be", rate: 48000, channels: 2, frames: 24000, bits: 16),
        .init(file: "formats/flac_s16.flac", container: "flac", codec: "flac", rate: 48000, channels: 2, frames: 24000, bits: 16),
        .init(file: "formats/flac_s24.flac", container: "flac", codec: "flac", rate: 48000, channels: 2, frames: 24000, bits: 24),
        .init(file: "formats/vorbis.ogg", container: "ogg", codec: "vorbis", rate: 48000, channels: 2, frames: 24000, bits: nil, lengthSource: .granule),
        .init(file: "formats/opus.opus", container: "ogg", codec: "opus", rate: 48000, channels: 2, frames: 24000, bits: nil, lengthSource: .granule),
        .init(file: "formats/mp3_mpeg1.mp3", container: "mp3", codec: "mp3", rate: 48000, channels: 2, frames: 24000, bits: nil, lengthSource: .xingHeader),
        .init(file: "formats/mp3_mpeg2.mp3", container: "mp3", codec: "mp3", rate: 22050, channels: 2, frames: 11025, bits: nil, lengthSource: .xingHeader),
        // lame writes no Info tag for MPEG-2.5: 9 frames × 576.
        .init(file: "formats/mp3_mpeg25.mp3", container: "mp3", codec: "mp3", rate: 8000, channels: 1, frames: 5184, bits: nil, lengthSource: .frameScan),
        .init(file: "edge/vbr-noxing-loud-start.mp3", container: "mp3", codec: "mp3", rate: 16000, channels: 1, frames: 274176, bits: nil, lengthSource: .frameScan),
        .init(file: "formats/mp3_id3v2.mp3", container: "mp3", codec: "mp3", rate: 24000, channels: 2, frames: 12000, bits: nil, lengthSource: .xingHeader),
    ]

    @Test(arguments: expectations)
    func probeReportsExactFacts(_ e: Expected) throws {
        let path = TestFiles.audio(e.file)
        let info = try AudioProbe.probe(path: path)
        #expect(info.container.rawValue == e.container)
        #expect(info.codec == e.codec)
        #expect(info.sampleRate == e.rate)
        #expect(info.channels == e.channels)
        #expect(info.frames == e.frames)
        #expect(info.bitsPerSample == e.bits)
        #expect(info.lengthSource == e.lengthSource)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(info.sizeBytes == Int64(size))
        #expect(info.notes.isEmpty, "unexpected notes: \(info.notes)")
    }

    /// The probe's frame count is what a decoder really yields: decode every sample and count.
    @Test(arguments: expectations)
    func probedFramesEqualDecodedFrames(_ e: Expected) throws {
        let source = try AudioDecoder.open(path: TestFiles.audio(e.file))
        #expect(source.format.sampleRate == e.rate)
        #expect(source.format.channels == e.channels)
        var buffer = [Float](repeating: 0, count: 4096 * e.channels)
        var total: Int64 = 0
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if n == 0 { break }
            total += Int64(n)
        }
        #expect(total == e.frames)
    }

    /// Independent reference: ffmpeg's decoder must produce the same number of frames.
    /// Vorbis is left out: ffmpeg 5.1 yields 23872 frames where the Ogg granule positions (and
    /// libsndfile) give 24000, the length sox wrote.
    @Test(arguments: expectations.filter { $0.codec != "vorbis" })
    func framesMatchFFmpegDecoding(_ e: Expected) throws {
        let ffmpeg = try #require(TestFiles.which("ffmpeg"), "ffmpeg is not installed: run scripts/install-deps.sh")
        let pcm = try TestFiles.run(ffmpeg, ["-v", "error", "-i", TestFiles.audio(e.file), "-f", "s16le", "-ac", "1", "-"])
        #expect(Int64(pcm.count / 2) == e.frames)
    }

    /// Independent reference: ffprobe agrees on rate and channels, and on the frame count where
    /// its container-level figure is exact.
    @Test(arguments: expectations.filter { $0.container == "wav" || $0.container == "flac" })
    func factsMatchFFprobe(_ e: Expected) throws {
        let ffprobe = try #require(TestFiles.which("ffprobe"), "ffprobe is not installed: run scripts/install-deps.sh")
        let out = try TestFiles.run(ffprobe, [
            "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels,duration_ts",
            "-of", "default=noprint_wrappers=1", TestFiles.audio(e.file),
        ])
        let fields = Dictionary(uniqueKeysWithValues: String(decoding: out, as: UTF8.self)
            .split(separator: "\n").compactMap { line -> (String, String)? in
                let kv = line.split(separator: "=", maxSplits: 1)
                return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
            })
        #expect(fields["sample_rate"] == "\(e.rate)")
        #expect(fields["channels"] == "\(e.channels)")
        if !e.codec.hasPrefix("adpcm") {
            #expect(fields["duration_ts"] == "\(e.frames)")
        }
    }

    @Test func contentNotNameDecidesTheFormat() throws {
        let info = try AudioProbe.probe(path: TestFiles.audio("edge/mp3-named.wav"))
        #expect(info.container == .mp3)
        #expect(info.frames == 24000)
        #expect(info.notes.map(\.code) == ["misleading_extension"])
    }

    @Test func lyingDataSizeCountsOnlyWhatIsThere() throws {
        let info = try AudioProbe.probe(path: TestFiles.audio("edge/lying-datasize.wav"))
        #expect(info.frames == 8000)
        #expect(info.lengthSource == .fileSize)
        #expect(info.notes.map(\.code) == ["header_length_mismatch"])
        // 2147483632 declared bytes / 2 bytes per frame.
        #expect(info.notes[0].message.contains("the header says 1073741816 frames"))
    }

    @Test func truncatedWAVDataCountsWholeFramesPresent() throws {
        let info = try AudioProbe.probe(path: TestFiles.audio("edge/truncated-data.wav"))
        // 20000 bytes − 44-byte header = 19956 bytes = 9978 16-bit frames.
        #expect(info.frames == 9978)
        #expect(info.lengthSource == .fileSize)
        #expect(info.notes.map(\.code) == ["header_length_mismatch"])
    }

    @Test func truncatedMP3CountsCompleteFramesOnly() throws {
        let info = try AudioProbe.probe(path: TestFiles.audio("edge/truncated.mp3"))
        #expect(info.lengthSource == .frameScan)
        #expect(info.frames % 576 == 0)
        #expect(info.notes.map(\.code) == ["truncated_stream"])
        // 3000 bytes of 32 kbps MPEG-2 (144-byte frames, ID3 tag aside) hold 20 complete frames.
        #expect(info.frames == 20 * 576)
    }

    @Test func corruptFLACFramesAreFoundByProbe() throws {
        // The header is intact, so probe reports the header facts; the damage is in the frames.
        let info = try AudioProbe.probe(path: TestFiles.audio("edge/corrupt-frames.flac"))
        #expect(info.frames == 267763)
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        var path: String, code: AudioPrepError.Code
        var testDescription: String { path }
    }

    static let badInputs: [BadInput] = [
        .init(path: TestFiles.audio("edge/empty.wav"), code: .emptyFile),
        .init(path: TestFiles.audio("edge/text.wav"), code: .unsupportedFormat),
        .init(path: TestFiles.audio("edge/truncated-header.wav"), code: .corruptFile),
        .init(path: TestFiles.audio("edge/truncated.flac"), code: .corruptFile),
        .init(path: TestFiles.audio("edge/truncated.ogg"), code: .corruptFile),
        .init(path: TestFiles.audio("edge/truncated.opus"), code: .corruptFile),
        .init(path: TestFiles.audio("edge"), code: .notAFile),
        .init(path: TestFiles.audio("edge/does-not-exist.wav"), code: .fileNotFound),
        .init(path: "/dev/null", code: .notAFile),
    ]

    @Test(arguments: badInputs)
    func badInputsGiveAClearError(_ bad: BadInput) {
        #expect {
            _ = try AudioProbe.probe(path: bad.path)
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == bad.code && error.path == bad.path && !error.message.isEmpty
        }
    }

    /// Root can read any file, so this only runs for other users (reported as skipped as root).
    @Test(.enabled(if: getuid() != 0, "root can read any file, so nothing is unreadable"))
    func unreadableFileIsReportedAsSuch() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("locked.wav").path
        try FileManager.default.copyItem(atPath: TestFiles.audio("call/agent.wav"), toPath: path)
        chmod(path, 0)
        #expect(throws: AudioPrepError.self) { try AudioProbe.probe(path: path) }
        do { _ = try AudioProbe.probe(path: path) } catch { #expect(error.code == .unreadable) }
    }

    /// Probing reads headers only: a WAV whose header claims 3.2 GB (sparse on disk) probes at
    /// once and reports the claimed length exactly.
    @Test func hugeWAVProbesFromTheHeader() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("huge.wav")
        let dataBytes: UInt32 = 3_200_000_000
        try TestFiles.writeSparseWAV(at: url, sampleRate: 16000, channels: 2, bitsPerSample: 16, dataBytes: dataBytes)
        let start = ContinuousClock.now
        let info = try AudioProbe.probe(path: url.path)
        let elapsed = ContinuousClock.now - start
        #expect(info.frames == Int64(dataBytes) / 4)
        #expect(info.sizeBytes == 44 + Int64(dataBytes))
        #expect(elapsed < .seconds(2))
    }
}
