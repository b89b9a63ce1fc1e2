import Foundation
import Testing
@testable import AudioPrep

/// `FLACReader` reports the frames the stream holds, from its last intact frame's header, and
/// says where STREAMINFO disagrees. ffmpeg's decode of each file is the reference count; each
/// class is also decoded by the reader's own source and merged.
@Suite struct FLACReaderTests {
    static let ffmpeg = TestFiles.which("ffmpeg")

    /// The frames ffmpeg decodes from `path` (16-bit samples on stdout / 2 / channels).
    static func ffmpegFrames(_ path: String, channels: Int) throws -> Int64 {
        let pcm = try TestFiles.run(ffmpeg!, ["-v", "quiet", "-i", path, "-f", "s16le", "-"])
        return Int64(pcm.count / 2 / channels)
    }

    /// A file made in `folder`; its path.
    typealias Maker = @Sendable (URL) throws -> String

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var make: Maker
        var lengthSource: LengthSource
        /// The note codes, in order.
        var notes: [String]
        var testDescription: String { name }
    }

    static let agent = TestFiles.audio("call/agent.flac")

    /// agent.flac's bytes changed by `edit`.
    static func agentEdited(_ name: String, _ edit: @escaping @Sendable (Data) -> Data) -> Maker {
        { folder in try FLACFileSourceTests.editedAgentFLAC(name, in: folder, edit) }
    }

    /// A 12-second 16 kHz sine encoded by ffmpeg, with STREAMINFO claiming 2 seconds.
    static let twelveSecondsSaysTwo: Maker = { folder in
        let url = folder.appendingPathComponent("twelve.flac")
        _ = try TestFiles.run(ffmpeg!, [
            "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=12:sample_rate=16000", "-c:a", "flac", url.path,
        ])
        try FLACFileSourceTests.withDeclaredTotal(try Data(contentsOf: url), 32_000).write(to: url)
        return url.path
    }

    /// agent.flac re-encoded by ffmpeg to a pipe: STREAMINFO's total stays 0.
    static let piped: Maker = { folder in
        let url = folder.appendingPathComponent("piped.flac")
        try TestFiles.run(ffmpeg!, ["-v", "error", "-i", agent, "-f", "flac", "-"]).write(to: url)
        return url.path
    }

    static let cases: [Case] = [
        Case(name: "honest", make: { _ in agent }, lengthSource: .header, notes: []),
        Case(name: "STREAMINFO 2 s, frames 12 s", make: twelveSecondsSaysTwo, lengthSource: .frameScan, notes: ["header_length_mismatch"]),
        Case(name: "STREAMINFO total 0 (piped)", make: piped, lengthSource: .frameScan, notes: ["streamed_header"]),
        Case(
            name: "cut inside a frame", make: agentEdited("cut.flac") { $0.prefix(150_000) }, lengthSource: .frameScan,
            notes: ["truncated_stream"]),
        Case(
            name: "STREAMINFO more than the frames", make: agentEdited("more.flac") { FLACFileSourceTests.withDeclaredTotal($0, 300_000) },
            lengthSource: .frameScan, notes: ["header_length_mismatch"]),
        Case(
            name: "ID3v1 tag after the frames", make: agentEdited("id3v1.flac") { $0 + Data("TAG".utf8) + Data(repeating: 0x20, count: 125) },
            lengthSource: .header, notes: []),
        Case(
            name: "zero padding after the frames", make: agentEdited("zeros.flac") { $0 + Data(repeating: 0, count: 5000) },
            lengthSource: .header, notes: []),
        Case(name: "variable blocksize", make: { try VariableBlockFLAC.write(in: $0).path }, lengthSource: .header, notes: []),
    ]

    @Test(.enabled(if: ffmpeg != nil, "ffmpeg is not installed"), arguments: cases)
    func framesAreWhatDecodesAndTheNotesSayWhy(_ c: Case) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try c.make(folder)

        let input = try AudioInput.open(path: path)
        let reference = try Self.ffmpegFrames(path, channels: input.info.channels)
        #expect(input.info.frames == reference)
        #expect(input.info.lengthSource == c.lengthSource)
        #expect(input.info.notes.map(\.code) == c.notes)
        #expect(input.source.frameCount == reference)
        // The source delivers exactly those frames, without an error (bytes after the last intact
        // frame are never decoded).
        let samples = try FLACFileSourceTests.readAll(input.source, blockFrames: 4097)
        #expect(Int64(samples.count / input.info.channels) == reference)
        #expect(samples.map(abs).max()! > 0.01)
    }

    @Test(.enabled(if: ffmpeg != nil, "ffmpeg is not installed"))
    func theNotesGiveTheNumbers() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let twelve = try AudioProbe.probe(path: try Self.twelveSecondsSaysTwo(folder))
        #expect(twelve.frames == 192_000)
        #expect(twelve.notes.first?.message.contains("the header says 32000 frames (2.000 s) but 192000 frames (12.000 s) decode") == true)

        let cut = try AudioProbe.probe(path: try Self.agentEdited("cut.flac") { $0.prefix(150_000) }(folder))
        // agent.flac has 4096-sample frames: 36 of them are whole in the first 150,000 bytes.
        #expect(cut.frames == 36 * 4096)
        #expect(cut.notes.first?.message.contains("after 147456 intact frames, is cut short or damaged (STREAMINFO declares 267763)") == true)
    }

    /// Each class merges to all of its decodable frames: the manifest's content frames (16 kHz in,
    /// 16 kHz out) and the output's decoded channel.
    @Test(.enabled(if: ffmpeg != nil, "ffmpeg is not installed"), arguments: [cases[1], cases[2], cases[3], cases[4]])
    func aMergeKeepsEveryDecodableFrame(_ c: Case) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try c.make(folder)
        let reference = try Self.ffmpegFrames(path, channels: 1)
        let output = folder.appendingPathComponent("out.flac").path
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [path, TestFiles.audio("edge/short-1s.wav")], output: output, alignment: .start, encoderThreads: 2)).run()
        #expect(manifest.channels[0].contentFrames == reference)
        #expect(manifest.output.frames == reference)
        let decoded = try MergeTestAudio.read16(output)
        #expect(Int64(decoded.frames) == reference)
        // The merged channel is the input's samples, bit for bit (16-bit mono at the output rate).
        let input = try FLACFileSourceTests.readAll(try FLACFileSource(path: path))
        #expect(decoded.channel(0).map { Float($0) / 32768 } == input)
    }

    /// A damaged last frame (one byte changed inside it: its CRC-16 fails) counts like a cut:
    /// the frames before it, `truncated_stream`.
    @Test func aDamagedLastFrameEndsTheStreamBeforeIt() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // agent.flac's last frame holds 267,763 − 65 × 4096 = 1,523 samples in its last few
        // hundred bytes; byte size − 20 is inside it.
        let path = try Self.agentEdited("damaged-end.flac") { data in
            var data = data
            data[data.count - 20] ^= 0x21
            return data
        }(folder)
        let info = try AudioProbe.probe(path: path)
        #expect(info.frames == 65 * 4096)
        #expect(info.lengthSource == .frameScan)
        #expect(info.notes.map(\.code) == ["truncated_stream"])
        #expect(try FLACFileSourceTests.readAll(try FLACFileSource(path: path)).count == 65 * 4096)
    }

    /// 32-bit samples, which the tail check cannot parse: counted by decoding with libFLAC.
    @Test func wideSamplesAreCountedByDecoding() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("wide.flac").path
        var rng = SplitMix64(seed: 32)
        let samples = (0..<(10_001 * 2)).map { _ in Int32.random(in: -1_000_000...1_000_000, using: &rng) }
        try TestFLACWriter.write(samples, to: path, .init(bits: 32, channels: 2))
        let info = try AudioProbe.probe(path: path)
        #expect(info.frames == 10_001)
        #expect(info.lengthSource == .decode)
        #expect(info.notes.isEmpty)
        #expect(info.bitsPerSample == 32)
    }

    /// The extent comes from the first frame's header and the last intact frame found from the
    /// end of the file.
    @Test func agentFLACsExtentIsItsFirstAndLastFrames() throws {
        let file = try BinaryFileReader(path: Self.agent)
        let metadata = try FLACStreamDecoder(path: Self.agent)
        let offset = try #require(metadata.firstFrameOffset)
        let decoder = NativeFLACDecoder(path: Self.agent, file: file, info: metadata.info, frameOffset: offset)
        let extent = try #require(try FLACStreamExtent.scan(file, firstFrameOffset: offset, decoder: decoder))
        #expect(extent == FLACStreamExtent(firstSample: 0, endSample: 267_763, cutFrameOffset: nil))
    }
}

/// A variable-blocksize FLAC stream (frames numbered by their first sample, RFC 9639 §9.1.5),
/// which neither the `flac` tool nor ffmpeg writes: mono 16-bit 16 kHz, verbatim subframes of
/// irregular sizes, so the sample numbers take 1 to 3 bytes.
enum VariableBlockFLAC {
    static let blockSizes = [100, 37, 4000, 1, 65_535, 2_000, 4_096, 777]

    static func write(in folder: URL) throws -> (path: String, frames: Int) {
        let total = blockSizes.reduce(0, +)
        var stream = HandCodedFLACTests.header(total: total)
        // STREAMINFO's block sizes: smallest and largest.
        stream[8] = UInt8(1 >> 8)
        stream[9] = 1
        stream[10] = 0xFF
        stream[11] = 0xFF
        var first = 0
        for (index, size) in blockSizes.enumerated() {
            let samples = (0..<size).map { Int64(8000 * sin(Double(first + $0) / Double(7 + index))) }
            stream += frame(samples, firstSample: first)
            first += size
        }
        let path = folder.appendingPathComponent("variable.flac").path
        try Data(stream).write(to: URL(fileURLWithPath: path))
        return (path, total)
    }

    /// `value` (< 2³⁶) coded like UTF-8, as the frame header's number: `k` continuation bytes of
    /// six bits after a lead byte of k + 1 one bits and 6 − k value bits.
    static func utf8Number(_ value: Int) -> [UInt8] {
        if value < 0x80 { return [UInt8(value)] }
        var k = 1
        while value >= 1 << (5 * k + 6) { k += 1 }
        let lead = UInt8(truncatingIfNeeded: 0xFF << (7 - k)) | UInt8(value >> (6 * k))
        return [lead] + (0..<k).reversed().map { 0x80 | UInt8((value >> (6 * $0)) & 0x3F) }
    }

    static func frame(_ samples: [Int64], firstSample: Int) -> [UInt8] {
        var w = HandCodedFLACTests.BitWriter()
        w.write(0xFFF9, bits: 16)  // sync, variable blocking
        w.write(7, bits: 4)  // block size: 16 bits after the number
        w.write(0, bits: 4)  // rate: STREAMINFO's
        w.write(0, bits: 4)  // one channel
        w.write(4, bits: 3)  // 16 bits
        w.write(0, bits: 1)
        for byte in utf8Number(firstSample) { w.write(UInt64(byte), bits: 8) }
        w.write(UInt64(samples.count - 1), bits: 16)
        w.write(UInt64(w.bytes.withUnsafeBytes { FLACChecksums.crc8($0) }), bits: 8)
        w.write(0, bits: 1)
        w.write(1, bits: 6)  // verbatim
        w.write(0, bits: 1)
        for sample in samples { w.writeSigned(sample, bits: 16) }
        w.alignToByte()
        w.write(UInt64(w.bytes.withUnsafeBytes { FLACChecksums.crc16($0) }), bits: 16)
        return w.bytes
    }
}
