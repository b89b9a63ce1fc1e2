import Foundation
import Testing
@testable import AudioPrep

/// The native Ogg reader against ffmpeg: lengths, samples, notes, and damaged files.
@Suite(.enabled(if: OggFixtures.ffmpeg != nil, "needs ffmpeg (scripts/install-deps.sh)"))
struct OggReaderTests {
    /// Opens `path` once (as a merge does), decodes everything, and checks that the source
    /// delivers exactly the frames probe reports.
    func openAndDecode(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (info: AudioInfo, samples: [Float]) {
        let input = try AudioInput.open(path: path)
        #expect(input.source.frameCount == input.info.frames, sourceLocation: sourceLocation)
        let samples = try VideoFixtures.readAll(input.source, blockFrames: 4096)
        #expect(Int64(samples.count / input.info.channels) == input.info.frames, sourceLocation: sourceLocation)
        #expect(try AudioProbe.probe(path: path) == input.info, sourceLocation: sourceLocation)
        return (input.info, samples)
    }

    func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    }

    func codes(_ info: AudioInfo) -> [String] { info.notes.map(\.code) }

    @Test func opusLengthAndSamplesMatchFFmpeg() throws {
        let path = try OggFixtures.opus()
        let (info, samples) = try openAndDecode(path)
        let reference = try OggFixtures.ffmpegSamples(path)
        #expect(info.container == .ogg && info.codec == "opus")
        #expect(info.sampleRate == 48_000 && info.channels == 2)
        #expect(info.lengthSource == .granule)
        #expect(info.notes.isEmpty)
        #expect(info.frames == 144_000)
        #expect(samples.count == reference.count)
        // ffmpeg decodes Opus with its own decoder, callprep with libopus: equal within rounding.
        #expect(largestDifference(samples, reference) < 0.002)
    }

    @Test func vorbisLengthAndSamplesMatchFFmpeg() throws {
        let path = try OggFixtures.vorbis()
        let (info, samples) = try openAndDecode(path)
        let reference = try OggFixtures.ffmpegSamples(path)
        #expect(info.codec == "vorbis" && info.sampleRate == 44_100 && info.channels == 2)
        #expect(info.lengthSource == .granule && info.notes.isEmpty)
        #expect(info.frames == 132_300)
        #expect(samples.count == reference.count)
        #expect(largestDifference(samples, reference) < 0.001)
    }

    @Test func flacInOggIsSampleExact() throws {
        let path = try OggFixtures.flac()
        let (info, samples) = try openAndDecode(path)
        let reference = try OggFixtures.ffmpegSamples(path)
        #expect(info.codec == "flac" && info.sampleRate == 44_100 && info.channels == 1 && info.bitsPerSample == 16)
        #expect(info.lengthSource == .granule && info.notes.isEmpty)
        #expect(info.frames == 132_300)
        #expect(samples == reference)
    }

    @Test func theoraVideoIsSkippedForItsVorbisAudio() throws {
        let path = try OggFixtures.theoraWithVorbis()
        let (info, samples) = try openAndDecode(path)
        let reference = try OggFixtures.ffmpegSamples(path)
        #expect(info.codec == "vorbis" && info.sampleRate == 22_050 && info.channels == 1)
        #expect(info.frames == 44_100)
        #expect(samples.count == reference.count)
        #expect(largestDifference(samples, reference) < 0.001)
    }

    @Test func opusCutAtAPageBoundaryReportsNoEndOfStream() throws {
        let bytes = try OggFixtures.bytes(try OggFixtures.opus())
        let pages = OggFixtures.pageOffsets(bytes)
        let cut = pages[pages.count / 2]
        let path = try OggFixtures.write(Array(bytes[0..<cut]), as: "cut-at-page.opus")
        let (info, samples) = try openAndDecode(path)
        #expect(codes(info) == ["no_end_of_stream"])
        #expect(info.lengthSource == .granule)
        // The last whole page's granule, less the pre-skip (312 for libopus), is what decodes.
        let lastGranule = OggFixtures.granule(bytes, page: pages[pages.count / 2 - 1])
        #expect(info.frames == lastGranule - 312)
        #expect(samples.count == (try OggFixtures.ffmpegSamples(path)).count)
    }

    @Test func opusCutInsideAPageReportsTheTruncation() throws {
        let bytes = try OggFixtures.bytes(try OggFixtures.opus())
        let pages = OggFixtures.pageOffsets(bytes)
        let cut = pages[pages.count / 2] + 100
        let path = try OggFixtures.write(Array(bytes[0..<cut]), as: "cut-in-page.opus")
        let (info, samples) = try openAndDecode(path)
        #expect(Set(codes(info)) == ["no_end_of_stream", "truncated_stream"])
        #expect(info.notes.first { $0.code == "truncated_stream" }?.message.contains("last 100 bytes") == true)
        #expect(info.frames == OggFixtures.granule(bytes, page: pages[pages.count / 2 - 1]) - 312)
        #expect(samples.count == (try OggFixtures.ffmpegSamples(path)).count)
    }

    /// `scripts/make-test-audio.sh`'s `head -c` cuts of a Vorbis and an Opus file end inside
    /// their first audio page: nothing decodes (ffmpeg delivers 0 samples), so they are refused,
    /// saying so.
    @Test(arguments: ["edge/truncated.ogg", "edge/truncated.opus"])
    func aFileCutBeforeItsFirstAudioPageIsRefused(file: String) throws {
        let path = TestFiles.audio(file)
        #expect(try OggFixtures.ffmpegSamples(path).isEmpty)
        #expect {
            _ = try AudioProbe.probe(path: path)
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .corruptFile && error?.message.contains("before any audio page is complete") == true
        }
    }

    @Test(arguments: [Int64.max / 3, -2, 1 << 62])
    func anImpossibleLastGranuleIsCountedByDecoding(granule: Int64) throws {
        var bytes = try OggFixtures.bytes(try OggFixtures.opus())
        let last = OggFixtures.pageOffsets(bytes).last!
        for i in 0..<8 { bytes[last + 6 + i] = UInt8(truncatingIfNeeded: granule >> (8 * i)) }
        OggFixtures.rechecksum(&bytes, page: last)
        let path = try OggFixtures.write(bytes, as: "granule-\(granule).opus")
        let (info, samples) = try openAndDecode(path)
        #expect(info.lengthSource == .decode)
        #expect(codes(info) == ["header_length_mismatch"])
        #expect(info.notes[0].message.contains("(\(granule))"))
        // Without a trustworthy last granule the final packet is not end-trimmed: every frame
        // libopus decodes after the pre-skip is kept (at least the 3 s ffmpeg delivers).
        #expect(info.frames >= 144_000 && info.frames < 144_000 + 5760)
        #expect(samples.count == Int(info.frames) * 2)
    }

    @Test func aFlippedGranuleByteWithoutItsChecksumLosesOnlyThatPage() throws {
        var bytes = try OggFixtures.bytes(try OggFixtures.opus())
        let pages = OggFixtures.pageOffsets(bytes)
        bytes[pages.last! + 13] ^= 0x80  // the granule's sign bit; the CRC no longer matches
        let path = try OggFixtures.write(bytes, as: "flipped-granule.opus")
        let (info, _) = try openAndDecode(path)
        #expect(info.lengthSource == .granule)
        #expect(info.frames == OggFixtures.granule(bytes, page: pages[pages.count - 2]) - 312)
        #expect(Set(codes(info)) == ["no_end_of_stream", "truncated_stream"])
    }

    @Test func anOggWithoutAudioIsRefusedByName() throws {
        let path = try OggFixtures.make("video-only.ogg", ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-c:v", "libtheora"])
        #expect {
            _ = try AudioProbe.probe(path: path)
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .unsupportedFormat && error?.message.contains("only theora") == true
        }
    }

    @Test func twoHundredRandomByteMutationsNeverCrash() throws {
        let original = try OggFixtures.bytes(try OggFixtures.opus())
        var generator = SplitMix64(seed: 0x0099_0C0D_EC0D)
        var refused = 0
        var decoded = 0
        for index in 0..<200 {
            var bytes = original
            let position = Int(generator.next() % UInt64(bytes.count))
            bytes[position] ^= UInt8(truncatingIfNeeded: generator.next() % 255 + 1)
            let path = try OggFixtures.write(bytes, as: "mutant-\(index).opus")
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                _ = try openAndDecode(path)
                decoded += 1
            } catch let error as AudioPrepError {
                #expect(error.path == path)
                refused += 1
            }
        }
        #expect(refused + decoded == 200)
        #expect(decoded > 0)
    }

    @Test func aMergeKeepsEveryDecodableFrameOfACutOpus() throws {
        let bytes = try OggFixtures.bytes(try OggFixtures.opus())
        let pages = OggFixtures.pageOffsets(bytes)
        let opus = try OggFixtures.write(Array(bytes[0..<pages[pages.count - 1]]), as: "merge-cut.opus")
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("agent.wav").path
        try MergeTestAudio.writeWAV16(wav, rate: 48_000, channels: 1, samples: MergeTestAudio.speechLike(frames: 144_000, rate: 48_000, seed: 5))
        let info = try AudioProbe.probe(path: opus)
        #expect(info.frames > 96_000 && info.notes.map(\.code) == ["no_end_of_stream"])
        let configuration = MergeConfiguration(
            inputs: [wav, opus], output: folder.appendingPathComponent("out.flac").path, sampleRate: .fixed(48_000))
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == info.frames)
        #expect(manifest.inputs[1].lengthSource == "granule")
    }
}
