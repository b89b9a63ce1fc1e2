import Foundation
import Testing
@testable import AudioPrep

/// Several streams on one channel: summed in float, sample for sample what adding the decoded
/// recordings gives, clamped (never wrapped) and counted.
@Suite struct ChannelMixTests {
    let alice = VideoFixtures.path("room-alice.mka")  // 1.564 s, 3 s at 48 kHz
    let bob = VideoFixtures.path("room-bob.mka")  // 4.2 s, 2.5 s
    let gaps = VideoFixtures.path("opus-gaps.mka")  // 1.564 s, 4.735 s with two gaps

    private func file(_ path: String, participant: String) -> MergeTrack.File {
        MergeTrack.File(path: path, recording: MergeTrack.Recording(sid: "RT" + participant.dropFirst(2), participantSID: participant))
    }

    @Test func twoParticipantsOnOneChannelAreTheSumOfTheirDecodedSamples() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("mix.flac").path
        let mixed = MergeTrack(files: [file(bob, participant: "PA02"), file(gaps, participant: "PA03")])
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: [MergeTrack(path: alice), mixed], output: out, sampleRate: .fixed(48000), encoderThreads: 2)).run()

        // t0 = 1.564 s (Alice and the gaps file); Bob at round(2.636 s × 48000) = 126 528.
        let total = 126_528 + 120_000
        #expect(manifest.output.frames == Int64(total))
        #expect(manifest.channels[1].mixedStreams == 2)
        #expect(manifest.channels[1].leadFrames == 0 && manifest.channels[1].contentFrames == Int64(total))
        #expect(manifest.channels[0].mixedStreams == nil && manifest.channels[0].clippedSamples == nil)
        let left = MixReference.sum([(try MixReference.decoded(alice), 0)], frames: total)
        let right = MixReference.sum([(try MixReference.decoded(bob), 126_528), (try MixReference.decoded(gaps), 0)], frames: total)
        #expect(right[126_528..<227_280].contains { abs($0) > 0.1 })  // both speak there: a real mix
        let expected = MixReference.quantized(left: left, right: right)
        let written = try MergeTestAudio.read16(out)
        #expect(written.channel(0) == expected.left)
        #expect(written.channel(1) == expected.right)
        #expect(manifest.channels[1].clippedSamples == Int64(MixReference.clipped(right)))
    }

    @Test func aSumBeyondFullScaleIsClampedAndCounted() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("loud.flac").path
        // The same recording (peaks at −21 dBFS) as sixteen participants: 24 dB louder, beyond full scale.
        let loud = MergeTrack(files: (10..<26).map { file(alice, participant: "PA\($0)") })
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: [MergeTrack(path: alice), loud], output: out, sampleRate: .fixed(48000), encoderThreads: 2)).run()
        let decoded = try MixReference.decoded(alice)
        let sum = MixReference.sum(Array(repeating: (decoded, 0), count: 16), frames: decoded.count)
        let clipped = MixReference.clipped(sum)
        #expect(clipped > 1000)
        #expect(manifest.channels[1].mixedStreams == 16)
        #expect(manifest.channels[1].clippedSamples == Int64(clipped))
        let right = try MergeTestAudio.read16(out).channel(1)
        #expect(right == MixReference.quantized(left: decoded, right: sum).right)
        // Clamped, not wrapped: every clipped sample sits at the rail of its sign.
        for (index, value) in sum.enumerated() where value * 32768 > 32767 { #expect(right[index] == 32767) }
        for (index, value) in sum.enumerated() where value * 32768 < -32768 { #expect(right[index] == -32768) }
    }

    @Test func overlappingRecordingsOfOneParticipantAreMixedNotRefused() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("overlap.flac").path
        // Alice 1.564–4.564 s and Bob 4.2–6.7 s as one participant's recordings: 0.364 s overlap.
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: [MergeTrack(files: [.init(path: alice), .init(path: bob)]), MergeTrack(path: bob)], output: out,
            sampleRate: .fixed(48000), encoderThreads: 2)).run()
        #expect(manifest.channels[0].mixedStreams == 2)
        #expect(manifest.channels.map(\.contentFrames) == [246_528, 120_000])
        let left = MixReference.sum([(try MixReference.decoded(alice), 0), (try MixReference.decoded(bob), 126_528)], frames: 246_528)
        let right = MixReference.sum([(try MixReference.decoded(bob), 126_528)], frames: 246_528)
        let written = try MergeTestAudio.read16(out)
        #expect(written.channel(0) == MixReference.quantized(left: left, right: right).left)
    }

    @Test func recordingsThatFollowEachOtherStayOneStream() throws {
        // Alice then Bob 2.5 s later than his own start (no overlap): one stream, as before mixing.
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: [MergeTrack(files: [.init(path: alice), .init(path: bob, offsetNanoseconds: 1_000_000_000)]), MergeTrack(path: bob)],
            output: dir.appendingPathComponent("seq.flac").path, sampleRate: .fixed(48000), encoderThreads: 2)).run()
        #expect(manifest.channels[0].mixedStreams == nil)
        #expect(manifest.channels[0].contentFrames == 294_528)
    }

    @Test func streamsAreGroupedByParticipantThenByOverlap() throws {
        func part(_ path: String, offset: Int64 = 0) throws -> TimelineSequenceSource.Part {
            .init(source: try MatroskaAudioSource(path: path), offsetNanoseconds: offset, label: path)
        }
        let parts = [try part(alice), try part(bob), try part(gaps), try part(bob, offset: 3_000_000_000)]
        // One participant, by start: Alice; gaps starts with her (new stream); Bob overlaps both
        // (third); Bob at 7.2 s follows Alice in the first stream.
        #expect(ChannelStreams.group(parts, participants: [nil, nil, nil, nil]) == [[0, 3], [2], [1]])
        // Per participant: A = Alice and Bob+3 s (in sequence), B = Bob, C = gaps.
        #expect(ChannelStreams.group(parts, participants: ["A", "B", "C", "A"]) == [[0, 3], [1], [2]])
        #expect(ChannelStreams.group(parts, participants: ["A", "A", "B", "B"]) == [[0], [1], [2, 3]])
    }
}
