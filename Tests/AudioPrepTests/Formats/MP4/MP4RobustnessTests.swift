import Foundation
import Testing
@testable import AudioPrep

/// Damaged and lying MP4 files: each gives a clear `AudioPrepError`, never a crash, a hang or
/// an allocation sized from a count in the file.
@Suite struct MP4RobustnessTests {
    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.path(name))))
    }

    /// Probes `bytes` and walks every sample; returns the error, or nil when accepted.
    func outcome(_ bytes: [UInt8]) throws -> AudioPrepError? {
        let path = try TestMatroska.write(bytes, name: "test.m4a")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let report = try MP4Probe.inspect(path: path)
            var iterator = report.track.sampleTable.makeIterator()
            var count: Int64 = 0
            while iterator.next() != nil { count += 1 }
            #expect(count == report.track.sampleTable.sampleCount)
            return nil
        } catch {
            #expect(error.path == path)
            return error
        }
    }

    /// Overwrites the big-endian UInt32 at `offset` bytes after the first occurrence of `type`.
    func patch(_ bytes: [UInt8], box type: String, at offset: Int, with value: UInt32) -> [UInt8] {
        var bytes = bytes
        let needle = Array(type.utf8)
        guard let index = (0..<(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == needle }) else {
            Issue.record("no '\(type)' box")
            return bytes
        }
        let start = index + offset
        for i in 0..<4 { bytes[start + i] = UInt8((value >> (8 * UInt32(3 - i))) & 0xFF) }
        return bytes
    }

    func expectCorrupt(_ bytes: [UInt8], mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try outcome(bytes)
        #expect(error?.code == .corruptFile, sourceLocation: sourceLocation)
        #expect(error?.message.contains(words) == true, "\(String(describing: error?.message))", sourceLocation: sourceLocation)
    }

    @Test func everyTruncationIsReported() throws {
        let bytes = try fixture("aac-edit.m4a")
        for length in stride(from: 8, to: bytes.count, by: 97) {
            #expect(try outcome(Array(bytes[0..<length])) != nil, "truncated to \(length) bytes")
        }
    }

    @Test func lyingCountsAreRejected() throws {
        let bytes = try fixture("aac-edit.m4a")
        // stsz: version/flags (4), uniform size (4), count (4) — after the 4-byte type.
        try expectCorrupt(patch(bytes, box: "stsz", at: 12, with: 0xFFFF_FFFF), mentioning: "more entries than bytes")
        try expectCorrupt(patch(bytes, box: "stco", at: 8, with: 0x4000_0000), mentioning: "more entries than bytes")
        try expectCorrupt(patch(bytes, box: "stts", at: 8, with: 0x1000_0000), mentioning: "more entries than bytes")
        // stts claims more samples than stsz sizes.
        try expectCorrupt(patch(bytes, box: "stts", at: 12, with: 1000), mentioning: "disagree")
        // stsc starting at chunk 5, or with an absurd samples-per-chunk.
        try expectCorrupt(patch(bytes, box: "stsc", at: 12, with: 5), mentioning: "chunk 1")
        try expectCorrupt(patch(bytes, box: "stsc", at: 16, with: 0xFFFF_FFF0), mentioning: "chunks hold")
        // An edit that starts beyond the media.
        try expectCorrupt(patch(bytes, box: "elst", at: 16, with: 0x0100_0000), mentioning: "outside the track's media")
    }

    @Test func impossibleBoxSizesAreRejected() throws {
        let bytes = try fixture("aac-edit.m4a")
        // mvhd's size field sits 4 bytes before its type.
        try expectCorrupt(patch(bytes, box: "mvhd", at: -4, with: 4), mentioning: "impossible size")
        try expectCorrupt(patch(bytes, box: "trak", at: -4, with: 0x7FFF_FFFF), mentioning: "past the end")
        try expectCorrupt(patch(bytes, box: "mdhd", at: 16, with: 0), mentioning: "timescale")
    }

    @Test func absurdFragmentSampleCountsAreRejected() throws {
        let bytes = try fixture("aac-fragmented.mp4")
        // trun with no per-sample fields (flags 0) claiming 4 billion samples of default duration.
        var lying = patch(bytes, box: "trun", at: 4, with: 0)
        lying = patch(lying, box: "trun", at: 8, with: 0xFFFF_FFFF)
        try expectCorrupt(lying, mentioning: "more samples")
        // trun with per-sample durations claiming more entries than its bytes.
        try expectCorrupt(patch(bytes, box: "trun", at: 8, with: 0x0100_0000), mentioning: "more samples than it holds")
    }

    @Test func otherFilesAreNotMP4() throws {
        #expect(try outcome(Array("RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ".utf8))?.code != nil)
        #expect(try outcome([0, 0, 0, 16] + Array("ftypisom".utf8) + [0, 0, 0, 0])?.code == .corruptFile)
    }

    /// Random damage (fixed seed, bounded) to the MP4 fixtures; `CALLPREP_MUTATION_ITERATIONS`
    /// raises the count for a longer local run.
    @Test func randomizedMutationsNeverCrashOrHang() throws {
        let iterations = ProcessInfo.processInfo.environment["CALLPREP_MUTATION_ITERATIONS"].flatMap(Int.init) ?? 300
        let originals = try ["aac-edit.m4a", "aac-delayed.m4a", "aac-fragmented.mp4"].map(fixture)
        var rng = SplitMix64(seed: 0x4D50_3400)
        var accepted = 0
        var rejected = 0
        let clock = ContinuousClock.now
        for iteration in 0..<iterations {
            var bytes = originals[iteration % originals.count]
            // The structure (moov, moof) is what matters; mdat bytes are never parsed.
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:
                let moov = bytes.count - 1200
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    bytes[Int.random(in: max(0, moov)..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                }
            default:
                bytes = Array(bytes[0..<Int.random(in: 0..<bytes.count, using: &rng)])
            }
            if try outcome(bytes) == nil { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted > 20)
        #expect(rejected > 20)
        #expect(ContinuousClock.now - clock < .seconds(20) * max(1, iterations / 300))
    }
}

extension MP4RobustnessTests {
    @Test func durationsThatWouldOverflowAreRejected() throws {
        let bytes = try fixture("aac-edit.m4a")
        // stts entry: count, delta — make both ~2^32: their product overflows Int64 arithmetic.
        var lying = patch(bytes, box: "stts", at: 12, with: 0xFFFF_FFFF)
        lying = patch(lying, box: "stts", at: 16, with: 0xFFFF_FFFF)
        try expectCorrupt(lying, mentioning: "impossible duration")
        // A fragment of 2^31 − 1 samples with a 2^32 − 1 default duration (tfhd flags 0x020038:
        // the default duration follows the track ID).
        var fragment = patch(try fixture("aac-fragmented.mp4"), box: "trun", at: 4, with: 0)
        fragment = patch(fragment, box: "trun", at: 8, with: 0x7FFF_FFFF)
        fragment = patch(fragment, box: "tfhd", at: 12, with: 0xFFFF_FFFF)
        try expectCorrupt(fragment, mentioning: "lists more samples than it holds")
    }
}
