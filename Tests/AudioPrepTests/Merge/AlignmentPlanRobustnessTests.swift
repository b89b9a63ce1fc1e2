import Testing
@testable import AudioPrep

/// `AlignmentPlan` on extreme numbers (container start times from damaged files, lengths from a
/// caller's reader): an error naming the track, never an overflow trap.
@Suite struct AlignmentPlanRobustnessTests {
    private func refusal(_ plan: () throws -> AlignmentPlan) -> AudioPrepError? {
        do {
            _ = try plan()
            return nil
        } catch {
            return error as? AudioPrepError
        }
    }

    @Test func startTimesFurtherApartThanInt64AreRefused() {
        let error = refusal {
            try AlignmentPlan(contentFrames: [16000, 16000], mode: .timestamps(.earliestTrack), sampleRate: 16000, startNanoseconds: [Int64.min, Int64.max])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("track 2 starts 9223372036854775807 ns") == true)
    }

    @Test func aStartBeforeTheRoomsZeroAtInt64MinIsRefusedWithItsDistance() {
        let error = refusal {
            try AlignmentPlan(contentFrames: [16000, 16000], mode: .timestamps(.containerZero), sampleRate: 16000, startNanoseconds: [0, Int64.min])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("track 2 starts 9223372036.854776 s before the room timeline's 0") == true)
    }

    @Test func extremeButRepresentableStartsArePlacedExactly() throws {
        // 2^62 ns apart: lead = round(2^62 × 16000 / 10^9) frames, which fits easily.
        let plan = try AlignmentPlan(
            contentFrames: [16000, 16000], mode: .timestamps(.containerZero), sampleRate: 16000, startNanoseconds: [0, Int64(1) << 62])
        #expect(plan.placements[1].lead == 73_786_976_294_838)
        #expect(plan.totalFrames == 73_786_976_294_838 + 16000)
    }

    @Test func aLengthThatOverflowsWithItsLeadIsRefused() {
        let error = refusal {
            try AlignmentPlan(contentFrames: [Int64.max, 16000], mode: .offsets([1, 0]), sampleRate: 16000)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("track 1 would end beyond any representable length") == true)
    }

    @Test func negativeLengthsAndImpossibleRatesAreRefused() {
        #expect(refusal { try AlignmentPlan(contentFrames: [16000, -1], mode: .end, sampleRate: 16000) }?.message
            .contains("track 2 has a negative length") == true)
        #expect(refusal { try AlignmentPlan(contentFrames: [16000, 1], mode: .offsets([86_399, 0]), sampleRate: Int.max) }?.message
            .contains("the output rate 9223372036854775807 Hz is outside") == true)
        #expect(refusal { try AlignmentPlan(contentFrames: [16000, 1], mode: .start, sampleRate: 0) }?.code == .invalidArgument)
    }
}
