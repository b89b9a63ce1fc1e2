import Foundation
import Testing
@testable import AudioPrep

/// FLAC files joined with `cat a.flac b.flac`: every stream is counted from its own frames and
/// decoded, one after the other, with a `concatenated_streams` note.
@Suite(.enabled(if: TestFiles.which("ffmpeg") != nil, "needs ffmpeg (scripts/install-deps.sh)"))
final class FLACJoinedStreamsTests {
    let folder: URL

    init() throws { folder = try TestFiles.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A 16-bit mono tone encoded by ffmpeg (`-f flac -` to a pipe when `piped`, STREAMINFO
    /// total 0).
    func tone(_ name: String, seconds: String, frequency: Int, rate: Int = 16_000, piped: Bool = false) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let input = ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=\(frequency):duration=\(seconds):sample_rate=\(rate)", "-c:a", "flac"]
        if piped {
            try ReferenceDecoding.tool("ffmpeg", input + ["-f", "flac", "-"]).write(to: URL(fileURLWithPath: path))
        } else {
            try ReferenceDecoding.tool("ffmpeg", input + [path])
        }
        return path
    }

    func cat(_ paths: [String], as name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try paths.reduce(Data()) { $0 + (try Data(contentsOf: URL(fileURLWithPath: $1))) }.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Opens `path` once as a merge does, decodes everything, and checks probe's frames are what
    /// the source delivers.
    func openAndDecode(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (info: AudioInfo, samples: [Float]) {
        let input = try AudioInput.open(path: path)
        #expect(input.source.frameCount == input.info.frames, sourceLocation: sourceLocation)
        let samples = try ReferenceDecoding.samples(input.source)
        #expect(Int64(samples.count / input.info.channels) == input.info.frames, sourceLocation: sourceLocation)
        #expect(try AudioProbe.probe(path: path) == input.info, sourceLocation: sourceLocation)
        return (input.info, samples)
    }

    func floats(_ samples: [Int16]) -> [Float] { samples.map { Float($0) / 32768 } }

    @Test func twoJoinedFilesDecodeAsEachFileBackToBack() throws {
        let a = try tone("a.flac", seconds: "1.5", frequency: 440)
        let b = try tone("b.flac", seconds: "2", frequency: 660)
        let path = try cat([a, b], as: "ab.flac")
        let (info, samples) = try openAndDecode(path)
        let first = try ReferenceDecoding.ffmpegSamples16(a)
        let second = try ReferenceDecoding.ffmpegSamples16(b)
        #expect(first.count == 24_000 && second.count == 32_000)
        #expect(info.frames == 56_000)
        #expect(info.lengthSource == .frameScan)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        #expect(info.notes[0].message.contains("2 streams"))
        // Sample-exact: the first file's samples, then the second's.
        let exact = samples == floats(first + second)
        #expect(exact)
        // ffmpeg is no reference for the joined file: its FLAC parser resyncs over the second
        // "fLaC" header and loses the frames around it (53 888 of 56 000 frames here).
        #expect(try ReferenceDecoding.ffmpegFrames(path, channels: 1) < 56_000)
    }

    /// A file appended to itself: STREAMINFO's total equals the last frame's end, but the frame
    /// numbers go back where the copy begins.
    @Test func aFileJoinedToItselfIsFoundByItsFrameNumbers() throws {
        let a = try tone("a.flac", seconds: "1.5", frequency: 440)
        let path = try cat([a, a], as: "aa.flac")
        let (info, samples) = try openAndDecode(path)
        let once = try ReferenceDecoding.ffmpegSamples16(a)
        #expect(info.frames == 48_000)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        let exact = samples == floats(once + once)
        #expect(exact)
    }

    /// Three streams written to a pipe (each STREAMINFO total 0): each is noted as streamed.
    @Test func joinedPipedStreamsAreCountedFromTheirFrames() throws {
        let parts = try (0..<3).map { try tone("p\($0).flac", seconds: "1", frequency: 300 + 100 * $0, piped: true) }
        let path = try cat(parts, as: "ppp.flac")
        let (info, samples) = try openAndDecode(path)
        #expect(info.frames == 48_000)
        #expect(info.notes.map(\.code) == ["streamed_header", "streamed_header", "streamed_header", "concatenated_streams"])
        let exact = samples == floats(try parts.flatMap { try ReferenceDecoding.ffmpegSamples16($0) })
        #expect(exact)
    }

    @Test func aStreamOfAnotherRateIsRefusedByName() throws {
        let a = try tone("a.flac", seconds: "1.5", frequency: 440)
        let fast = try tone("fast.flac", seconds: "1", frequency: 440, rate: 48_000)
        let path = try cat([a, fast], as: "mixed.flac")
        #expect {
            _ = try AudioProbe.probe(path: path)
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .unsupportedFormat && error?.message.contains("the 2nd of 2 joined FLAC streams") == true
                && error?.message.contains("48000 Hz") == true
        }
    }

    @Test func aMergeKeepsEveryFrameOfEveryStream() throws {
        let a = try tone("a.flac", seconds: "1.5", frequency: 440)
        let b = try tone("b.flac", seconds: "2", frequency: 660)
        let joined = try cat([a, b, a], as: "aba.flac")
        let info = try AudioProbe.probe(path: joined)
        #expect(info.frames == 24_000 + 32_000 + 24_000)
        let configuration = MergeConfiguration(
            inputs: [a, joined], output: folder.appendingPathComponent("out.flac").path, sampleRate: .fixed(16_000))
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == info.frames)
        #expect(manifest.inputs[1].lengthSource == "frame_scan")
    }
}
