import AudioPrep
import Testing

/// `TrackTimeline`'s conversions between container time and frames, against 128-bit
/// arithmetic: exact for every Int64 time at rates inside `AudioLimits`, and never a trap.
@Suite struct TimestampedPCMSourceTests {
    /// round(ns × rate / 10⁹), halves away from zero, in 128 bits; nil when beyond Int64.
    private func framesReference(_ nanoseconds: Int64, _ rate: Int) -> Int64? {
        let product = Int128(nanoseconds) * Int128(rate)
        let half: Int128 = 500_000_000
        let rounded = product >= 0 ? (product + half) / 1_000_000_000 : (product - half) / 1_000_000_000
        return Int64(exactly: rounded)
    }

    /// round(frames × 10⁹ / rate), halves away from zero, in 128 bits; nil when beyond Int64.
    private func nanosecondsReference(_ frames: Int64, _ rate: Int) -> Int64? {
        let product = Int128(frames) * 1_000_000_000
        let r = Int128(rate)
        let rounded = product >= 0 ? (2 * product + r) / (2 * r) : (2 * product - r) / (2 * r)
        return Int64(exactly: rounded)
    }

    @Test func ordinaryTimesConvertAsBefore() {
        #expect(TrackTimeline.frames(nanoseconds: 1_564_000_000, rate: 48000) == 75_072)
        #expect(TrackTimeline.frames(nanoseconds: 2_636_000_000, rate: 16000) == 42_176)
        #expect(TrackTimeline.frames(nanoseconds: 10_416, rate: 48000) == 0)  // 0.49992 frames
        #expect(TrackTimeline.frames(nanoseconds: 10_417, rate: 48000) == 1)  // 0.50002 frames
        #expect(TrackTimeline.frames(nanoseconds: -10_417, rate: 48000) == -1)
        #expect(TrackTimeline.nanoseconds(frames: 48000, rate: 48000) == 1_000_000_000)
        #expect(TrackTimeline.nanoseconds(frames: 1, rate: 3) == 333_333_333)
        #expect(TrackTimeline.nanoseconds(frames: 2, rate: 3) == 666_666_667)
    }

    @Test(arguments: [Int64.max, Int64.min, Int64.max - 499_999_999, Int64.min + 1, 0, -1])
    func extremeTimesAreExactAtEveryRateInsideTheLimits(nanoseconds: Int64) {
        for rate in [1, 8000, 44100, 48000, 655_350, 1 << 20] {
            #expect(TrackTimeline.frames(nanoseconds: nanoseconds, rate: rate) == framesReference(nanoseconds, rate), "rate \(rate)")
        }
    }

    @Test func resultsBeyondInt64SaturateInsteadOfTrapping() {
        #expect(TrackTimeline.frames(nanoseconds: Int64.max, rate: Int.max) == Int64.max)
        #expect(TrackTimeline.frames(nanoseconds: Int64.min, rate: Int.max) == Int64.min)
        #expect(TrackTimeline.frames(nanoseconds: 1_000_000_000, rate: 0) == 0)
        #expect(TrackTimeline.frames(nanoseconds: 1_000_000_000, rate: -48000) == 0)
        #expect(TrackTimeline.nanoseconds(frames: Int64.max, rate: 1) == Int64.max)
        #expect(TrackTimeline.nanoseconds(frames: Int64.min, rate: 1) == Int64.min)
        #expect(TrackTimeline.nanoseconds(frames: 48000, rate: 0) == 0)
        #expect(TrackTimeline.nanoseconds(frames: Int64.max, rate: 48000) == nanosecondsReference(Int64.max, 48000) ?? Int64.max)
    }

    @Test func randomValuesMatch128BitArithmetic() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let time = Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            let frames = Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            let rate = Int.random(in: 1...(1 << 20), using: &generator)
            #expect(TrackTimeline.frames(nanoseconds: time, rate: rate) == framesReference(time, rate), "time \(time), rate \(rate)")
            let expected = nanosecondsReference(frames, rate) ?? (frames < 0 ? Int64.min : Int64.max)
            #expect(TrackTimeline.nanoseconds(frames: frames, rate: rate) == expected, "frames \(frames), rate \(rate)")
        }
    }
}
