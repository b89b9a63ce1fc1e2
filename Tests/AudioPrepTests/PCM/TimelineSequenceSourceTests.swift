import Testing
@testable import AudioPrep

/// Several recordings of one participant (reconnects) on one timeline.
@Suite struct TimelineSequenceSourceTests {
    func open(_ name: String) throws -> MatroskaAudioSource {
        try MatroskaAudioSource(path: VideoFixtures.path(name))
    }

    @Test func recordingsAreLaidAtTheirTimesWithSilenceBetween() throws {
        // Alice: 1.564 s … 4.564 s. Bob's file stands in for Alice's second recording, moved
        // 1 s later by an offset: 5.2 s … 7.7 s. Given in reverse order on purpose.
        let sequence = try TimelineSequenceSource(parts: [
            .init(source: try open("room-bob.mka"), offsetNanoseconds: 1_000_000_000, label: "second.mka"),
            .init(source: try open("room-alice.mka"), label: "first.mka"),
        ])
        #expect(sequence.startTimeNanoseconds == 1_564_000_000)
        // 7.7 − 1.564 = 6.136 s = 294 528 frames; the gap is 5.2 − 4.564 = 0.636 s = 30 528 frames.
        #expect(sequence.frameCount == 294_528)
        #expect(sequence.timeline.gaps == 1)
        #expect(sequence.timeline.gapFrames == 30_528)
        let all = try VideoFixtures.readAll(sequence, blockFrames: 1234)
        let alice = try VideoFixtures.readAll(try open("room-alice.mka"))
        let bob = try VideoFixtures.readAll(try open("room-bob.mka"))
        #expect(all.count == 294_528)
        guard all.count == 294_528 else { return }
        #expect(Array(all[0..<144_000]) == alice)
        #expect(all[144_000..<174_528].allSatisfy { $0 == 0 })
        #expect(Array(all[174_528...]) == bob)
    }

    @Test func overlappingRecordingsAreAnError() throws {
        // Bob's recording at 4.2 s starts before Alice's ends at 4.564 s.
        #expect {
            _ = try TimelineSequenceSource(parts: [
                .init(source: try open("room-alice.mka"), label: "a1.mka"),
                .init(source: try open("room-bob.mka"), label: "a2.mka"),
            ])
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .invalidArgument && error.path == "a2.mka" && error.message.contains("must not overlap")
        }
    }

    @Test func anOverlapWithinOneTickIsTrimmed() throws {
        // Bob moved to start 0.5 ms before Alice ends (4.5635 s): rounding, not overlap.
        let offset: Int64 = 4_563_500_000 - 4_200_000_000
        let sequence = try TimelineSequenceSource(parts: [
            .init(source: try open("room-alice.mka"), label: "a1.mka"),
            .init(source: try open("room-bob.mka"), offsetNanoseconds: offset, label: "a2.mka"),
        ])
        // Bob starts at frame round(2.9995 s × 48 000) = 143 976: 24 frames overlap and are dropped.
        #expect(sequence.timeline.overlapFramesDropped == 24)
        #expect(sequence.frameCount == 263_976)  // 143 976 + 120 000
        let all = try VideoFixtures.readAll(sequence)
        let bob = try VideoFixtures.readAll(try open("room-bob.mka"))
        #expect(all.count == 263_976)
        #expect(Array(all[144_000...]) == Array(bob[24...]))
    }

    @Test func formatsMustMatch() throws {
        #expect(throws: AudioPrepError.self) {
            _ = try TimelineSequenceSource(parts: [
                .init(source: try open("room-alice.mka"), label: "opus.mka"),
                .init(source: try open("pcmu-gaps.mka"), offsetNanoseconds: 10_000_000_000, label: "pcmu.mka"),
            ])
        }
        #expect(throws: AudioPrepError.self) { _ = try TimelineSequenceSource(parts: []) }
    }
}
