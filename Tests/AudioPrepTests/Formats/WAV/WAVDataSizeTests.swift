@testable import AudioPrep
import Foundation
import Testing

/// WAVs whose data size is missing or wrong: probe reports every whole frame present, the source
/// delivers exactly those frames (sample for sample what ffmpeg decodes), and a merge keeps them.
@Suite(.enabled(if: ReferenceDecoding.toolsAvailable))
struct WAVDataSizeTests {
    /// 3 s of 16 kHz stereo 16-bit speech-like audio: 48 000 frames, 4-byte blocks.
    static let frames = 48_000

    private struct Fixture {
        let folder: URL
        let samples: [Int16]
        let honest: String

        init() throws {
            folder = try TestFiles.temporaryDirectory()
            let left = MergeTestAudio.speechLike(frames: WAVDataSizeTests.frames, rate: 16000, seed: 7)
            let right = MergeTestAudio.speechLike(frames: WAVDataSizeTests.frames, rate: 16000, seed: 8)
            samples = zip(left, right).flatMap { [$0, $1] }
            honest = folder.appendingPathComponent("honest.wav").path
            try MergeTestAudio.writeWAV16(honest, rate: 16000, channels: 2, samples: samples)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// The honest file with its data chunk's size (and optionally RIFF's) replaced, and
        /// `trailer` appended.
        func variant(_ name: String, dataSize: UInt32, riffSize: UInt32? = nil, trailer: [UInt8] = []) throws -> String {
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: honest)))
            let chunk = try #require(try WAVDataChunk.locate(in: BinaryFileReader(path: honest)))
            let at = Int(chunk.sizeFieldOffset)
            bytes.replaceSubrange(at..<at + 4, with: Self.le32(dataSize))
            if let riffSize { bytes.replaceSubrange(4..<8, with: Self.le32(riffSize)) }
            try Data(bytes + trailer).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

        func cleanUp() { try? FileManager.default.removeItem(at: folder) }
    }

    /// The source's samples as 16-bit values (libsndfile scales 16-bit PCM by exactly 1/32768).
    private func decoded16(_ path: String) throws -> [Int16] {
        try ReferenceDecoding.samples(AudioDecoder.open(path: path)).map { Int16(($0 * 32768).rounded()) }
    }

    @Test func aDataSizeOfZeroCountsAndDeliversEveryFrame() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        // A recorder that died before patching either size.
        let dead = try fixture.variant("dead.wav", dataSize: 0, riffSize: 0)
        let info = try AudioProbe.probe(path: dead)
        #expect(info.frames == Int64(Self.frames))
        #expect(info.lengthSource == .fileSize)
        #expect(info.notes.map(\.code) == ["streamed_header"])
        #expect(info.notes[0].message.contains("data size is 0:"))
        let delivered = try decoded16(dead)
        #expect(delivered == fixture.samples)
        #expect(try ReferenceDecoding.ffmpegSamples16(dead) == delivered)
    }

    @Test func aStreamedWAVFromAnFFmpegPipeIsReadToTheEnd() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        // What `ffmpeg -i IN -f wav - > OUT` writes: sizes 0xFFFFFFFF (checked below).
        let piped = fixture.path("piped.wav")
        let data = try ReferenceDecoding.tool("ffmpeg", ["-v", "error", "-i", fixture.honest, "-f", "wav", "-"])
        try data.write(to: URL(fileURLWithPath: piped))
        let chunk = try #require(try WAVDataChunk.locate(in: BinaryFileReader(path: piped)))
        #expect(chunk.declaredBytes == UInt32.max)
        let info = try AudioProbe.probe(path: piped)
        #expect(info.frames == Int64(Self.frames))
        #expect(info.lengthSource == .fileSize)
        #expect(info.notes.map(\.code) == ["streamed_header"])
        #expect(info.notes[0].message.contains("0xFFFFFFFF"))
        #expect(try decoded16(piped) == fixture.samples)
    }

    @Test(arguments: [UInt32(1000), UInt32(192_000 + 40_000)])
    func aWrongSizeEitherWayGivesTheBytesPresent(dataSize: UInt32) throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let wrong = try fixture.variant("wrong.wav", dataSize: dataSize)
        let info = try AudioProbe.probe(path: wrong)
        #expect(info.frames == Int64(Self.frames))
        #expect(info.lengthSource == .fileSize)
        #expect(info.notes.map(\.code) == ["header_length_mismatch"])
        #expect(info.notes[0].message.contains("the header says \(dataSize / 4) frames"))
        #expect(try decoded16(wrong) == fixture.samples)
        if dataSize > 192_000 {
            #expect(try ReferenceDecoding.ffmpegSamples16(wrong) == fixture.samples)
        } else {
            // ffmpeg believes a size that is too small and stops at it (250 frames); callprep
            // counts on, because no chunk starts where that size ends: the bytes there are audio.
            #expect(try ReferenceDecoding.ffmpegSamples16(wrong).count == Int(dataSize) / 2)
        }
    }

    @Test func aHalfFrameAtTheEndIsNotCounted() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let odd = try fixture.variant("odd.wav", dataSize: 0, trailer: [0x11, 0x22, 0x33])
        let info = try AudioProbe.probe(path: odd)
        #expect(info.frames == Int64(Self.frames))
        #expect(try decoded16(odd) == fixture.samples)
    }

    /// A right size followed by a LIST chunk: the chunk is metadata, not audio, and no note.
    @Test func aChunkAfterTheDataIsNotAudio() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let list: [UInt8] = Array("LIST".utf8) + Fixture.le32(26) + Array("INFOISFT".utf8) + Fixture.le32(14)
            + Array("Lavf59.27.100".utf8) + [0]
        let tagged = try fixture.variant("list.wav", dataSize: 192_000, riffSize: UInt32(36 + 192_000 + list.count), trailer: list)
        let info = try AudioProbe.probe(path: tagged)
        #expect(info.frames == Int64(Self.frames))
        #expect(info.lengthSource == .header)
        #expect(info.notes.isEmpty)
        #expect(try decoded16(tagged) == fixture.samples)
        #expect(try ReferenceDecoding.ffmpegSamples16(tagged) == fixture.samples)
    }

    @Test func aMergeKeepsEveryFrameOfAWAVWithoutADataSize() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let dead = try fixture.variant("dead.wav", dataSize: 0, riffSize: 0)
        // A mono partner of the same length.
        let partner = fixture.path("partner.wav")
        try MergeTestAudio.writeWAV16(partner, rate: 16000, channels: 1, samples: MergeTestAudio.speechLike(frames: 16000, rate: 16000, seed: 9))
        let output = fixture.path("out.flac")
        let manifest = try Merger(configuration: MergeConfiguration(inputs: [dead, partner], output: output, sampleRate: .fixed(16000))).run()
        #expect(manifest.channels[0].contentFrames == Int64(Self.frames))
        #expect(manifest.output.frames == Int64(Self.frames))
        #expect(try MergeTestAudio.read16(output).frames == Self.frames)
    }
}
