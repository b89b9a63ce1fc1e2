#if AAC
import Foundation
import Testing
@testable import AudioPrep

/// Damaged AAC in MP4: truncated files and mutated packet payloads give an `AudioPrepError`
/// (or, when the damage still decodes, exactly `frameCount` frames) — never a crash or a hang.
@Suite struct MP4AudioSourceRobustnessTests {
    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.path(name))))
    }

    /// Opens and decodes `bytes` to the end; returns the error, or nil when every frame came out.
    func decode(_ bytes: [UInt8]) throws -> AudioPrepError? {
        let path = try TestMatroska.write(bytes, name: "test.m4a")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let source = try MP4AudioSource(path: path)
            // A mutated time stamp may announce hours of silence (as the file then says); read
            // such a source only up to the limit.
            let limit = 1_000_000
            let frames = try VideoFixtures.readAll(source, blockFrames: 2048, limitFrames: limit).count / source.format.channels
            let expected = try #require(source.frameCount)
            if expected <= Int64(limit) {
                #expect(Int64(frames) == expected)
            } else {
                #expect(frames >= limit)  // readAll stops after the block that crosses the limit
            }
            return nil
        } catch let error as AudioPrepError {
            #expect(error.path == path)
            #expect(!error.message.isEmpty)
            return error
        }
    }

    /// The file positions and sizes of every packet of `name`, from the sample tables.
    func packetRanges(_ name: String) throws -> [Range<Int>] {
        let report = try MP4Probe.inspect(path: VideoFixtures.path(name))
        return IteratorSequence(report.track.sampleTable.makeIterator()).map { Int($0.offset)..<Int($0.offset) + $0.size }
    }

    /// aac-edit.m4a has its 'moov' at the end: every cut loses it. (A fragmented file cut inside
    /// its fragments keeps its intact packets: MP4ReaderTests.)
    @Test(arguments: ["aac-edit.m4a"])
    func everyTruncationIsAnError(name: String) throws {
        let bytes = try fixture(name)
        var errors = 0
        for length in stride(from: 0, to: bytes.count, by: 211) {
            if try decode(Array(bytes[0..<length])) != nil { errors += 1 }
        }
        #expect(errors == (bytes.count + 210) / 211)
    }

    @Test func randomlyMutatedPayloadsNeverCrash() throws {
        let bytes = try fixture("aac-edit.m4a")
        let packets = try packetRanges("aac-edit.m4a")
        #expect(packets.count == 95)
        var rng = SplitMix64(seed: 0xAAC)
        var failures = 0
        for _ in 0..<200 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...24, using: &rng) {
                let packet = packets.randomElement(using: &rng)!
                mutated[Int.random(in: packet, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if let error = try decode(mutated) {
                #expect(error.code == .decodeFailed)
                failures += 1
            }
        }
        // Most random damage breaks the AAC syntax somewhere in the file.
        print("MP4AudioSourceRobustnessTests: \(failures) of 200 files with mutated payloads refused")
        #expect(failures > 0)
    }

    /// Mutations anywhere in the file (boxes, tables, configuration, payloads): the demuxer or
    /// the decoder refuses, or the output has exactly the announced length.
    @Test(arguments: ["aac-edit.m4a", "aac-fragmented.mp4"])
    func randomlyMutatedFilesNeverCrash(name: String) throws {
        let bytes = try fixture(name)
        var rng = SplitMix64(seed: 0xFAAD)
        var failures = 0
        for _ in 0..<200 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if try decode(mutated) != nil { failures += 1 }
        }
        print("MP4AudioSourceRobustnessTests: \(failures) of 200 copies of \(name) mutated anywhere refused")
        #expect(failures > 0)
    }

    @Test func garbagePacketsAreReportedAsDecodeFailures() throws {
        var bytes = try fixture("aac-edit.m4a")
        let packets = try packetRanges("aac-edit.m4a")
        for index in packets[10] { bytes[index] = 0xFF }
        let error = try decode(bytes)
        #expect(error?.code == .decodeFailed)
        #expect(error?.message.contains("libfaad2") == true)
    }

    /// A configuration that declares stereo over mono packets: libfaad2 follows the
    /// configuration and outputs the single channel on both sides, with the exact length.
    @Test func aConfigurationThatLiesAboutChannelsStillGivesExactFrames() throws {
        var bytes = try fixture("aac-edit.m4a")
        // AudioSpecificConfig of AAC-LC 48 kHz mono is 0x11 0x88 (00010 0011 0001 0…); 0x11 0x90
        // declares stereo.
        let esds = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("esds".utf8) })
        let config = try #require((esds..<(bytes.count - 1)).first { bytes[$0] == 0x11 && bytes[$0 + 1] == 0x88 })
        bytes[config + 1] = 0x90
        let path = try TestMatroska.write(bytes, name: "stereo-lie.m4a")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try MP4AudioSource(path: path)
        #expect(source.format.channels == 2)
        let samples = try VideoFixtures.readAll(source)
        #expect(samples.count == 2 * 96_256)
        #expect(stride(from: 0, to: samples.count, by: 2).allSatisfy { samples[$0] == samples[$0 + 1] })
        let mono = try VideoFixtures.readAll(try MP4AudioSource(path: VideoFixtures.path("aac-edit.m4a")))
        #expect(stride(from: 0, to: samples.count, by: 2).map { samples[$0] } == mono)
    }
}
#endif
