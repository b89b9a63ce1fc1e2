import Foundation
import Testing
@testable import AudioPrep

/// Synthetic Matroska files exercising what ffmpeg's muxer does not write: every lacing mode,
/// unknown-size Segment and Clusters (live muxers), BlockGroups with DiscardPadding, blocks of
/// other tracks interleaved, overlapping timestamps.
@Suite struct MatroskaStructureTests {
    typealias M = TestMatroska

    /// G.711 μ-law payloads; every size is a multiple of 8 samples = 1 ms at 8 kHz.
    let a = [M.bytes(80, seed: 1), M.bytes(320, seed: 2), M.bytes(16, seed: 3)]  // Xiph-laced, 52 ms
    let b = [M.bytes(96, seed: 4), M.bytes(88, seed: 5), M.bytes(256, seed: 6), M.bytes(8, seed: 7)]  // EBML-laced, 56 ms
    let c = [M.bytes(48, seed: 8), M.bytes(48, seed: 9), M.bytes(48, seed: 10), M.bytes(48, seed: 11)]  // fixed, 24 ms
    let d = M.bytes(160, seed: 12)  // BlockGroup, 20 ms, 5 ms DiscardPadding
    let e = M.bytes(80, seed: 13)  // after an 853 ms gap
    let f = M.bytes(80, seed: 14)  // starts 5 ms before e ends

    func liveFile() -> [UInt8] {
        let tracks = M.tracks(
            M.trackEntry(number: 2, type: 1, codec: "V_VP8")
                + M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat()))
        let cluster1 = M.cluster(
            timestamp: 1000,
            M.simpleBlock(track: 1, relative: 0, lacing: .xiph, frames: a)
                + M.simpleBlock(track: 2, relative: 10, frames: [M.bytes(500, seed: 99)])
                + M.simpleBlock(track: 1, relative: 52, lacing: .ebml, frames: b)
                + M.element(0xEC, [0, 0, 0])  // Void
                + M.simpleBlock(track: 1, relative: 108, lacing: .fixed, frames: c)
                + M.blockGroup(track: 1, relative: 132, frames: [d], discardPaddingNanoseconds: 5_000_000),
            unknownSize: true)
        let cluster2 = M.cluster(
            timestamp: 2000,
            M.simpleBlock(track: 1, relative: 0, frames: [e]) + M.simpleBlock(track: 1, relative: 5, frames: [f]))
        let cues = M.element(0x1C53_BB6B, [0xBB, 0x80])
        return M.ebmlHeader() + M.segment(M.info() + tracks + cluster1 + cluster2 + cues, unknownSize: true)
    }

    func mu(_ bytes: [UInt8]) -> [Float] { bytes.map { Float(G711Decoder.muLawToLinear($0)) / 32768 } }

    @Test func lacingUnknownSizesDiscardPaddingAndOverlapsAreTimestampTrue() throws {
        let path = try M.write(liveFile())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try MatroskaProbe.inspect(path: path)
        #expect(report.allTracks.count == 2)
        #expect(report.track.number == 1)
        #expect(report.info.codec == "pcm_mulaw")
        // 1000 ms … 2015 ms at 8 kHz.
        #expect(report.info.frames == 8120)
        #expect(report.timeline.startTimeNanoseconds == 1_000_000_000)
        #expect(report.timeline.blocks == 6)
        #expect(report.timeline.gaps == 1)
        #expect(report.timeline.gapFrames == 6824)
        #expect(report.timeline.overlapFramesDropped == 40)

        let source = try MatroskaAudioSource(path: path)
        let decoded = try VideoFixtures.readAll(source, blockFrames: 100)
        let expected = mu(a.flatMap { $0 }) + mu(b.flatMap { $0 }) + mu(c.flatMap { $0 })
            + mu(Array(d[0..<120])) + [Float](repeating: 0, count: 6824) + mu(e) + mu(Array(f[40...]))
        #expect(decoded.count == 8120)
        #expect(decoded == expected)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func syntheticFileDecodesLikeFFmpegWhereFFmpegAgrees() throws {
        // Without gaps or overlaps, ffmpeg's decoding of the laced blocks is the reference.
        let tracks = M.tracks(M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat()))
        let file = M.ebmlHeader() + M.segment(
            M.info() + tracks
                + M.cluster(timestamp: 0, M.simpleBlock(track: 1, relative: 0, lacing: .xiph, frames: a)
                    + M.simpleBlock(track: 1, relative: 52, lacing: .ebml, frames: b)
                    + M.simpleBlock(track: 1, relative: 108, lacing: .fixed, frames: c)))
        let path = try M.write(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ours = try VideoFixtures.readAll(try MatroskaAudioSource(path: path))
        let reference = VideoFixtures.int16s(try VideoFixtures.ffmpegDecode(path, format: "s16le", libopus: false))
        #expect(ours.count == 1056)
        #expect(ours == reference.map { Float($0) / 32768 })
    }

    @Test func lacedOpusDecodesLikeUnlacedOpus() throws {
        // Take the first 20 Opus packets of a fixture and write them once unlaced and once
        // Xiph- and EBML-laced (10 packets per block): the decoded audio must be identical.
        let fixture = VideoFixtures.path("opus-gaps.mka")
        let file = try ContainerByteReader(path: fixture)
        let layout = try MatroskaLayoutParser(file: file).parse()
        let track = layout.tracks[0]
        var reader = MatroskaBlockReader(file: file, layout: layout, trackNumber: track.number)
        var packets: [[UInt8]] = []
        while packets.count < 20, let block = try reader.next() { packets += block.frames }
        let entry = M.trackEntry(number: 1, type: 2, codec: "A_OPUS", codecPrivate: track.codecPrivate, codecDelay: 6_500_000, rate: 48000)
        func opusFile(_ blocks: [UInt8]) -> [UInt8] {
            M.ebmlHeader(docType: "webm") + M.segment(M.info() + M.tracks(entry) + M.cluster(timestamp: 7, blocks))
        }
        var unlaced: [UInt8] = []
        for (i, packet) in packets.enumerated() { unlaced += M.simpleBlock(track: 1, relative: Int16(i * 20), frames: [packet]) }
        let laced = M.simpleBlock(track: 1, relative: 0, lacing: .xiph, frames: Array(packets[0..<10]))
            + M.simpleBlock(track: 1, relative: 200, lacing: .ebml, frames: Array(packets[10..<20]))
        let unlacedPath = try M.write(opusFile(unlaced))
        let lacedPath = try M.write(opusFile(laced))
        defer {
            try? FileManager.default.removeItem(atPath: unlacedPath)
            try? FileManager.default.removeItem(atPath: lacedPath)
        }
        let one = try VideoFixtures.readAll(try MatroskaAudioSource(path: unlacedPath))
        let two = try VideoFixtures.readAll(try MatroskaAudioSource(path: lacedPath))
        #expect(one.count == 20 * 960 - 312)
        #expect(one == two)
        #expect(try MatroskaProbe.inspect(path: lacedPath).info.container == .webm)
    }

    @Test func aLawAndTrackSelection() throws {
        let tracks = M.tracks(
            M.trackEntry(number: 1, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat(tag: 7))
                + M.trackEntry(number: 3, type: 2, codec: "A_MS/ACM", codecPrivate: M.waveFormat(tag: 6)))
        let payload = M.bytes(64, seed: 5)
        let file = M.ebmlHeader() + M.segment(M.info() + tracks + M.cluster(timestamp: 0, M.simpleBlock(track: 3, relative: 0, frames: [payload])))
        let path = try M.write(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try MatroskaAudioSource(path: path, trackNumber: 3)
        let decoded = try VideoFixtures.readAll(source)
        #expect(decoded == payload.map { Float(G711Decoder.aLawToLinear($0)) / 32768 })
        // A track number the file does not have is a clear error.
        #expect(throws: AudioPrepError.self) { try MatroskaAudioSource(path: path, trackNumber: 9) }
    }
}
