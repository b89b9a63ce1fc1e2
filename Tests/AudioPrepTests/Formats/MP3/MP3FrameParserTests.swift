import Foundation
import Testing

@testable import AudioPrep

/// The frame walk finds frames where libmpg123 finds them: free-format frames measured by the
/// next matching header, Layer I and II frames, tags between frames, unlimited resync, a first
/// frame taken only with a second behind it, and a stream that switches sample rate, which the
/// decoder cannot cross (probe counts what decodes before it; reading and merging fail loudly).
/// Every case: probe's frames equal the frames `MP3Source` (libmpg123) delivers.
@Suite struct MP3FrameParserTests {
    // MARK: Free format

    /// `lame --freeformat -b 200`: Layer III frames with bitrate index 0, whose length only the
    /// distance to the next header tells. libmpg123 decodes the 1 s exactly (gapless);
    /// ffmpeg 5.1 refuses this file ("Failed to read frame size"), so libmpg123 is the reference.
    @Test func lameFreeFormatProbesToTheDecodedLength() throws {
        let bytes = try ReferenceDecoding.lameSine(seconds: 1, rate: 44100, channels: 1, options: ["--freeformat", "-b", "200"])
        #expect(MP3FrameHeader.isFreeFormat(UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])))
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 44100)
        #expect(measured.info.codec == "mp3" && measured.info.sampleRate == 44100)
        #expect(measured.info.lengthSource == .xingHeader)
    }

    /// Free-format Layer I and Layer II streams (silent frames: every bit allocation zero, which
    /// is valid MPEG audio), frame lengths chosen freely: every frame decodes.
    @Test(arguments: [
        // MPEG-1 Layer I, 44.1 kHz mono, 200-byte frames.
        (UInt32(0xFFFF_00C0), 200, 384),
        // MPEG-1 Layer II, 48 kHz stereo, 500-byte frames.
        (UInt32(0xFFFD_0400), 500, 1152),
        // MPEG-2 Layer II, 24 kHz mono, 333-byte frames.
        (UInt32(0xFFF5_04C0), 333, 1152),
    ])
    func freeFormatLayerIAndIIFramesAllDecode(word: UInt32, frameLength: Int, samplesPerFrame: Int) throws {
        let bytes = Self.silentFrames(word, frameLength: frameLength, count: 40)
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64(40 * samplesPerFrame))
    }

    // MARK: Layer I and II

    /// Layer I at a table bitrate, in MPEG-1 and in MPEG-2.5 (which libmpg123 decodes too).
    @Test(arguments: [
        // MPEG-1 Layer I, 128 kbps, 44.1 kHz mono: 136-byte frames.
        (UInt32(0xFFFF_40C0), 136),
        // MPEG-2.5 Layer I, 32 kbps, 8 kHz mono: 192-byte frames.
        (UInt32(0xFFE7_18C0), 192),
    ])
    func layerIFramesDecodeToTheirCount(word: UInt32, frameLength: Int) throws {
        let header = try #require(MP3FrameHeader(word: word, freeFormatBody: nil))
        #expect(header.layer == 1 && header.frameLength == frameLength)
        let measured = try probedAndDecoded(Self.silentFrames(word, frameLength: frameLength, count: 30))
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 30 * 384)
        #expect(measured.info.codec == "mp1")
    }

    /// ffmpeg's Layer II encoder (`-c:a mp2`): probe, libmpg123 and ffmpeg agree.
    @Test func ffmpegLayerIIProbesToTheDecodedLength() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mp2 = folder.appendingPathComponent("tone.mp2").path
        try ReferenceDecoding.tool("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-ac", "2", "-c:a", "mp2", "-b:a", "192k", mp2,
        ])
        let measured = try probedAndDecoded([UInt8](try Data(contentsOf: URL(fileURLWithPath: mp2))))
        #expect(measured.info.codec == "mp2")
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 84 * 1152)  // ceil(96000 / 1152) frames, none trimmed
        #expect(try ReferenceDecoding.ffmpegFrames(mp2, channels: 2) == measured.decoded)
    }

    // MARK: The first frame

    /// libmpg123 takes a first frame only when a compatible header follows it: one frame alone
    /// (or followed by an ID3v1 tag) decodes to nothing, so probe refuses it too; two decode.
    @Test func aOneFrameFileIsRefusedAsTheDecoderRefusesIt() throws {
        let original = try SeededMutations.prefix("call/customer-noxing.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(original[0..<4]))
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = Array(original.prefix(header.frameLength))
        let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125)
        for bytes in [one, one + id3v1] {
            let path = try write(bytes, in: folder)
            #expect(throws: AudioPrepError.self) { try AudioProbe.probe(path: path) }
            #expect(throws: AudioPrepError.self) { try MP3Source(path: path) }
        }
        let two = try probedAndDecoded(Array(original.prefix(2 * header.frameLength)))
        #expect(two.probed == two.decoded)
        #expect(two.decoded == 2 * 576)
    }

    // MARK: Between frames

    /// An ID3v1 tag, an APEv2 tag and an ID3v2 tag between frames: libmpg123 steps over each, so
    /// every frame counts and none of the tag bytes is junk.
    @Test func tagsBetweenFramesAreSteppedOver() throws {
        let original = try SeededMutations.prefix("call/customer-noxing.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(original[0..<4]))
        let frames = original.count / header.frameLength
        #expect(frames * header.frameLength == original.count)
        let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x41, count: 125)
        // APEv2: header, no items, footer (the size counts items and footer).
        func apeBlock(_ flags: UInt8) -> [UInt8] {
            Array("APETAGEX".utf8) + [0xD0, 0x07, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, flags] + [UInt8](repeating: 0, count: 8)
        }
        let ape = apeBlock(0xA0) + apeBlock(0x80)
        let id3v2 = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 20] + [UInt8](repeating: 0, count: 20)
        var bytes = original
        for (frame, tag) in [(30, id3v2), (20, ape), (10, id3v1)] {
            bytes.insert(contentsOf: tag, at: frame * header.frameLength)
        }
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64(frames * 576))
        #expect(measured.info.notes.isEmpty)
    }

    /// 5,000 bytes of junk between frames, beyond libmpg123's default resync limit (1 KiB):
    /// `MP3Source` lifts the limit, so decoding goes on after the junk, as the walk does.
    @Test func resyncCrossesMoreJunkThanLibmpg123sDefaultLimit() throws {
        let original = try SeededMutations.prefix("call/customer-noxing.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(original[0..<4]))
        var bytes = original
        bytes.insert(contentsOf: [UInt8](repeating: 0x41, count: 5000), at: 50 * header.frameLength)
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64(original.count / header.frameLength * 576))
        #expect(measured.info.notes.map(\.code) == ["junk_between_frames"])
        #expect(measured.info.notes.first?.message.hasPrefix("5000 bytes") == true)
    }

    // MARK: A stream that changes rate

    /// A 16 kHz stream followed by a 48 kHz one (`cat`): libmpg123 cannot change its output rate
    /// and fails at the first 48 kHz frame. Probe counts the 16 kHz audio and says decoding stops
    /// (an error for validate); reading the source fails there, and so does a merge — it never
    /// succeeds with the second stream dropped.
    @Test func aSampleRateChangeStopsDecodingAndFailsTheMerge() throws {
        let first = try SeededMutations.prefix("call/customer-noxing.mp3", 1 << 20)
        let second = try SeededMutations.prefix("formats/mp3_mpeg1.mp3", 1 << 20)
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(first + second, in: folder)
        let firstPath = try write(first, name: "first.mp3", in: folder)
        let alone = try AudioProbe.probe(path: firstPath)
        let info = try AudioProbe.probe(path: path)
        #expect(info.sampleRate == 16000)
        #expect(info.frames == alone.frames)
        #expect(info.notes.map(\.code) == ["decoding_stops"])
        #expect(info.notes[0].message.contains("from 16000 Hz to 48000 Hz"))
        #expect(ValidationProblem.severity(ofCode: "decoding_stops") == .error)

        let source = try AudioInput.open(path: path).source
        let error = try #require(throws: AudioPrepError.self) {
            _ = try VideoFixtures.readAll(source, blockFrames: 4096, limitFrames: 2_000_000)
        }
        #expect(error.code == .decodeFailed)
        #expect(error.message.contains("switches to another sample rate after \(alone.frames) frames"))

        let output = folder.appendingPathComponent("out.flac").path
        #expect(throws: AudioPrepError.self) {
            try Merger(configuration: MergeConfiguration(inputs: [firstPath, path], output: output, sampleRate: .fixed(16000))).run()
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: Helpers

    /// `count` frames of `frameLength` bytes: the header `word`, then zeros (all bit allocations
    /// zero: silence a decoder accepts).
    static func silentFrames(_ word: UInt32, frameLength: Int, count: Int) -> [UInt8] {
        let header: [UInt8] = [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
        let frame = header + [UInt8](repeating: 0, count: frameLength - 4)
        return Array([[UInt8]](repeating: frame, count: count).joined())
    }

    private func write(_ bytes: [UInt8], name: String = "case.mp3", in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func probedAndDecoded(_ bytes: [UInt8]) throws -> (probed: Int64, decoded: Int64, info: AudioInfo) {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(bytes, in: folder)
        let input = try AudioInput.open(path: path)
        let samples = try VideoFixtures.readAll(input.source, blockFrames: 4096, limitFrames: 2_000_000)
        return (input.info.frames, Int64(samples.count / input.source.format.channels), input.info)
    }
}
