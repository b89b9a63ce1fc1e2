import Foundation
import Testing
@testable import TwilioIntelligence

/// Sentence times arrive as text from the server: "1e300", "inf", "nan" or a negative time
/// render as clamped clock times instead of trapping in a conversion to Int.
@Suite("Sentence times the server should never send")
struct SentenceFormatterRobustnessTests {
    let formatter = SentenceFormatter(speakerNames: [1: "Alice"])

    @Test("huge, infinite, NaN and negative times are clamped")
    func clampedTimes() {
        let sentences = ["1e300", "inf", "-inf", "nan", "-5", "1e12"].map {
            Sentence(mediaChannel: 1, sentenceIndex: 0, startTime: $0, endTime: $0, transcript: "x")
        }
        let lines = formatter.render(sentences, as: .conversation).split(separator: "\n").map(String.init)
        // 10^12 s = 277 777 777 h 46 min 40 s.
        #expect(lines == [
            "[277777777:46:40] Alice: x", "[277777777:46:40] Alice: x", "[00:00:00] Alice: x",
            "[00:00:00] Alice: x", "[00:00:00] Alice: x", "[277777777:46:40] Alice: x",
        ])
        let srt = formatter.render([sentences[0]], as: .srt)
        #expect(srt.contains("277777777:46:40,000 --> 277777777:46:40,000"))
    }
}

/// A server's Retry-After can be any number or date: beyond a billion seconds the policy sees a
/// billion seconds (and declines to wait) instead of the conversion trapping.
@Suite("Retry-After the server should never send")
struct RetryAfterRobustnessTests {
    @Test("huge delays saturate and the policy gives up")
    func hugeRetryAfter() throws {
        let seconds = try #require(RetryAfter.seconds("1e300"))
        let wait = Duration.secondsDouble(seconds)
        #expect(wait == .seconds(1_000_000_000))
        #expect(Duration.secondsDouble(.infinity) == .seconds(1_000_000_000))
        #expect(Duration.secondsDouble(.nan) == .seconds(1_000_000_000))
        #expect(Duration.secondsDouble(2.5) == .milliseconds(2500))
        let far = try #require(RetryAfter.seconds("Fri, 31 Dec 9999 23:59:59 GMT", now: Date(timeIntervalSince1970: 0)))
        #expect(Duration.secondsDouble(far) == .seconds(1_000_000_000))
        #expect(RetryPolicy().delay(beforeRetry: 1, retryAfter: wait, elapsed: .zero, unit: 0.5) == nil)
    }
}
