import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Waiting for a transcript uses the whole timeout")
struct WaitForTranscriptTests {
    @Test("timeout 1 s with a 300 ms first interval: the last poll is at the deadline, the error says the time waited")
    func waitsTheFullTimeout() async throws {
        try await TestClient.withServer { server, client in
            server.state.configure { $0.pollsToComplete = 1000 }
            let sid = try await client.createTranscript(TestClient.referenceRequest()).sid
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await client.waitForTranscript(sid, timeout: .seconds(1), initialInterval: .milliseconds(300))
                Issue.record("the transcript cannot complete")
            } catch let error as IntelligenceClientError {
                let elapsed = clock.now - start
                // Polls at 0, 0.3, 0.75 and (cut short from 1.425) 1.0 s; before, it gave up at 0.75 s.
                #expect(elapsed >= .seconds(1) && elapsed < .seconds(2), "\(elapsed)")
                guard case .timedOut(_, let after) = error else { Issue.record("\(error)"); return }
                #expect(after >= .seconds(1) && after <= elapsed)
                #expect(error.description.hasPrefix("transcript \(sid) (status "))
                #expect(error.description.contains("did not finish in 1."))
            }
            let polls = server.state.requests.filter { $0.method == "GET" && $0.path == "/v2/Transcripts/\(sid)" }
            #expect(polls.count == 4)
        }
    }
}
