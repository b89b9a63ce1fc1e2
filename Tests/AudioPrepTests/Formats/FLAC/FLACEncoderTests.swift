@testable import AudioPrep
import Foundation
import Testing

@Suite struct FLACEncoderTests {
    /// Encodes `left`/`right` into `path` and returns the summary.
    private func encode(
        left: [Int16], right: [Int16], rate: Int, path: String, threads: Int, blocksPerSegment: Int,
        comments: [VorbisComment] = []
    ) throws -> FLACStreamSummary {
        let file = try AtomicOutputFile(destination: path, overwrite: true)
        let settings = FLACStreamSettings(
            sampleRate: rate, totalFrames: Int64(left.count), threads: threads, comments: comments, vendor: "callprep tests")
        let encoder = try FLACEncoder(output: file, settings: settings, blocksPerSegment: blocksPerSegment)
        var interleaved = [Int16](repeating: 0, count: 2 * 7919)
        var offset = 0
        while offset < left.count {  // odd-sized appends cross segment boundaries
            let count = min(7919, left.count - offset)
            for index in 0..<count {
                interleaved[2 * index] = Int16(left[offset + index])
                interleaved[2 * index + 1] = Int16(right[offset + index])
            }
            try interleaved.withUnsafeBufferPointer { try encoder.append(UnsafeBufferPointer(rebasing: $0[0..<(2 * count)])) }
            offset += count
        }
        let summary = try encoder.finish()
        try file.commit()
        return summary
    }

    /// 300+ FLAC frames over many 2-block segments: frame numbers cross the 1→2 byte coding at 128.
    @Test func stitchedParallelStreamDecodesToTheExactSamples() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = 4096 * 300 + 1234
        let left = MergeTestAudio.speechLike(frames: frames, rate: 16000, seed: 1)
        var right = MergeTestAudio.speechLike(frames: frames, rate: 16000, seed: 2)
        right[0] = .min
        right[1] = .max
        let path = folder.appendingPathComponent("two.flac").path
        let summary = try encode(left: left, right: right, rate: 16000, path: path, threads: 2, blocksPerSegment: 2)
        #expect(summary.frames == Int64(frames))
        #expect(summary.flacFrames == 301)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(Int64(size) == summary.bytes)

        let decoded = try MergeTestAudio.read16(path)
        #expect(decoded.rate == 16000)
        #expect(decoded.channels == 2)
        #expect(decoded.frames == frames)
        #expect(decoded.channel(0) == left)
        #expect(decoded.channel(1) == right)

        // libFLAC's own decoder checks every CRC-8/CRC-16 and the STREAMINFO MD5.
        let flac = try #require(TestFiles.which("flac"), "the flac tool is not installed: run scripts/install-deps.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: flac)
        process.arguments = ["-t", "-s", "-w", path]  // -w: warnings are errors
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func bytesDoNotDependOnTheThreadCount() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let left = MergeTestAudio.speechLike(frames: 200_000, rate: 48000, seed: 5)
        let right = MergeTestAudio.speechLike(frames: 200_000, rate: 48000, seed: 6)
        var contents: [Data] = []
        for threads in [1, 2, 3] {
            let path = folder.appendingPathComponent("t\(threads).flac").path
            _ = try encode(left: left, right: right, rate: 48000, path: path, threads: threads, blocksPerSegment: 3)
            contents.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(contents[0] == contents[1])
        #expect(contents[0] == contents[2])
    }

    @Test func metadataHoldsStreamInfoCommentsAndSeekTable() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = 16000 * 25 + 5  // 25 s: seek points at 0, 10, 20 s
        let left = MergeTestAudio.speechLike(frames: frames, rate: 16000, seed: 8)
        let path = folder.appendingPathComponent("meta.flac").path
        let summary = try encode(
            left: left, right: left, rate: 16000, path: path, threads: 2, blocksPerSegment: 4,
            comments: [VorbisComment("CHANNEL1_ROLE", "Agent"), VorbisComment("CHANNEL2_FULL_NAME", "Bob Customer")])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[0..<4]) == Array("fLaC".utf8))
        // STREAMINFO: block sizes 4096/4096, rate 16000, 2 channels, 16 bits, total samples, MD5.
        #expect(bytes[4] == 0 && bytes[7] == 34)
        #expect(bytes[8] == 0x10 && bytes[9] == 0x00 && bytes[10] == 0x10 && bytes[11] == 0x00)
        let packed = bytes[18..<26].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(packed >> 44 == 16000)
        #expect((packed >> 41) & 7 == 1)
        #expect((packed >> 36) & 31 == 15)
        #expect(packed & 0xF_FFFF_FFFF == UInt64(frames))
        #expect(bytes[26..<42].map { String(format: "%02x", $0) }.joined() == summary.md5)
        // VORBIS_COMMENT follows, then the SEEKTABLE as the last block.
        #expect(bytes[42] == 4)
        let commentLength = Int(bytes[43]) << 16 | Int(bytes[44]) << 8 | Int(bytes[45])
        let commentText = String(decoding: bytes[46..<(46 + commentLength)], as: UTF8.self)
        #expect(commentText.contains("CHANNEL1_ROLE=Agent"))
        #expect(commentText.contains("CHANNEL2_FULL_NAME=Bob Customer"))
        let seekHeader = 46 + commentLength
        #expect(bytes[seekHeader] == 0x80 | 3)
        let seekLength = Int(bytes[seekHeader + 1]) << 16 | Int(bytes[seekHeader + 2]) << 8 | Int(bytes[seekHeader + 3])
        #expect(seekLength == 3 * 18)
        let firstFrame = seekHeader + 4 + seekLength
        for point in 0..<3 {
            let base = seekHeader + 4 + point * 18
            let sample = bytes[base..<(base + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let offset = bytes[(base + 8)..<(base + 16)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(sample == UInt64(point * 160_000 / 4096 * 4096))
            // The offset points at a frame sync code whose frame number is sample / 4096.
            let frameStart = firstFrame + Int(offset)
            #expect(bytes[frameStart] == 0xFF && bytes[frameStart + 1] == 0xF8)
            let number = sample / 4096
            #expect(Array(bytes[(frameStart + 4)..<(frameStart + 4 + FLACFrameRenumbering.encode(number).count)]) == FLACFrameRenumbering.encode(number))
        }
    }

    @Test func checksumsMatchTheirStandardCheckValues() {
        let text = Array("123456789".utf8)
        text.withUnsafeBytes { raw in
            #expect(FLACChecksums.crc8(raw) == 0xF4)  // CRC-8 (poly 0x07)
            #expect(FLACChecksums.crc16(raw) == 0xFEE8)  // CRC-16/UMTS (poly 0x8005, FLAC's)
        }
    }

    @Test func frameNumbersUseTheUTF8StyleCoding() {
        #expect(FLACFrameRenumbering.encode(0) == [0x00])
        #expect(FLACFrameRenumbering.encode(127) == [0x7F])
        #expect(FLACFrameRenumbering.encode(128) == [0xC2, 0x80])
        #expect(FLACFrameRenumbering.encode(2047) == [0xDF, 0xBF])
        #expect(FLACFrameRenumbering.encode(2048) == [0xE0, 0xA0, 0x80])
        #expect(FLACFrameRenumbering.encode(65536) == [0xF0, 0x90, 0x80, 0x80])
        for value: UInt64 in [0, 127, 128, 2047, 2048, 65535, 65536, 2_097_151, 2_097_152, 0x7FFF_FFFF] {
            #expect(FLACFrameRenumbering.codedLength(firstByte: FLACFrameRenumbering.encode(value)[0]) == FLACFrameRenumbering.encode(value).count)
        }
    }
}
