import Testing
@testable import AudioPrep

/// `TimelineSequenceSource` on start times and lengths no real recording has (a flipped byte in
/// a timestamp, a reader that mis-counted): a refusal naming the recording, never a trap.
@Suite struct TimelineSequenceSourceRobustnessTests {
    private func refusal(_ parts: [TimelineSequenceSource.Part]) -> AudioPrepError? {
        do {
            _ = try TimelineSequenceSource(parts: parts)
            return nil
        } catch {
            return error
        }
    }

    @Test func startsFurtherApartThanInt64AreRefused() {
        let error = refusal([
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100, startTimeNanoseconds: Int64.min), label: "a1.mka"),
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100, startTimeNanoseconds: Int64.max), label: "a2.mka"),
        ])
        #expect(error?.code == .corruptFile)
        #expect(error?.path == "a2.mka")
        #expect(error?.message.contains("its start time lies too far from the other recordings'") == true)
    }

    @Test func anOffsetThatOverflowsTheStartIsRefused() {
        let error = refusal([
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100), label: "a1.mka"),
            .init(
                source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100, startTimeNanoseconds: Int64.max - 10),
                offsetNanoseconds: 11, label: "a2.mka"),
        ])
        #expect(error?.code == .invalidArgument)
        #expect(error?.path == "a2.mka")
    }

    @Test func aPartWithAnAbsurdLengthIsRefused() {
        let error = refusal([
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100), label: "a1.mka"),
            .init(source: ScriptedPCMSource(announcedFrames: Int64.max, deliveredFrames: 100, startTimeNanoseconds: 1_000_000_000), label: "a2.mka"),
        ])
        #expect(error?.code == .corruptFile)
        #expect(error?.message.contains("the length is 9223372036854775807 frames") == true)
    }

    @Test func farApartButRepresentableStartsLeaveAnExactGap() throws {
        // 2^50 ns (≈ 13 days) apart at 16 kHz: the second part starts at frame 18 014 398 509.
        let sequence = try TimelineSequenceSource(parts: [
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100), label: "a1.mka"),
            .init(source: ScriptedPCMSource(announcedFrames: 100, deliveredFrames: 100, startTimeNanoseconds: Int64(1) << 50), label: "a2.mka"),
        ])
        let secondStart: Int64 = 18_014_398_509
        #expect(sequence.frameCount == Optional(secondStart + 100))
        #expect(sequence.timeline.gapFrames == secondStart - 100)
    }
}
