@testable import AudioPrep
import Foundation
import Testing

/// MP3s whose Xing/Info header does not describe the file: streams joined with `cat`, files cut
/// short, and short MP3s behind an ID3v2 tag. Probe must report what libmpg123 delivers, the
/// decoder must deliver it, and a merge must keep it.
@Suite(.enabled(if: ReferenceDecoding.toolsAvailable))
struct MP3TruthTests {
    /// A temporary folder with `lame -V 5` MP3s of 16 kHz mono sines (576-sample frames).
    private struct Fixtures {
        let folder: URL
        init() throws { folder = try TestFiles.temporaryDirectory() }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// `seconds` of a sine at `hz`, encoded by lame with its Info frame and LAME tag.
        func mp3(_ name: String, seconds: Double, hz: Int, lameOptions: [String] = ["-V", "5"]) throws -> String {
            let wav = path("\(name).wav")
            try ReferenceDecoding.tool("sox", ["-q", "-D", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", "\(seconds)", "sine", "\(hz)", "gain", "-6"])
            try ReferenceDecoding.tool("lame", ["--quiet"] + lameOptions + [wav, path(name)])
            return path(name)
        }

        /// The files' bytes end to end, as `cat` joins them.
        func concatenate(_ parts: [String], into name: String) throws -> String {
            var joined = Data()
            for part in parts { joined += try Data(contentsOf: URL(fileURLWithPath: part)) }
            try joined.write(to: folder.appendingPathComponent(name))
            return path(name)
        }

        func cleanUp() { try? FileManager.default.removeItem(at: folder) }
    }

    /// The LAME tag's encoder padding of an MP3's first frame.
    private func encoderPadding(_ path: String) throws -> Int {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try #require(MP3FrameHeader(bytes))
        let tag = try #require(XingTag(frame: Array(bytes.prefix(header.frameLength)), header: header))
        return try #require(tag.encoderPadding)
    }

    @Test func twoConcatenatedMP3sAreBothCounted() throws {
        let fixtures = try Fixtures()
        defer { fixtures.cleanUp() }
        let a = try fixtures.mp3("a.mp3", seconds: 3, hz: 440)
        let b = try fixtures.mp3("b.mp3", seconds: 2, hz: 660)
        let joined = try fixtures.concatenate([a, b], into: "joined.mp3")

        // Each part alone: its header is honest, and probe, decoder and ffmpeg agree.
        for (part, frames) in [(a, Int64(48_000)), (b, Int64(32_000))] {
            let info = try AudioProbe.probe(path: part)
            #expect(info.frames == frames)
            #expect(info.lengthSource == .xingHeader)
            #expect(info.notes.isEmpty)
            #expect(try ReferenceDecoding.decodedFrames(part) == frames)
            #expect(try ReferenceDecoding.ffmpegFrames(part, channels: 1) == frames)
        }

        let info = try AudioProbe.probe(path: joined)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        #expect(info.notes[0].message.contains("2 streams"))
        #expect(info.lengthSource == .frameScan)
        // More than the first header's 48 000, and exactly what libmpg123 delivers.
        #expect(info.frames > 48_000 + 32_000)
        #expect(try ReferenceDecoding.decodedFrames(joined) == info.frames)
        // ffmpeg keeps the first stream's padding beyond libmpg123's 529-sample decoder delay,
        // which libmpg123 removes where the first stream ends (measured: 82 415 vs 81 984 frames
        // for these inputs, padding 960). Both decode the second stream whole, its Info frame as
        // 576 frames of silence and its encoder delay included.
        let ffmpeg = try ReferenceDecoding.ffmpegFrames(joined, channels: 1)
        #expect(ffmpeg - info.frames == Int64(max(0, try encoderPadding(a) - 529)))
    }

    @Test func threeStreamsAreNamedAndCounted() throws {
        let fixtures = try Fixtures()
        defer { fixtures.cleanUp() }
        let a = try fixtures.mp3("a.mp3", seconds: 1.5, hz: 440)
        let b = try fixtures.mp3("b.mp3", seconds: 1, hz: 660)
        let joined = try fixtures.concatenate([a, b, a], into: "three.mp3")
        let info = try AudioProbe.probe(path: joined)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        #expect(info.notes[0].message.contains("3 streams"))
        #expect(try ReferenceDecoding.decodedFrames(joined) == info.frames)
        let ffmpeg = try ReferenceDecoding.ffmpegFrames(joined, channels: 1)
        #expect(ffmpeg - info.frames == Int64(max(0, try encoderPadding(a) - 529)))
    }

    @Test func aMergeKeepsEveryConcatenatedStream() throws {
        let fixtures = try Fixtures()
        defer { fixtures.cleanUp() }
        let a = try fixtures.mp3("a.mp3", seconds: 3, hz: 440)
        let b = try fixtures.mp3("b.mp3", seconds: 2, hz: 660)
        let joined = try fixtures.concatenate([a, b], into: "joined.mp3")
        let info = try AudioProbe.probe(path: joined)
        let output = fixtures.path("out.flac")
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [a, joined], output: output, sampleRate: .fixed(16000))).run()
        #expect(manifest.channels[1].contentFrames == info.frames)
        #expect(manifest.output.frames == info.frames)
        let decoded = try MergeTestAudio.read16(output)
        #expect(Int64(decoded.frames) == info.frames)
        // The second stream is there: its last second is not silent.
        let tail = decoded.channel(1).suffix(16000)
        #expect(tail.map { abs(Int($0)) }.max() ?? 0 > 4000)
    }

    @Test func aTruncatedMP3CountsWhatDecodesNotItsHeader() throws {
        let fixtures = try Fixtures()
        defer { fixtures.cleanUp() }
        let full = try fixtures.mp3("ten.mp3", seconds: 10, hz: 300)
        #expect(try AudioProbe.probe(path: full).frames == 160_000)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
        // The frame boundary nearest the middle, walking header to header.
        var end = 0
        while end + 4 <= bytes.count / 2, let h = MP3FrameHeader([UInt8](bytes[end..<end + 4])) { end += h.frameLength }
        let next = try #require(MP3FrameHeader([UInt8](bytes[end..<end + 4])))
        #expect(next.layer == 3)
        // Cut in the middle of the frame after it: the Xing header still says 10 s.
        let cut = fixtures.path("cut.mp3")
        try bytes.prefix(end + next.frameLength / 2).write(to: URL(fileURLWithPath: cut))
        let info = try AudioProbe.probe(path: cut)
        #expect(info.lengthSource == .frameScan)
        #expect(info.notes.map(\.code) == ["header_length_mismatch", "truncated_stream"])
        #expect(info.notes[0].message.contains("the header says 160000 frames"))
        #expect(info.frames < 160_000 && info.frames > 70_000)
        #expect(try ReferenceDecoding.decodedFrames(cut) == info.frames)
        // ffmpeg also decodes the cut-off last frame (as a whole frame of 576), libmpg123 drops
        // it (measured: 78 959 vs 78 383).
        #expect(try ReferenceDecoding.ffmpegFrames(cut, channels: 1) == info.frames + 576)

        // Cut exactly after a frame: no truncated_stream, the header still disagrees.
        let clean = fixtures.path("clean-cut.mp3")
        try bytes.prefix(end).write(to: URL(fileURLWithPath: clean))
        let cleanInfo = try AudioProbe.probe(path: clean)
        #expect(cleanInfo.notes.map(\.code) == ["header_length_mismatch"])
        #expect(try ReferenceDecoding.decodedFrames(clean) == cleanInfo.frames)
        #expect(try ReferenceDecoding.ffmpegFrames(clean, channels: 1) == cleanInfo.frames)
    }

    /// Two frames of MPEG audio behind an ID3v2 tag whose stated size leaves out its zero padding:
    /// ffmpeg and libmpg123 decode them, so callprep must recognise the file.
    @Test func aShortMP3BehindAnID3v2TagIsRecognised() throws {
        let fixtures = try Fixtures()
        defer { fixtures.cleanUp() }
        let plain = try fixtures.mp3("plain.mp3", seconds: 0.02, hz: 440, lameOptions: ["-t", "-b", "32"])
        let frames = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain)))
        let header = try #require(MP3FrameHeader(frames))
        let twoFrames = Array(frames.prefix(2 * header.frameLength))
        let tag: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 32] + [UInt8](repeating: 0, count: 32)
        let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125)
        for (name, bytes) in [
            ("padded.mp3", tag + [UInt8](repeating: 0, count: 100) + twoFrames),
            ("tagged-both-ends.mp3", tag + twoFrames + id3v1),
        ] {
            let path = fixtures.path(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let info = try AudioProbe.probe(path: path)
            #expect(info.container == .mp3, "\(name)")
            #expect(info.frames == 2 * 576, "\(name)")
            #expect(try ReferenceDecoding.decodedFrames(path) == info.frames, "\(name)")
            #expect(try ReferenceDecoding.ffmpegFrames(path, channels: 1) == info.frames, "\(name)")
        }
    }
}
