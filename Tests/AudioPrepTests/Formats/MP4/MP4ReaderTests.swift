import Foundation
import Testing
@testable import AudioPrep

/// `MP4Reader` reports the frames a decoder delivers, counted as ffmpeg's MP4 demuxer and
/// decoders count them: from the edit list's media time (the priming it hides; Opus pre-skip
/// without an edit list) to the end of the last packet the edit list presents, decoded in full.
/// ffmpeg's decode of each generated file is the reference; Opus files are also decoded by
/// the reader's own source and merged. AAC decoding itself is tested by the `AAC`-trait suites
/// (`make test-aac`); its length is checked here without decoding.
@Suite(.enabled(if: TestFiles.which("ffmpeg") != nil, "ffmpeg is not installed"))
struct MP4ReaderTests {
    /// A 2.3 s, 48 kHz sine (110 400 frames: with the priming or pre-skip, not a whole number of packets).
    static let sine = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2.3:sample_rate=48000"]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// ffmpeg arguments between the input and the output file.
        var encode: [String]
        var codec: String
        var channels: Int
        /// The file name (ffmpeg picks the brand by the extension).
        var file = "f.mp4"
        /// Big-endian edits of the `elst` entry: (segment duration ms, media time), if any.
        var edit: (duration: UInt32, mediaTime: Int32)? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "AAC with an edit list (priming 1024)", encode: ["-ac", "1", "-c:a", "aac"], codec: "aac", channels: 1),
        Case(name: "AAC stereo 44.1 kHz", encode: ["-ac", "2", "-ar", "44100", "-c:a", "aac"], codec: "aac", channels: 2),
        Case(name: "AAC without an edit list", encode: ["-ac", "1", "-c:a", "aac", "-use_editlist", "0"], codec: "aac", channels: 1),
        Case(name: "AAC fragmented", encode: ["-ac", "1", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"], codec: "aac", channels: 1),
        Case(name: "AAC whose edit ends at 1 s", encode: ["-ac", "1", "-c:a", "aac"], codec: "aac", channels: 1, edit: (1000, 1024)),
        Case(name: "AAC whose edit starts at 2048", encode: ["-ac", "1", "-c:a", "aac"], codec: "aac", channels: 1, edit: (2300, 2048)),
        Case(name: "Opus with an edit list (pre-skip 312)", encode: ["-ac", "1", "-c:a", "libopus"], codec: "opus", channels: 1),
        Case(name: "Opus stereo", encode: ["-ac", "2", "-c:a", "libopus"], codec: "opus", channels: 2),
        Case(name: "Opus without an edit list", encode: ["-ac", "1", "-c:a", "libopus", "-use_editlist", "0"], codec: "opus", channels: 1),
        Case(name: "Opus fragmented", encode: ["-ac", "1", "-c:a", "libopus", "-movflags", "frag_keyframe+empty_moov"], codec: "opus", channels: 1),
        Case(name: "Opus whose edit ends at 0.5 s", encode: ["-ac", "1", "-c:a", "libopus"], codec: "opus", channels: 1, edit: (500, 312)),
        Case(name: "ALAC", encode: ["-ac", "1", "-c:a", "alac"], codec: "alac", channels: 1, file: "f.m4a"),
        Case(name: "FLAC in MP4", encode: ["-ac", "1", "-c:a", "flac", "-strict", "-2"], codec: "flac", channels: 1),
        Case(name: "Vorbis in MP4", encode: ["-ac", "1", "-c:a", "libvorbis", "-strict", "-2"], codec: "vorbis", channels: 1),
    ]

    /// Encodes `c` into `folder` (and patches its edit list); the file's path.
    static func make(_ c: Case, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(c.file).path
        try ReferenceDecoding.tool("ffmpeg", ["-v", "error", "-y"] + sine + c.encode + [path])
        if let edit = c.edit {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let elst = try #require(MP4TestBytes.find("elst", in: bytes))
            // elst (version 0): type, version/flags, count, then duration and media time.
            MP4TestBytes.putUInt32(edit.duration, into: &bytes, at: elst + 12)
            MP4TestBytes.putUInt32(UInt32(bitPattern: edit.mediaTime), into: &bytes, at: elst + 16)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    @Test(arguments: cases)
    func probeCountsWhatFFmpegDecodes(_ c: Case) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(c, in: folder)
        let reference = try ReferenceDecoding.ffmpegFrames(path, channels: c.channels)
        let info = try AudioProbe.probe(path: path)
        #expect(info.codec == c.codec)
        #expect(info.channels == c.channels)
        #expect(info.lengthSource == .timestamps)
        if c.codec == "vorbis" {
            // Not decoded (refused below); its length is the edit list's, 2.3 s.
            #expect(info.frames == 110_400)
        } else {
            #expect(info.frames == reference, "ffmpeg decodes \(reference)")
        }
    }

    /// Opus in MP4 decodes without the AAC trait: exactly the probed frames, the samples
    /// libopus gives ffmpeg (the same decoder on the same packets: identical floats).
    @Test(arguments: cases.filter { $0.codec == "opus" })
    func opusDecodesTheProbedFramesLikeLibopus(_ c: Case) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(c, in: folder)
        let input = try AudioInput.open(path: path)
        #expect(input.source is MP4AudioSource)
        #expect(input.source.frameCount == input.info.frames)
        let ours = try ReferenceDecoding.samples(input.source)
        #expect(Int64(ours.count / c.channels) == input.info.frames)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: true))
        try #require(reference.count == ours.count)
        let worst = zip(ours, reference).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        #expect(worst <= 1e-6, "max |ours − ffmpeg/libopus| = \(worst)")
        #expect(ours.map { abs($0) }.max()! > 0.05)  // real audio, not silence
    }

    /// A merge keeps every decodable frame of Opus-in-MP4 inputs (48 kHz in and out).
    @Test func aMergeOfOpusInMP4KeepsEveryDecodableFrame() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mono = try Self.make(Self.cases[6], in: folder.appendingPathComponent("a", isDirectory: true).creatingDirectory())
        let stereo = try Self.make(Self.cases[9], in: folder.appendingPathComponent("b", isDirectory: true).creatingDirectory())
        let output = folder.appendingPathComponent("out.flac").path
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [mono, stereo], output: output, sampleRate: .fixed(48_000), alignment: .start, encoderThreads: 2)).run()
        #expect(manifest.channels[0].contentFrames == (try ReferenceDecoding.ffmpegFrames(mono, channels: 1)))
        #expect(manifest.channels[1].contentFrames == (try ReferenceDecoding.ffmpegFrames(stereo, channels: 1)))
        #expect(Int64(try MergeTestAudio.read16(output).frames) == manifest.output.frames)
    }

    /// Vorbis in MP4 (object type 0xDD): the channels and rate of its identification header (the
    /// `esds` decoder-specific info is not an AudioSpecificConfig — read as one it gave 3
    /// channels), and a refusal to decode that says what the file holds and how to convert it.
    @Test func vorbisIsProbedWithItsChannelsAndRefusedForDecoding() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(Self.cases[13], in: folder)
        let reader = try MP4Reader(path: path)
        #expect(reader.info.channels == 1 && reader.info.sampleRate == 48_000)
        #expect(reader.track.sampleEntry?.channels == 2)  // what ffmpeg writes in the sample entry
        #expect(reader.track.sampleEntry?.audioSpecificConfig == nil)
        do {
            _ = try reader.makeSource()
            Issue.record("Vorbis in MP4 was accepted for decoding")
        } catch {
            #expect(error.code == .unsupportedFormat)
            #expect(error.message.contains("vorbis audio (1 channel(s) at 48000 Hz)"))
            #expect(error.message.contains("ffmpeg -i IN"))
        }
    }

    /// Files cut short inside 'mdat' (a download cut short; 'moov' first, as `+faststart` and
    /// fragmented files have it): the packets before the cut decode, with `truncated_stream`.
    /// ffmpeg counts the same for AAC; for Opus it also decodes the bytes of the cut packet
    /// (one 20 ms packet more), which callprep does not count as intact audio.
    @Test(arguments: [
        ["-c:a", "aac", "-movflags", "+faststart"], ["-c:a", "libopus", "-movflags", "+faststart"],
        ["-c:a", "libopus", "-movflags", "frag_keyframe+empty_moov", "-frag_duration", "500000"],
    ])
    func aFileCutInsideItsMediaKeepsTheIntactPackets(_ encode: [String]) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try Self.make(Case(name: "", encode: ["-ac", "1"] + encode, codec: "", channels: 1), in: folder)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let path = folder.appendingPathComponent("cut.mp4").path
        try bytes.prefix(bytes.count * 6 / 10).write(to: URL(fileURLWithPath: path))
        let info = try AudioProbe.probe(path: path)
        #expect(info.notes.map(\.code).contains("truncated_stream"))
        #expect(info.notes.first { $0.code == "truncated_stream" }?.message.contains("the file ends at byte \(bytes.count * 6 / 10)") == true)
        let reference = try ReferenceDecoding.ffmpegFrames(path, channels: 1)
        #expect(info.frames == reference - (info.codec == "opus" ? 960 : 0), "ffmpeg decodes \(reference)")
        #expect(info.frames > 40_000 && info.frames < 110_400)
        guard info.codec == "opus" else { return }
        let input = try AudioInput.open(path: path)
        #expect(Int64(try ReferenceDecoding.samples(input.source).count) == info.frames)
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [path, whole], output: folder.appendingPathComponent("out.flac").path, sampleRate: .fixed(48_000),
            alignment: .start, encoderThreads: 2)).run()
        #expect(manifest.channels[0].contentFrames == info.frames)
    }

    /// One open per input: the file is opened and its movie parsed once, whether the reader is
    /// only probed or also decoded to the end.
    @Test func anInputIsOpenedAndParsedOnce() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(Self.cases[9], in: folder)
        let counter = OpenCounter()
        try OpenCounter.$current.withValue(counter) {
            let input = try AudioInput.open(path: path)
            _ = try ReferenceDecoding.samples(input.source)
        }
        #expect(counter.count(.containerFileOpened) == 1)
        #expect(counter.count(.mp4MovieParsed) == 1)
        // The counter sees its own task only, and counts every open it sees.
        let twice = OpenCounter()
        try OpenCounter.$current.withValue(twice) {
            _ = try AudioProbe.probe(path: path)
            _ = try AudioProbe.probe(path: path)
        }
        #expect(twice.count(.containerFileOpened) == 2)
        #expect(twice.count(.mp4MovieParsed) == 2)
        #expect(counter.count(.containerFileOpened) == 1)
    }

    /// The same for a merge: each MP4 input is opened and parsed once.
    @Test func aMergeOpensEachInputOnce() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(Self.cases[6], in: folder)
        let counter = OpenCounter()
        try OpenCounter.$current.withValue(counter) {
            _ = try Merger(configuration: MergeConfiguration(
                inputs: [path, TestFiles.audio("edge/short-1s.wav")], output: folder.appendingPathComponent("out.flac").path,
                alignment: .start, encoderThreads: 2)).run()
        }
        #expect(counter.count(.containerFileOpened) == 1)
        #expect(counter.count(.mp4MovieParsed) == 1)
    }
}

/// Finding and patching boxes in MP4 bytes, for tests that damage or edit files.
enum MP4TestBytes {
    /// The offset of the first occurrence of the four-character `type`.
    static func find(_ type: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(type.utf8)
        return (0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == needle }
    }

    /// Writes `value` big-endian at `offset`.
    static func putUInt32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8((value >> (8 * UInt32(3 - i))) & 0xFF) }
    }
}

extension URL {
    /// Creates the directory at this URL and returns it.
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
