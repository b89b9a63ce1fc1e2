import Foundation
import Testing
@testable import AudioPrep

/// FLAC decoding without libsndfile: every sample against libsndfile's decode of the WAV twin
/// or of the same FLAC file, any read size, every width and channel count FLAC allows in
/// callprep's range, and damaged, cut and unknown-length streams (delivering what the frames
/// hold, whatever STREAMINFO says).
@Suite struct FLACFileSourceTests {
    static let flacTool = TestFiles.which("flac")

    static func readAll(_ source: any PCMSource, blockFrames: Int = 4096) throws -> [Float] {
        try VideoFixtures.readAll(source, blockFrames: blockFrames, limitFrames: .max)
    }

    /// The index of the first sample where `a` and `b` differ (or where the shorter one ends),
    /// nil when they are identical: a failure names one place instead of printing both arrays.
    static func firstDifference(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Int? {
        var index = 0
        for (x, y) in zip(a, b) {
            if x != y { return index }
            index += 1
        }
        return a.count == b.count ? nil : index
    }

    struct Twin: CustomTestStringConvertible, Sendable {
        var flac: String, wav: String, frames: Int64
        var testDescription: String { flac }
    }

    @Test(arguments: [
        Twin(flac: "call/agent.flac", wav: "call/agent.wav", frames: 267763),
        Twin(flac: "call/customer.flac", wav: "call/customer.wav", frames: 260043),
    ])
    func equalsTheWAVTwinSampleForSample(_ twin: Twin) throws {
        let flac = try FLACFileSource(path: TestFiles.audio(twin.flac))
        let wav = try SndFileSource(path: TestFiles.audio(twin.wav))
        #expect(flac.format == PCMFormat(sampleRate: 16000, channels: 1))
        #expect(flac.frameCount == twin.frames)
        #expect(wav.frameCount == twin.frames)
        let ours = try Self.readAll(flac)
        let reference = try Self.readAll(wav)
        #expect(ours.count == Int(twin.frames))
        #expect(Self.firstDifference(ours, reference) == nil)
        // Real speech, and every value an exact 16-bit sample (n/32768), so the merge's 16-bit
        // pass-through stays bit for bit.
        #expect(ours.map(abs).max()! > 0.1)
        #expect(ours.allSatisfy { ($0 * 32768).rounded() == $0 * 32768 && $0 * 32768 >= -32768 && $0 * 32768 <= 32767 })
        // Once at the end, reads keep returning 0.
        var buffer = [Float](repeating: 0, count: 64)
        #expect(try buffer.withUnsafeMutableBufferPointer { try flac.read(into: $0) } == 0)
    }

    @Test(arguments: [("formats/flac_s16.flac", 16), ("formats/flac_s24.flac", 24)])
    func equalsLibsndfilesDecodeOfTheSameFile(_ file: String, bits: Int) throws {
        let flac = try FLACFileSource(path: TestFiles.audio(file))
        let sndfile = try SndFileSource(path: TestFiles.audio(file))
        #expect(flac.format == PCMFormat(sampleRate: 48000, channels: 2))
        #expect(flac.frameCount == 24000)
        let ours = try Self.readAll(flac)
        #expect(ours.count == 48000)
        #expect(Self.firstDifference(ours, try Self.readAll(sndfile)) == nil)
        #expect(ours.map(abs).max()! > 0.1)
        let full = Float(1 << (bits - 1))
        #expect(ours.allSatisfy { ($0 * full).rounded() == $0 * full })
        // (flac_s24.flac holds 16-bit content in 24-bit samples; the raw-input test below has
        // values using all 24 bits.)
    }

    @Test(arguments: ["call/agent.flac", "formats/flac_s24.flac"])
    func anyReadSizeGivesTheSameSamples(_ file: String) throws {
        let path = TestFiles.audio(file)
        let reference = try Self.readAll(try FLACFileSource(path: path))
        for blockFrames in [1, 7, 4095, 4097, 100_000] {
            let samples = try Self.readAll(try FLACFileSource(path: path), blockFrames: blockFrames)
            #expect(Self.firstDifference(samples, reference) == nil, "reading \(blockFrames) frames at a time")
        }
        // Sizes changing from read to read, so frames split at every kind of boundary.
        let source = try FLACFileSource(path: path)
        let channels = source.format.channels
        let sizes = [1, 4097, 7, 4095, 3, 100_000, 4096, 2]
        var buffer = [Float](repeating: 0, count: 100_000 * channels)
        var samples: [Float] = []
        var call = 0
        while true {
            let frames = sizes[call % sizes.count]
            call += 1
            let n = try buffer.withUnsafeMutableBufferPointer {
                try source.read(into: UnsafeMutableBufferPointer(rebasing: $0[0..<(frames * channels)]))
            }
            if n == 0 { break }
            #expect(n <= frames)
            samples += buffer[0..<(n * channels)]
        }
        #expect(Self.firstDifference(samples, reference) == nil)
    }

    struct Layout: CustomTestStringConvertible, Sendable {
        var bits: Int, channels: Int
        var testDescription: String { "\(bits)-bit, \(channels) channels" }
    }

    /// Files of every sample width the `flac` tool encodes from raw input, 1–8 channels: the
    /// decoded values are the integers written, divided by 2^(bits−1); for the widths libsndfile
    /// reads (8, 16, 24) they also equal libsndfile's decode.
    @Test(.enabled(if: flacTool != nil, "the flac tool is not installed"), arguments: [
        Layout(bits: 8, channels: 1), Layout(bits: 16, channels: 3), Layout(bits: 24, channels: 6),
        Layout(bits: 32, channels: 2), Layout(bits: 32, channels: 8),
    ])
    func everyWidthAndChannelCountScalesLikeLibsndfile(_ layout: Layout) throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let frames = 10_000  // two full 4096-frame blocks and a short last one
        let count = frames * layout.channels
        let lowest = -(Int64(1) << (layout.bits - 1))
        let highest = (Int64(1) << (layout.bits - 1)) - 1
        var rng = SplitMix64(seed: UInt64(layout.bits * 10 + layout.channels))
        var values = (0..<count).map { _ in Int64.random(in: lowest...highest, using: &rng) }
        values[0] = lowest
        values[1] = highest
        var raw = Data(capacity: count * layout.bits / 8)
        for v in values {
            for byte in 0..<(layout.bits / 8) { raw.append(UInt8(truncatingIfNeeded: v >> (8 * byte))) }
        }
        let rawURL = dir.appendingPathComponent("in.raw")
        let flacURL = dir.appendingPathComponent("out.flac")
        try raw.write(to: rawURL)
        _ = try TestFiles.run(Self.flacTool!, [
            "-s", "-f", "--force-raw-format", "--endian=little", "--sign=signed", "--channels=\(layout.channels)",
            "--bps=\(layout.bits)", "--sample-rate=16000", "-o", flacURL.path, rawURL.path,
        ])
        let source = try FLACFileSource(path: flacURL.path)
        #expect(source.format == PCMFormat(sampleRate: 16000, channels: layout.channels))
        #expect(source.frameCount == 10_000)
        let decoded = try Self.readAll(source, blockFrames: 4097)
        let full = Double(Int64(1) << (layout.bits - 1))
        #expect(decoded.count == count)
        #expect(decoded.first == -1)
        #expect(decoded.count > 1 && Double(decoded[1]) == Double(Float(Double(highest) / full)))
        let mismatches = zip(decoded, values).filter { Double($0) != Double(Float(Double($1) / full)) }.count
        #expect(mismatches == 0)
        if layout.bits <= 24 {
            #expect(Self.firstDifference(decoded, try Self.readAll(try SndFileSource(path: flacURL.path))) == nil)
        }
    }

    @Test func corruptFramesThrowDecodeFailed() throws {
        let source = try FLACFileSource(path: TestFiles.audio("edge/corrupt-frames.flac"))
        #expect(source.frameCount == 267763)
        #expect {
            _ = try Self.readAll(source)
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .decodeFailed && error?.message.contains("damaged") == true
        }
    }

    @Test func aFileWithoutAudioFramesIsRefusedAtOpen() {
        #expect {
            _ = try FLACFileSource(path: TestFiles.audio("edge/truncated.flac"))
        } throws: { error in
            (error as? AudioPrepError)?.code == .corruptFile
        }
    }

    /// `bytes` (a FLAC file) with STREAMINFO's 36-bit total set to `total`: after "fLaC" and the
    /// 4-byte block header, the total is the low nibble of STREAMINFO byte 13 and bytes 14–17.
    static func withDeclaredTotal(_ bytes: Data, _ total: UInt64) -> Data {
        var bytes = bytes
        bytes[8 + 13] = (bytes[8 + 13] & 0xF0) | UInt8(truncatingIfNeeded: total >> 32)
        for index in 0..<4 { bytes[8 + 14 + index] = UInt8(truncatingIfNeeded: total >> (8 * (3 - index))) }
        return bytes
    }

    /// `call/agent.flac`'s bytes changed by `edit`, written as `name` into `folder`; its path.
    static func editedAgentFLAC(_ name: String, in folder: URL, _ edit: (Data) -> Data) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("call/agent.flac")))
        let url = folder.appendingPathComponent(name)
        try edit(bytes).write(to: url)
        return url.path
    }

    /// The reference samples: `call/agent.wav` (the FLAC's source) decoded by libsndfile.
    static func agentWAVSamples() throws -> [Float] {
        try readAll(try SndFileSource(path: TestFiles.audio("call/agent.wav")))
    }

    /// A file cut mid-stream (the first half of agent.flac's bytes, inside the 33rd frame): the
    /// 32 intact 4096-sample frames are delivered, equal to the WAV's, and the stream then ends
    /// without an error (the reader's `truncated_stream` note says it was cut).
    @Test func aStreamCutShortDeliversItsIntactFramesAndEnds() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cut = try Self.editedAgentFLAC("cut.flac", in: dir) { $0.prefix($0.count / 2) }

        let source = try FLACFileSource(path: cut)
        #expect(source.frameCount == 131_072)
        let reference = try Self.agentWAVSamples()
        var delivered: [Float] = []
        var buffer = [Float](repeating: 0, count: 1000)
        var failure: AudioPrepError?
        do {
            while true {
                let n = try buffer.withUnsafeMutableBufferPointer { buffer throws(AudioPrepError) in
                    try source.read(into: buffer)
                }
                if n == 0 { break }
                delivered += buffer[0..<n]
            }
        } catch {
            failure = error
        }
        #expect(failure == nil)
        #expect(delivered.count == 131_072)
        #expect(Self.firstDifference(delivered, reference[0..<delivered.count]) == nil)
    }

    /// STREAMINFO's total zeroed (as an encoder writing to a pipe leaves it): the length comes
    /// from the last frame, and the whole stream decodes to the WAV's samples.
    @Test func anUnknownTotalDecodesToTheEnd() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let unknown = try Self.editedAgentFLAC("unknown.flac", in: dir) { Self.withDeclaredTotal($0, 0) }

        let source = try FLACFileSource(path: unknown)
        #expect(source.frameCount == 267763)
        let samples = try Self.readAll(source, blockFrames: 4095)
        #expect(samples.count == 267763)
        #expect(Self.firstDifference(samples, try Self.agentWAVSamples()) == nil)
    }

    /// Whole frames, but fewer than STREAMINFO declares (a stream that ends cleanly at a frame
    /// boundary): every frame present is delivered, then reads return 0.
    @Test func aStreamShorterThanDeclaredDeliversTheFramesItHolds() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let short = try Self.editedAgentFLAC("short.flac", in: dir) { Self.withDeclaredTotal($0, 300_000) }

        let source = try FLACFileSource(path: short)
        #expect(source.frameCount == 267_763)
        var buffer = [Float](repeating: 0, count: 300_000)
        let n = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
        #expect(n == 267_763)
        #expect(Self.firstDifference(buffer[0..<n], try Self.agentWAVSamples()) == nil)
        #expect(try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) } == 0)
    }

    /// A declared total below what the stream holds: every frame is delivered (libsndfile
    /// stopped at the declared total and lost the rest).
    @Test func aStreamLongerThanDeclaredDeliversEveryFrame() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = try Self.editedAgentFLAC("long.flac", in: dir) { Self.withDeclaredTotal($0, 10_000) }

        let source = try FLACFileSource(path: long)
        #expect(source.frameCount == 267_763)
        let samples = try Self.readAll(source, blockFrames: 4097)
        #expect(samples.count == 267_763)
        #expect(Self.firstDifference(samples, try Self.agentWAVSamples()) == nil)
    }

    /// Bytes after the last frame (an ID3v1 tag appended by a tagger) are never decoded, so they
    /// cannot fail the decode. (libsndfile, which decodes ahead, reported lost sync on them.)
    @Test func bytesAfterTheDeclaredAudioAreIgnored() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tagged = try Self.editedAgentFLAC("id3v1.flac", in: dir) { $0 + Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125) }

        let samples = try Self.readAll(try FLACFileSource(path: tagged))
        #expect(samples.count == 267_763)
        #expect(Self.firstDifference(samples, try Self.agentWAVSamples()) == nil)
    }

    /// An ID3v2 tag before "fLaC" (which the sniffer looks past): libFLAC skips it.
    @Test func anID3v2TagBeforeTheStreamIsSkipped() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tag: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 20] + [UInt8](repeating: 0, count: 20)
        let tagged = try Self.editedAgentFLAC("id3v2.flac", in: dir) { Data(tag) + $0 }

        let source = try AudioDecoder.open(path: tagged)
        #expect(source is FLACFileSource)
        #expect(source.frameCount == 267_763)
        let samples = try Self.readAll(source)
        #expect(Self.firstDifference(samples, try Self.agentWAVSamples()) == nil)
    }

    @Test func audioDecoderSendsNativeFLACHere() throws {
        #expect(try AudioDecoder.open(path: TestFiles.audio("call/agent.flac")) is FLACFileSource)
        #expect(try AudioDecoder.open(path: TestFiles.audio("formats/vorbis.ogg")) is OggAudioSource)
    }
}
