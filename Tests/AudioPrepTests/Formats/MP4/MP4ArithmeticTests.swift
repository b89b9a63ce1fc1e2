import Foundation
import Testing
@testable import AudioPrep

/// The arithmetic of the MP4 reader on untrusted numbers, one class at a time: edit-list times
/// and durations, timescale conversions, 64-bit chunk offsets and sample positions. Each value
/// sits at the edge of what an overflow-free computation allows; past it the file is refused
/// with an error naming the field, never a trap.
@Suite struct MP4ArithmeticTests {
    /// Any open file: the edit and table checks need one only for their error messages.
    static func anyFile() throws -> ContainerByteReader {
        try ContainerByteReader(path: VideoFixtures.path("aac-edit.m4a"))
    }

    func expectCorrupt(
        _ words: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch {
            let error = error as? AudioPrepError
            #expect(error?.code == .corruptFile, sourceLocation: sourceLocation)
            #expect(error?.message.contains(words) == true, "\(String(describing: error?.message))", sourceLocation: sourceLocation)
        }
    }

    /// An edit's end is its media time plus its duration rescaled to the media timescale: a
    /// duration whose rescaled value is just under Int64.max, from a media time of 2^40, would
    /// overflow the sum.
    @Test func editEndsBeyondInt64AreRefused() throws {
        let file = try Self.anyFile()
        let nearMax = MP4Edit(segmentDuration: 9_223_372_036, mediaTime: 1 << 40)  // × 10^9 ≈ Int64.max
        expectCorrupt("beyond any real recording") {
            _ = try MP4EditWindow(edits: [nearMax], movieTimescale: 1, mediaTimescale: 1_000_000_000, file: file)
        }
        // Just inside the limit (2^50 media units) is accepted and exact.
        let inside = try MP4EditWindow(
            edits: [MP4Edit(segmentDuration: 1000, mediaTime: (1 << 50) - 48_001)], movieTimescale: 1000,
            mediaTimescale: 48_000, file: file)
        #expect(inside.presentedStart == Int64(1 << 50) - 48_001)
        #expect(inside.presentedEnd == Int64(1 << 50) - 48_001 + 48_000)
        expectCorrupt("beyond any real recording") {
            _ = try MP4EditWindow(
                edits: [MP4Edit(segmentDuration: 1000, mediaTime: (1 << 50) - 48_000)], movieTimescale: 1000,
                mediaTimescale: 48_000, file: file)
        }
        // A media time beyond any recording (version-1 edit lists carry 64-bit times).
        expectCorrupt("beyond any real recording") {
            _ = try MP4EditWindow(edits: [MP4Edit(segmentDuration: 0, mediaTime: Int64.max)], movieTimescale: 1000, mediaTimescale: 48_000, file: file)
        }
    }

    /// Empty edits (delays) add up: each is below 2^61 (the parser's limit), the sum is checked
    /// after every addition.
    @Test func delaysAddingUpBeyondTheLimitAreRefused() throws {
        let file = try Self.anyFile()
        let huge = MP4Edit(segmentDuration: Int64.max / 4, mediaTime: -1)
        expectCorrupt("impossible delay") {
            _ = try MP4EditWindow(edits: [huge, huge, huge, huge, huge], movieTimescale: 1000, mediaTimescale: 48_000, file: file)
        }
        let delayed = try MP4EditWindow(
            edits: [MP4Edit(segmentDuration: 1478, mediaTime: -1), MP4Edit(segmentDuration: 0, mediaTime: 0)],
            movieTimescale: 1000, mediaTimescale: 48_000, file: file)
        #expect(delayed.delay == 1478 && delayed.presentedStart == 0 && delayed.presentedEnd == nil)
    }

    /// `rescale` rounds to nearest and refuses what it cannot compute exactly in 64 bits,
    /// including Int64.min (whose magnitude has no Int64).
    @Test func rescaleIsExactOrRefuses() throws {
        let file = try Self.anyFile()
        #expect(try MP4Probe.rescale(1024, 48_000, 44_100, file: file) == 1115)  // 1114.56
        #expect(try MP4Probe.rescale(-1024, 48_000, 44_100, file: file) == -1115)
        #expect(try MP4Probe.rescale((1 << 42) - 1, 1_000_000, 1_000_000, file: file) == (1 << 42) - 1)
        for (value, numerator, denominator) in [
            (Int64.min, Int64(48_000), Int64(1)), (Int64(1) << 42, 1, 1), (Int64(1) << 41, 1_000_000_000, 1),
            (Int64(1), 1_000_000_001, 1), (Int64(1), 48_000, 0), (Int64(1), 0, 48_000),
        ] {
            expectCorrupt("units") { _ = try MP4Probe.rescale(value, numerator, denominator, file: file) }
        }
    }

    /// 64-bit chunk offsets ('co64') beyond the file, up to UInt64.max (which has no Int64), are
    /// refused when the tables are checked, before any sample position is computed.
    @Test func chunkOffsetsBeyondTheFileAreRefused() throws {
        let file = try Self.anyFile()
        var table = MP4SampleTable()
        table.timeToSample = [.init(count: 2, delta: 1024)]
        table.sampleToChunk = [.init(firstChunk: 1, samplesPerChunk: 2)]
        table.uniformSize = 10
        table.sampleCount = 2
        for offset in [UInt64.max, UInt64(Int64.max), UInt64(file.size) + 1] {
            table.chunkOffsets = [offset]
            expectCorrupt("points beyond the end of the file") { try table.validate(file: file) }
        }
        table.chunkOffsets = [UInt64(file.size)]
        try table.validate(file: file)
        var samples = table.makeIterator()
        #expect(samples.next()?.offset == file.size)
        #expect(samples.next()?.offset == file.size + 10)
    }

    /// A chunk of billions of samples of 4 GB each: positions grow without overflow (they
    /// saturate at Int64.max, 2^31 samples on), and the length scan stops at the first sample
    /// the file does not hold instead of walking them all.
    @Test func samplePositionsSaturate() throws {
        let file = try Self.anyFile()
        var table = MP4SampleTable()
        table.timeToSample = [.init(count: UInt32.max, delta: 1)]
        table.sampleToChunk = [.init(firstChunk: 1, samplesPerChunk: UInt32.max)]
        table.uniformSize = UInt32.max
        table.sampleCount = Int64(UInt32.max)
        table.chunkOffsets = [0]
        try table.validate(file: file)
        var samples = table.makeIterator()
        #expect(samples.next()?.offset == 0)
        #expect(samples.next()?.offset == Int64(UInt32.max))
        var movie = MP4Movie()
        movie.isFragmented = false
        var track = MP4Track()
        track.sampleTable = table
        var sequence = MP4SampleSequence(file: file, movie: movie, track: track)
        let scan = try MP4TrackScan(&sequence, presentedEnd: nil, fileSize: file.size)
        #expect(scan.presentedSamples == 0)
        #expect(scan.cutSample?.index == 0)
    }

    /// File-level: an edit whose media time lies beyond the track's media, a zero media
    /// timescale, and an edit far longer than the media (all packets presented, none invented).
    @Test func patchedFilesAreRefusedOrCountedExactly() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.path("aac-edit.m4a"))))
        let elst = try #require(MP4TestBytes.find("elst", in: bytes))
        let mdhd = try #require(MP4TestBytes.find("mdhd", in: bytes))
        func probe(_ edit: (inout [UInt8]) -> Void) throws -> Result<AudioInfo, AudioPrepError> {
            var patched = bytes
            edit(&patched)
            let path = try TestMatroska.write(patched, name: "patched.m4a")
            defer { try? FileManager.default.removeItem(atPath: path) }
            do throws(AudioPrepError) { return .success(try AudioProbe.probe(path: path)) } catch { return .failure(error) }
        }
        let beyond = try probe { MP4TestBytes.putUInt32(0x7FFF_FFFF, into: &$0, at: elst + 16) }
        #expect((try? beyond.get()) == nil)
        if case .failure(let error) = beyond { #expect(error.message.contains("outside the track's media")) }
        // mdhd version 0: type, version/flags, creation, modification, then the timescale.
        let noScale = try probe { MP4TestBytes.putUInt32(0, into: &$0, at: mdhd + 16) }
        if case .failure(let error) = noScale { #expect(error.message.contains("timescale")) } else { Issue.record("accepted") }
        let long = try probe { MP4TestBytes.putUInt32(0xFFFF_FFFF, into: &$0, at: elst + 12) }
        #expect(try long.get().frames == 95 * 1024 - 1024)
    }
}
