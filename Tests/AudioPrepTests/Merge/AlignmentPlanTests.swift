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
