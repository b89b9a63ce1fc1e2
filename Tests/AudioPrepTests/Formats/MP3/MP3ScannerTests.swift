import Foundation
import Testing
@testable import AudioPrep

@Suite struct MP3ScannerTests {
    @Test func decodesFrameHeaderFields() throws {
        // MPEG-1 Layer III, 128 kbps, 44.1 kHz, no padding, joint stereo: FF FB 90 44.
        let h = try #require(MP3FrameHeader([0xFF, 0xFB, 0x90, 0x44]))
        #expect(h.version == .mpeg1)
        #expect(h.layer == 3)
        #expect(h.bitrateKbps == 128)
        #expect(h.sampleRate == 44100)
        #expect(h.channels == 2)
        #expect(h.frameLength == 417)
        #expect(h.samplesPerFrame == 1152)
        // MPEG-2 Layer III, 32 kbps, 16 kHz, mono: FF F3 48 C4 → 72 × 32000 / 16000 = 144 bytes, 576 samples.
        let m2 = try #require(MP3FrameHeader([0xFF, 0xF3, 0x48, 0xC4]))
        #expect(m2.version == .mpeg2)
        #expect(m2.sampleRate == 16000)
        #expect(m2.channels == 1)
        #expect(m2.frameLength == 144)
        #expect(m2.samplesPerFrame == 576)
    }

    @Test func rejectsInvalidHeaders() {
        #expect(MP3FrameHeader([0xFF, 0xFB, 0xF0, 0x44]) == nil)  // bitrate index 15
        #expect(MP3FrameHeader([0xFF, 0xFB, 0x00, 0x44]) == nil)  // free format
        #expect(MP3FrameHeader([0xFF, 0xFB, 0x9C, 0x44]) == nil)  // sample-rate index 3
        // The reserved version value (01) is not refused: libmpg123 reads it as MPEG-2.5.
        #expect(MP3FrameHeader([0xFF, 0xEB, 0x90, 0x44])?.version == .mpeg25)
        #expect(MP3FrameHeader([0xFF, 0xF9, 0x90, 0x44]) == nil)  // reserved layer
        #expect(MP3FrameHeader([0xFF, 0xFB, 0x90]) == nil)        // too short
    }

    /// The bug callprep exists to avoid: libsndfile 1.2.0 estimates the length of a VBR MP3
    /// without a Xing header from its first frame and stops reading there. This file starts loud
    /// (high-bitrate frames), so the estimate falls short; callprep's probe and decoder do not.
    @Test func headerlessVBRDecodesToItsFullLength() throws {
        let path = TestFiles.audio("edge/vbr-noxing-loud-start.mp3")
        let info = try AudioProbe.probe(path: path)
        #expect(info.lengthSource == .frameScan)
        #expect(info.frames == 274176)  // 476 frames × 576; ffmpeg decodes the same count
        #expect(try decodedFrames(AudioDecoder.open(path: path)) == 274176)
        // libsndfile's reader for the same file stops at its estimate, 10440 frames early.
        let sndfile = try SndFileSource(path: path)
        #expect(sndfile.frameCount == 263736)
        #expect(try decodedFrames(sndfile) == 263736)
    }

    private func decodedFrames(_ source: any PCMSource) throws -> Int64 {
        var buffer = [Float](repeating: 0, count: 8192 * source.format.channels)
        var total: Int64 = 0
        while case let n = try buffer.withUnsafeMutableBufferPointer({ try source.read(into: $0) }), n > 0 {
            total += Int64(n)
        }
        return total
    }

    /// A Xing tag that claims far more frames than the stream holds: the frames present count,
    /// trimmed as libmpg123 trims them (it skips the Info frame and the start's encoder delay, and
    /// never reaches the declared end, so no padding is removed).
    @Test func implausibleXingCountGivesTheFramesPresent() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("formats/mp3_mpeg1.mp3"))))
        let header = try #require(MP3FrameHeader(Array(bytes[0..<4])))
        let countOffset = header.xingOffset + 8
        #expect(String(decoding: bytes[header.xingOffset..<header.xingOffset + 4], as: UTF8.self) == "Info")
        bytes.replaceSubrange(countOffset..<countOffset + 4, with: [0x7F, 0xFF, 0xFF, 0xFF])
        let url = dir.appendingPathComponent("lying.mp3")
        try Data(bytes).write(to: url)
        let info = try AudioProbe.probe(path: url.path)
        #expect(info.lengthSource == .frameScan)
        #expect(info.notes.map(\.code) == ["header_length_mismatch"])
        #expect(try decodedFrames(AudioDecoder.open(path: url.path)) == info.frames)
        // 22 audio frames × 1152 − (576 encoder delay + 529 decoder delay); ffmpeg agrees.
        #expect(info.frames == 22 * 1152 - 576 - 529)
    }

    @Test func junkBetweenFramesIsSkippedAndReported() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("call/customer-noxing.mp3"))))
        let frameLength = 144
        // Insert 37 junk bytes after the 10th frame (no ID3 tag in this file: frames start at 0).
        bytes.insert(contentsOf: [UInt8](repeating: 0x41, count: 37), at: 10 * frameLength)
        let url = dir.appendingPathComponent("junk.mp3")
        try Data(bytes).write(to: url)
        let info = try AudioProbe.probe(path: url.path)
        #expect(info.frames == 261504)
        #expect(info.notes.map(\.code) == ["junk_between_frames"])
    }
}
