import Foundation
import Testing
@testable import AudioPrep

/// Malformed, truncated and lying Matroska files: each must give a clear `AudioPrepError`
/// naming the file — never a crash, a hang or an allocation sized from the file's bytes.
@Suite struct MatroskaRobustnessTests {
    typealias M = TestMatroska

    static let pcmuTrack = M.tracks(M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat()))

    /// Probes and decodes `bytes`; returns the error (nil when the file was accepted).
    func outcome(_ bytes: [UInt8], limitFrames: Int = 2_000_000) throws -> AudioPrepError? {
        let path = try M.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let report = try MatroskaProbe.inspect(path: path)
            let source = try MatroskaAudioSource(path: path)
            #expect(source.frameCount == report.info.frames)
            let decoded = try VideoFixtures.readAll(source, blockFrames: 4096, limitFrames: limitFrames)
            if report.info.frames <= Int64(limitFrames) {
                // What a source delivers is exactly what it and the probe announced.
                #expect(Int64(decoded.count / source.format.channels) == report.info.frames)
            }
            return nil
        } catch let error as AudioPrepError {
            #expect(error.path == path, "errors name the file")
            #expect(!error.message.isEmpty)
            return error
        }
    }

    func expectCorrupt(_ bytes: [UInt8], mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try outcome(bytes)
        #expect(error?.code == .corruptFile, sourceLocation: sourceLocation)
        #expect(error?.message.contains(words) == true, "\(String(describing: error?.message))", sourceLocation: sourceLocation)
    }

    @Test func everyTruncationOfAFixtureIsReported() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.path("opus-gaps.mka"))))
        var reported = 0
        for length in stride(from: 0, to: bytes.count, by: 97) {
            let error = try outcome(Array(bytes[0..<length]))
            #expect(error != nil, "truncated to \(length) bytes")
            if error?.code == .corruptFile { reported += 1 }
        }
        #expect(reported == (bytes.count + 96) / 97)
    }

    @Test func sizesBeyondTheFileOrParentAreRejected() throws {
        // A Segment that claims far more bytes than the file has.
        let lying = M.ebmlHeader() + M.id(0x1853_8067) + [0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + M.info()
        try expectCorrupt(lying, mentioning: "past the end")
        // A block that claims more bytes than its Cluster.
        let block = M.id(0xA3) + [0x10, 0x00, 0x10, 0x00] + [0x81, 0, 0, 0x80]
        let file = M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + M.cluster(timestamp: 0, block))
        try expectCorrupt(file, mentioning: "past the end")
    }

    @Test func oversizedValuesAreNotRead() throws {
        // A real 2 MiB CodecPrivate: larger than the 1 MiB callprep reads into memory.
        let huge = M.tracks(M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: [UInt8](repeating: 7, count: 2 << 20)))
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + huge), mentioning: "more than the 1048576 allowed")
    }

    @Test func damagedLacingIsRejected() throws {
        // Xiph lacing that announces 256 frames whose sizes exceed the block.
        let body: [UInt8] = [0x81, 0, 0, 0x82, 0xFF] + [UInt8](repeating: 0xFF, count: 40)
        let file = M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + M.cluster(timestamp: 0, M.element(0xA3, body)))
        try expectCorrupt(file, mentioning: "lacing")
        // Fixed-size lacing whose data does not divide into the frame count.
        let fixed: [UInt8] = [0x81, 0, 0, 0x84, 0x02] + [UInt8](repeating: 0xFF, count: 10)
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + M.cluster(timestamp: 0, M.element(0xA3, fixed))), mentioning: "lacing")
    }

    @Test func absurdTimestampsAreRejected() throws {
        let payload = M.bytes(80, seed: 1)
        // A jump of 25 hours between two blocks is damage, not a 25-hour gap of silence.
        let jump = M.cluster(timestamp: 0, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
            + M.cluster(timestamp: 90_000_000, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + jump), mentioning: "more than a day")
        // A Cluster timestamp that overflows nanoseconds.
        let overflow = M.cluster(timestamp: 1 << 61, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + overflow), mentioning: "out of range")
        let scaled = M.cluster(timestamp: 1 << 50, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + scaled), mentioning: "overflows")
        // A block before its Cluster's timestamp.
        let early = M.id(0x1F43_B675) + M.size(M.simpleBlock(track: 1, relative: 0, frames: [payload]).count) + M.simpleBlock(track: 1, relative: 0, frames: [payload])
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + early), mentioning: "before its Cluster's timestamp")
    }

    @Test func absurdCountsAreRejected() throws {
        let entries = (1...200).map { M.trackEntry(number: UInt64($0), type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat()) }.flatMap { $0 }
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + M.tracks(entries)), mentioning: "more than 128 tracks")
        let scale = M.element(0x1549_A966, M.uint(0x2A_D7B1, 0))
        try expectCorrupt(M.ebmlHeader() + M.segment(scale + Self.pcmuTrack), mentioning: "TimestampScale")
        let channels = M.tracks(M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat(channels: 300)))
        let file = M.ebmlHeader() + M.segment(M.info() + channels + M.cluster(timestamp: 0, []))
        try expectCorrupt(file, mentioning: "header is damaged")
    }

    @Test func nestedUnknownSizeClustersTerminate() throws {
        // 20 000 unknown-size Clusters, each "containing" the next: each one ends where the next
        // starts, so the walk is linear and ends at the end of the file.
        var clusters: [UInt8] = []
        for i in 0..<20_000 {
            clusters += M.id(0x1F43_B675) + M.unknownSize + M.uint(0xE7, UInt64(i))
        }
        clusters += M.simpleBlock(track: 1, relative: 0, frames: [M.bytes(8, seed: 1)])
        let clock = ContinuousClock.now
        let error = try outcome(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + clusters, unknownSize: true))
        #expect(error == nil)
        #expect(ContinuousClock.now - clock < SanitizerTiming.bound(.seconds(5)))
    }

    @Test func otherFilesAreNotMatroska() throws {
        let wav = Array("RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ".utf8)
        #expect(try outcome(wav)?.code == .corruptFile || (try outcome(wav)?.code) == .unsupportedFormat)
        let notMatroska = M.element(0x1A45_DFA3, M.string(0x4282, "mydoc"))
        #expect(try outcome(notMatroska)?.code == .unsupportedFormat)
        let videoOnly = M.ebmlHeader() + M.segment(M.info() + M.tracks(M.trackEntry(number: 1, type: 1, codec: "V_VP8")) + M.cluster(timestamp: 0, []))
        #expect(try outcome(videoOnly)?.code == .unsupportedFormat)
        let vorbis = M.ebmlHeader() + M.segment(M.info() + M.tracks(M.trackEntry(number: 1, type: 2, codec: "A_FLAC")) + M.cluster(timestamp: 0, []))
        #expect(try outcome(vorbis)?.code == .unsupportedFormat)
        let garbage: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x00, 0x00]
        #expect(try outcome(garbage)?.code == .corruptFile)
    }

    /// Random damage to the fixtures (fixed seed, bounded): overwritten bytes, flipped bits,
    /// truncations. Every outcome must be a success whose decoded length equals the probed
    /// length, or an `AudioPrepError`. `CALLPREP_MUTATION_ITERATIONS` raises the count for a
    /// longer local run (the default 400 takes about 5 s in a debug build).
    @Test func randomizedMutationsNeverCrashOrHang() throws {
        let iterations = ProcessInfo.processInfo.environment["CALLPREP_MUTATION_ITERATIONS"].flatMap(Int.init) ?? 400
        let names = ["opus-gaps.mka", "opus-gaps.webm", "pcmu-gaps.mka", "room-bob.mka"]
        let originals = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.path($0)))) }
        var rng = SplitMix64(seed: 0x5EED_CA11)
        var accepted = 0
        var rejected = 0
        let clock = ContinuousClock.now
        for iteration in 0..<iterations {
            var bytes = originals[iteration % originals.count]
            let kind = Int.random(in: 0..<3, using: &rng)
            // Most structure sits in the first kilobyte (header, tracks, first cluster headers).
            let hotZone = Int.random(in: 0..<2, using: &rng) == 0 ? min(1024, bytes.count) : bytes.count
            switch kind {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<hotZone, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    bytes[Int.random(in: 0..<hotZone, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                }
            default:
                bytes = Array(bytes[0..<Int.random(in: 0..<bytes.count, using: &rng)])
            }
            if try outcome(bytes, limitFrames: 1_000_000) == nil { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted + rejected == iterations)
        #expect(accepted > 20, "some mutations only touch audio payloads and must still decode")
        #expect(rejected > 20, "structural damage must be reported")
        #expect(ContinuousClock.now - clock < SanitizerTiming.bound(.seconds(30) * max(1, iterations / 400)))
    }
}

extension MatroskaRobustnessTests {
    @Test func timestampsAddingUpToMoreThanAWeekAreRejected() throws {
        // Ten blocks, each 23 hours after the previous: every gap is under a day, the track is not.
        let payload = M.bytes(8, seed: 2)
        var clusters: [UInt8] = []
        for i in 0..<10 {
            clusters += M.cluster(timestamp: UInt64(i) * 23 * 3_600_000, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
        }
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + clusters), mentioning: "more than a week")
    }
}

extension MatroskaRobustnessTests {
    @Test func timestampsNearTheInt64LimitAreRejected() throws {
        // 9.2e12 ticks × 1 ms is just under Int64.max nanoseconds: no overflow in the product,
        // but adding pre-skip or rounding later would overflow, so it is refused up front.
        let payload = M.bytes(8, seed: 3)
        let cluster = M.cluster(timestamp: 9_223_372_036_000, M.simpleBlock(track: 1, relative: 0, frames: [payload]))
        try expectCorrupt(M.ebmlHeader() + M.segment(M.info() + Self.pcmuTrack + cluster), mentioning: "overflows")
    }
}
