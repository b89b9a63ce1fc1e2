@testable import AudioPrep
import Foundation
import Testing

/// RF64 and CAF written by ffmpeg to a pipe (the header's size unstated: RF64's ds64 says 0, CAF's
/// data chunk says −1): probe counts every frame present, the source delivers them sample for
/// sample, and a merge keeps them.
@Suite(.enabled(if: TestFiles.which("ffmpeg") != nil, "needs ffmpeg (scripts/install-deps.sh)"))
final class PipedHeaderSizeTests {
    let folder: URL
    /// 3 s of a 16 kHz stereo tone: 48 000 frames.
    static let frames: Int64 = 48_000
    static let tone = ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=16000", "-ac", "2"]

    init() throws { folder = try TestFiles.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// ffmpeg's output to standard output with `format`, saved as `name`.
    func piped(_ name: String, _ format: [String]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try ReferenceDecoding.tool("ffmpeg", Self.tone + format + ["-"]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The same tone written to a seekable file (an honest header): the reference samples.
    func honestSamples() throws -> [Int16] {
        let path = folder.appendingPathComponent("honest.wav").path
        try ReferenceDecoding.tool("ffmpeg", Self.tone + ["-y", path])
        return try ReferenceDecoding.ffmpegSamples16(path)
    }

    @Test(arguments: [("RF64", ["-f", "wav", "-rf64", "always"], "0"), ("CAF", ["-f", "caf"], "-1")])
    func everyFrameOfAPipedHeaderIsCountedAndDelivered(container: String, format: [String], declared: String) throws {
        let path = try piped("piped.\(container.lowercased())", format)
        let located = try #require(try PipedHeaderSize.locate(in: BinaryFileReader(path: path)))
        #expect(located.container == container && located.declared == declared)
        let input = try AudioInput.open(path: path)
        #expect(input.info.container.rawValue == container.lowercased())
        #expect(input.info.frames == Self.frames)
        #expect(input.info.lengthSource == .fileSize)
        #expect(input.info.notes.map(\.code) == ["streamed_header"])
        #expect(input.info.notes[0].message.contains("\(container) header's data size is \(declared)"))
        #expect(input.source.frameCount == Self.frames)
        let samples = try ReferenceDecoding.samples(input.source)
        let exact = samples == (try honestSamples()).map { Float($0) / 32768 }
        #expect(exact)
    }

    /// ffmpeg as a reference: it reads the piped CAF to the end, but believes the piped RF64's
    /// ds64 data size of 0 and decodes nothing — callprep reads the 48 000 frames the file holds.
    @Test func ffmpegReadsThePipedCAFButNotThePipedRF64() throws {
        #expect(try ReferenceDecoding.ffmpegFrames(try piped("ref.caf", ["-f", "caf"]), channels: 2) == Self.frames)
        #expect(try ReferenceDecoding.ffmpegFrames(try piped("ref.rf64", ["-f", "wav", "-rf64", "always"]), channels: 2) == 0)
    }

    @Test(arguments: [["-f", "wav", "-rf64", "always"], ["-f", "caf"]])
    func aMergeKeepsEveryFrame(format: [String]) throws {
        let path = try piped("merge-input", format)
        let other = folder.appendingPathComponent("other.wav").path
        try MergeTestAudio.writeWAV16(other, rate: 16_000, channels: 1, samples: MergeTestAudio.speechLike(frames: 16_000, rate: 16_000, seed: 3))
        let configuration = MergeConfiguration(
            inputs: [other, path], output: folder.appendingPathComponent("out.flac").path, sampleRate: .fixed(16_000))
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == Self.frames)
        #expect(manifest.inputs[1].lengthSource == "file_size")
    }

    /// A size field damaged into a number the file cannot hold is not a piped header: libsndfile
    /// judges such a file alone (no trap on the sums).
    @Test func aCAFChunkSizeBeyondTheFileIsNotAPipedHeader() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try piped("bad.caf", ["-f", "caf"]))))
        // The desc chunk's size (bytes 12…19) → Int64.max, then −2.
        for value in [Int64.max, -2] {
            for i in 0..<8 { bytes[12 + i] = UInt8(truncatingIfNeeded: value >> (8 * (7 - i))) }
            let path = folder.appendingPathComponent("bad-\(value).caf").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try PipedHeaderSize.locate(in: BinaryFileReader(path: path)) == nil)
            #expect(throws: AudioPrepError.self) { _ = try AudioProbe.probe(path: path) }
        }
    }
}
