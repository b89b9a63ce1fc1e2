import AudioPrep
import Testing

@Suite struct AlignmentPlanTests {
    @Test func startPadsTheShorterAtTheEnd() throws {
        let plan = try AlignmentPlan(contentFrames: [1000, 700], mode: .start, sampleRate: 16000)
        #expect(plan.totalFrames == 1000)
        #expect(plan.placements[0] == .init(lead: 0, content: 1000, tail: 0))
        #expect(plan.placements[1] == .init(lead: 0, content: 700, tail: 300))
    }

    @Test func endDelaysTheShorter() throws {
        let plan = try AlignmentPlan(contentFrames: [700, 1000], mode: .end, sampleRate: 16000)
        #expect(plan.totalFrames == 1000)
        #expect(plan.placements[0] == .init(lead: 300, content: 700, tail: 0))
        #expect(plan.placements[1] == .init(lead: 0, content: 1000, tail: 0))
    }

    @Test func offsetsAreRoundedOnceAndNobodyIsCut() throws {
        // 0.5 s and 1.00003 s at 16 kHz: 8000 and 16000.48 → 16000 frames.
        let plan = try AlignmentPlan(contentFrames: [40000, 20000], mode: .offsets([0.5, 1.00003]), sampleRate: 16000)
        #expect(plan.placements[0] == .init(lead: 8000, content: 40000, tail: 0))
        #expect(plan.placements[1] == .init(lead: 16000, content: 20000, tail: 12000))
        #expect(plan.totalFrames == 48000)
        // A late-joining short track sets the end.
        let late = try AlignmentPlan(contentFrames: [1000, 1000], mode: .offsets([0, 2]), sampleRate: 8000)
        #expect(late.totalFrames == 17000)
        #expect(late.placements[0].tail == 16000)
    }

    @Test func badOffsetsAreRefused() {
        #expect(throws: AudioPrepError.self) { try AlignmentPlan(contentFrames: [1, 1], mode: .offsets([-1, 0]), sampleRate: 8000) }
        #expect(throws: AudioPrepError.self) { try AlignmentPlan(contentFrames: [1, 1], mode: .offsets([.nan, 0]), sampleRate: 8000) }
        #expect(throws: AudioPrepError.self) { try AlignmentPlan(contentFrames: [1, 1], mode: .offsets([0]), sampleRate: 8000) }
    }
}

@Suite struct TimestampAlignmentPlanTests {
    @Test func leadsAreRoundedOnceFromTheEarliestStart() throws {
        // 1.564 s and 4.2 s at 16 kHz: lead 2.636 s = 42 176 frames.
        let plan = try AlignmentPlan(
            contentFrames: [48_000, 40_000], mode: .timestamps(.earliestTrack), sampleRate: 16000,
            startNanoseconds: [1_564_000_000, 4_200_000_000])
        #expect(plan.placements.map(\.lead) == [0, 42_176])
        #expect(plan.totalFrames == 82_176)
        #expect(plan.originNanoseconds == 1_564_000_000)
        #expect(plan.resolvedMode == "timestamps")
        // 1 ms at 8 kHz is 8 frames; 1.0626 ms rounds to 9 (8.5008), once.
        let fine = try AlignmentPlan(
            contentFrames: [10, 10], mode: .timestamps(.earliestTrack), sampleRate: 8000, startNanoseconds: [0, 1_062_600])
        #expect(fine.placements.map(\.lead) == [0, 9])
    }

    @Test func roomOriginAndAutomatic() throws {
        let room = try AlignmentPlan(
            contentFrames: [100, 100], mode: .timestamps(.containerZero), sampleRate: 1000, startNanoseconds: [500_000_000, 250_000_000])
        #expect(room.placements.map(\.lead) == [500, 250])
        #expect(room.totalFrames == 600)
        let auto = try AlignmentPlan(contentFrames: [100, 50], mode: .automatic, sampleRate: 1000, startNanoseconds: [0, 20_000_000])
        #expect(auto.resolvedMode == "timestamps")
        #expect(auto.placements.map(\.lead) == [0, 20])
        let mixed = try AlignmentPlan(contentFrames: [100, 50], mode: .automatic, sampleRate: 1000, startNanoseconds: [nil, 20_000_000])
        #expect(mixed.resolvedMode == "start")
        #expect(mixed.placements.map(\.lead) == [0, 0])
        #expect(throws: AudioPrepError.self) {
            try AlignmentPlan(contentFrames: [1, 1], mode: .timestamps(.earliestTrack), sampleRate: 1000, startNanoseconds: [nil, 0])
        }
        #expect(throws: AudioPrepError.self) {
            try AlignmentPlan(contentFrames: [1, 1], mode: .timestamps(.containerZero), sampleRate: 1000, startNanoseconds: [-5_000_000, 0])
        }
    }
}
