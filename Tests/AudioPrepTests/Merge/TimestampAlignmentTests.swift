import Foundation
import Testing
@testable import AudioPrep

/// Merging Matroska track recordings at their container times (`--align timestamps`).
///
/// room-alice.mka: 3 s of 440 Hz from 1.564 s (144 000 frames at 48 kHz);
/// room-bob.mka: 2.5 s of 660 Hz from 4.2 s (120 000 frames), both on the room clock.
@Suite struct TimestampAlignmentTests {
    private let alice = VideoFixtures.path("room-alice.mka")
    private let bob = VideoFixtures.path("room-bob.mka")

    private func folder() throws -> URL { try TestFiles.temporaryDirectory() }

    /// The decoded file as 16-bit values (the merge's quantizer scale), for comparisons.
    private func decoded16(_ path: String) throws -> [Int] {
        try VideoFixtures.readAll(try MatroskaAudioSource(path: path)).map { Int(($0 * 32767).rounded()) }
    }

    /// Every sample of `actual[offset...]` is within `tolerance` LSB of `expected` (dither).
    private func matches(_ actual: [Int16], at offset: Int, _ expected: [Int], tolerance: Int = 2) -> Bool {
        guard offset + expected.count <= actual.count else { return false }
        for (i, value) in expected.enumerated() where abs(Int(actual[offset + i]) - value) > tolerance { return false }
        return true
    }

    @Test func roomTracksLandAtTheirTimesAt48kHz() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("room.flac").path
        // Default alignment: every input is timestamped, so `automatic` becomes `timestamps`.
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [alice, bob], output: out, sampleRate: .fixed(48000), encoderThreads: 2)).run()
        #expect(manifest.alignment == "timestamps")
        #expect(manifest.timelineOriginNanoseconds == 1_564_000_000)
        // Bob's lead: round((4.2 − 1.564) × 48 000) = 126 528; length (6.7 − 1.564) × 48 000 = 246 528.
        #expect(manifest.channels.map(\.leadFrames) == [0, 126_528])
        #expect(manifest.channels.map(\.startTimeNanoseconds) == [1_564_000_000, 4_200_000_000])
        #expect(manifest.inputs.map(\.startTimeNanoseconds) == [1_564_000_000, 4_200_000_000])
        #expect(manifest.output.frames == 246_528)
        let audio = try MergeTestAudio.read16(out)
        #expect(audio.frames == 246_528)
        let left = audio.channel(0), right = audio.channel(1)
        #expect(matches(left, at: 0, try decoded16(alice)))
        #expect(left[144_000...].allSatisfy { $0 == 0 })
        #expect(right[0..<126_528].allSatisfy { $0 == 0 })
        let bobSamples = try decoded16(bob)
        #expect(matches(right, at: 126_528, bobSamples))
        // The first clearly audible sample is where Bob's own first audible sample is, shifted by the lead.
        let firstOut = right.firstIndex { abs(Int($0)) > 300 }
        let firstBob = bobSamples.firstIndex { abs($0) > 300 }
        #expect(firstOut != nil && firstBob != nil)
        if let firstOut, let firstBob { #expect(abs(firstOut - (126_528 + firstBob)) <= 1) }
    }

    @Test func roomTracksLandAtTheirTimesAt16kHz() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("room16.flac").path
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [alice, bob], output: out, alignment: .timestamps(.earliestTrack), encoderThreads: 2)).run()
        // round(2.636 × 16 000) = 42 176; Bob's 2.5 s are 40 000 frames: total 82 176.
        #expect(manifest.channels.map(\.leadFrames) == [0, 42_176])
        #expect(manifest.channels.map(\.contentFrames) == [48_000, 40_000])
        #expect(manifest.output.frames == 82_176)
        let audio = try MergeTestAudio.read16(out)
        #expect(audio.frames == 82_176)
        let right = audio.channel(1)
        #expect(right[0..<42_176].allSatisfy { $0 == 0 })
        // Bob's decoded leading silence at 48 kHz, in 16 kHz frames, plus the resampler's filter ramp.
        let bobLead = (try decoded16(bob).firstIndex { abs($0) > 300 } ?? 0) / 3
        let first = right.firstIndex { abs(Int($0)) > 300 } ?? -1
        #expect(first >= 42_176 + bobLead - 8 && first <= 42_176 + bobLead + 8, "first audible frame \(first)")
        #expect(audio.channel(0)[48_000...].allSatisfy { $0 == 0 })
    }

    @Test func roomTimelineKeepsTheRoomStartAsZero() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [alice, bob], output: dir.appendingPathComponent("r.flac").path,
            alignment: .timestamps(.containerZero), encoderThreads: 2)).run()
        // 1.564 s and 4.2 s at 16 kHz: 25 024 and 67 200; end 67 200 + 40 000.
        #expect(manifest.timelineOriginNanoseconds == 0)
        #expect(manifest.channels.map(\.leadFrames) == [25_024, 67_200])
        #expect(manifest.output.frames == 107_200)
    }

    @Test func aParticipantWithTwoRecordingsHasEachAtItsTime() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("two.flac").path
        // Channel 1: Alice 1.564–4.564 s, then (Bob's file moved 1 s later) 5.2–7.7 s.
        let first = MergeTrack(files: [.init(path: bob, offsetNanoseconds: 1_000_000_000), .init(path: alice)])
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: [first, MergeTrack(path: bob)], output: out, sampleRate: .fixed(48000), encoderThreads: 2)).run()
        #expect(manifest.channels.map(\.leadFrames) == [0, 126_528])
        #expect(manifest.channels.map(\.contentFrames) == [294_528, 120_000])
        #expect(manifest.output.frames == 294_528)
        #expect(manifest.inputs.map(\.channel) == [1, 1, 2])
        #expect(manifest.inputs.map(\.offsetNanoseconds) == [1_000_000_000, nil, nil])
        #expect(manifest.inputs.map(\.startTimeNanoseconds) == [5_200_000_000, 1_564_000_000, 4_200_000_000])
        let left = try MergeTestAudio.read16(out).channel(0)
        #expect(matches(left, at: 0, try decoded16(alice)))
        // The gap 4.564–5.2 s (30 528 frames) is silence; Bob's file lands at 5.2 s.
        #expect(left[144_000..<174_528].allSatisfy { $0 == 0 })
        #expect(matches(left, at: 174_528, try decoded16(bob)))
    }

    @Test func timestampsNeedTimestampedInputsAndAutomaticFallsBackToStart() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wav = dir.appendingPathComponent("agent.wav").path
        try MergeTestAudio.writeWAV16(wav, rate: 16000, channels: 1, samples: MergeTestAudio.speechLike(frames: 48_000, rate: 16000, seed: 3))
        #expect {
            _ = try Merger(configuration: MergeConfiguration(
                inputs: [wav, bob], output: dir.appendingPathComponent("a.flac").path, alignment: .timestamps(.earliestTrack))).run()
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .invalidArgument && error.message.contains("track 1 has none")
        }
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [wav, bob], output: dir.appendingPathComponent("b.flac").path)).run()
        #expect(manifest.alignment == "start")
        #expect(manifest.channels.map(\.leadFrames) == [0, 0])
        #expect(manifest.channels.map(\.startTimeNanoseconds) == [nil, 4_200_000_000])
        // Several files on one channel need timestamps too.
        #expect(throws: AudioPrepError.self) {
            _ = try Merger(configuration: MergeConfiguration(
                tracks: [MergeTrack(files: [.init(path: wav), .init(path: alice)]), MergeTrack(path: bob)],
                output: dir.appendingPathComponent("c.flac").path)).run()
        }
    }
}
