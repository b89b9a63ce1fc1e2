import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Backoff: full jitter, Retry-After, bounds")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(4),
                             maxTotalTime: .seconds(30), maxRetryAfter: .seconds(10))

    @Test("the jitter ceiling doubles per retry and is capped at maxDelay")
    func ceilingDoubles() {
        let almostOne = 0.999_999
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, elapsed: .zero, unit: almostOne)! <= .milliseconds(500))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, elapsed: .zero, unit: almostOne)! > .milliseconds(499))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, elapsed: .zero, unit: almostOne)! > .milliseconds(999))
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, elapsed: .zero, unit: almostOne)! > .milliseconds(1999))
        #expect(policy.delay(beforeRetry: 4, retryAfter: nil, elapsed: .zero, unit: almostOne)! <= .seconds(4))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, elapsed: .zero, unit: 0) == .zero)
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, elapsed: .zero, unit: 0.5) == .milliseconds(500))
    }

    @Test("Retry-After is a floor; above maxRetryAfter the policy gives up")
    func retryAfterHonoured() {
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(7), elapsed: .zero, unit: 0.9) == .seconds(7))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(11), elapsed: .zero, unit: 0.9) == nil)
    }

    @Test("attempts and total time bound the retries")
    func bounds() {
        #expect(policy.delay(beforeRetry: 5, retryAfter: nil, elapsed: .zero, unit: 0.5) == nil)
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(5), elapsed: .seconds(26), unit: 0.5) == nil)
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(5), elapsed: .seconds(25), unit: 0.5) == .seconds(5))
        #expect(RetryPolicy.none.delay(beforeRetry: 1, retryAfter: nil, elapsed: .zero, unit: 0.5) == nil)
    }

    @Test("Retry-After parses seconds and HTTP dates")
    func parseRetryAfter() {
        #expect(RetryAfter.seconds("3") == 3)
        #expect(RetryAfter.seconds("  0.5 ") == 0.5)
        #expect(RetryAfter.seconds("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_714_571_130)
        #expect(RetryAfter.seconds("Wed, 01 May 2024 13:45:40 GMT", now: now) == 10)
    }

    @Test("a GET answered 503 twice succeeds on the third attempt")
    func getRetried() async throws {
        try await TestClient.withServer { server, client in
            let sid = try await client.createTranscript(TestClient.referenceRequest()).sid
            server.state.inject(.errorBeforeActing(status: 503), method: "GET", path: "/v2/Transcripts/\(sid)", times: 2)
            let fetched = try await client.transcript(sid)
            #expect(fetched.sid == sid)
            #expect(server.state.requests.filter { $0.path == "/v2/Transcripts/\(sid)" }.count == 3)
        }
    }

    @Test("Retry-After longer than allowed: one request, the 429 surfaces with its code")
    func retryAfterTooLong() async throws {
        try await TestClient.withServer { server, client in
            server.state.inject(.tooManyRequests(retryAfter: "100"), method: "POST", path: "/v2/Transcripts")
            let clock = ContinuousClock()
            let start = clock.now
            await #expect {
                _ = try await client.createTranscript(TestClient.referenceRequest())
            } throws: { error in
                guard let apiError = error as? TwilioAPIError else { return false }
                return apiError.httpStatus == 429 && apiError.code == 20429 && apiError.retryAfterSeconds == 100
            }
            #expect(clock.now - start < .seconds(10))  // far below the 100 s Retry-After
            #expect(server.state.requests.count == 1)
            #expect(server.state.transcriptCount == 0)
        }
    }

    @Test("429 more often than maxAttempts: gives up after exactly maxAttempts requests")
    func attemptsBounded() async throws {
        try await TestClient.withServer { server, client in
            server.state.inject(.tooManyRequests(retryAfter: "0"), method: "GET", path: "/v2/Services", times: 10)
            await #expect(throws: TwilioAPIError.self) { _ = try await client.listServices().collect() }
            #expect(server.state.requests.count == TestClient.fastRetries.maxAttempts)
        }
    }
}
