import Foundation
import NIOCore
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Never a duplicate transcript: every injected fault ends with exactly one")
struct FaultInjectionTests {
    /// Creates the reference transcript under `fault` and returns (POSTs seen, GET lists seen).
    static func create(under fault: ServerFault, timeout: Duration = .seconds(5)) async throws -> (posts: Int, searches: Int, sid: String, stored: [String]) {
        try await TestClient.withServer(timeout: timeout) { server, client in
            server.state.inject(fault, method: "POST", path: "/v2/Transcripts")
            let transcript = try await client.createTranscript(TestClient.referenceRequest())
            let requests = server.state.requests
            let stored = server.state.allTranscripts.compactMap { $0["sid"] as? String }
            return (requests.filter { $0.method == "POST" }.count,
                    requests.filter { $0.method == "GET" && $0.path == "/v2/Transcripts" }.count, transcript.sid, stored)
        }
    }

    @Test("429 with Retry-After: waits at least Retry-After, re-sends, one transcript")
    func tooManyRequests() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Self.create(under: .tooManyRequests(retryAfter: "1"))
        let elapsed = clock.now - start
        #expect(result.posts == 2)
        #expect(result.searches == 0)
        #expect(result.stored == [result.sid])
        #expect(elapsed >= .seconds(1))
        #expect(elapsed < .seconds(30))  // generous: machines running the whole suite are busy
    }

    @Test("503 before acting: looks for the key, finds nothing, re-sends once, one transcript")
    func serverErrorBeforeActing() async throws {
        let result = try await Self.create(under: .errorBeforeActing(status: 503))
        #expect(result.posts == 2)
        #expect(result.searches == 1)
        #expect(result.stored == [result.sid])
    }

    @Test("500 after acting: finds the transcript it created, does not re-send")
    func serverErrorAfterActing() async throws {
        let result = try await Self.create(under: .errorAfterActing(status: 500))
        #expect(result.posts == 1)
        #expect(result.searches == 1)
        #expect(result.stored == [result.sid])
    }

    @Test("slow response past the client timeout: finds the transcript, does not re-send")
    func slowResponse() async throws {
        let result = try await Self.create(under: .slowAfterActing(delay: .milliseconds(3000)), timeout: .seconds(1))
        #expect(result.posts == 1)
        #expect(result.searches == 1)
        #expect(result.stored == [result.sid])
    }

    @Test("connection dropped before acting: finds nothing, re-sends once, one transcript")
    func dropBeforeActing() async throws {
        let result = try await Self.create(under: .dropBeforeActing)
        #expect(result.posts == 2)
        #expect(result.searches == 1)
        #expect(result.stored == [result.sid])
    }

    @Test("connection dropped after acting: finds the transcript, does not re-send")
    func dropAfterActing() async throws {
        let result = try await Self.create(under: .dropAfterActing)
        #expect(result.posts == 1)
        #expect(result.searches == 1)
        #expect(result.stored == [result.sid])
    }

    @Test("two faults in a row (drop before acting, then 500 after acting): still exactly one")
    func faultsInARow() async throws {
        try await TestClient.withServer { server, client in
            server.state.inject(.dropBeforeActing, method: "POST", path: "/v2/Transcripts")
            server.state.inject(.errorAfterActing(status: 502), method: "POST", path: "/v2/Transcripts")
            let transcript = try await client.createTranscript(TestClient.referenceRequest())
            #expect(server.state.allTranscripts.compactMap { $0["sid"] as? String } == [transcript.sid])
            #expect(server.state.requests.filter { $0.method == "POST" }.count == 2)
        }
    }

    @Test("nothing listening: the request was never sent, retried per policy, then a transport error")
    func connectionRefused() async throws {
        let server = try await StrictTwilioServer.start()
        let base = server.baseURL
        try await server.stop()
        var configuration = try TestClient.configuration(server)
        configuration.intelligenceBaseURL = base
        let transport = AsyncHTTPClientTransport(connectTimeout: .milliseconds(300))
        let client = IntelligenceClient(configuration: configuration, transport: transport)
        await #expect {
            _ = try await client.createTranscript(TestClient.referenceRequest())
        } throws: { error in
            guard case .transport(let method, let path, let attempts, _) = error as? IntelligenceClientError else { return false }
            return method == "POST" && path == "/v2/Transcripts" && attempts == TestClient.fastRetries.maxAttempts
        }
        try await transport.shutdown()
    }
}
