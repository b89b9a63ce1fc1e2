import Foundation
@testable import TwilioIntelligence
@testable import TwilioTestServer

/// Test helpers: a client wired to the strict server through the real AsyncHTTPClient
/// transport, with short timeouts and backoff so fault tests stay fast.
enum TestClient {
    static let fastRetries = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                                         maxTotalTime: .seconds(10), maxRetryAfter: .seconds(3))

    static func credentials() throws -> Credentials {
        try Credentials.authToken(accountSID: StrictTwilioServer.accountSID, authToken: StrictTwilioServer.authToken)
    }

    static func configuration(_ server: StrictTwilioServer, timeout: Duration = .seconds(5),
                              retry: RetryPolicy = fastRetries) throws -> ClientConfiguration {
        ClientConfiguration(credentials: try credentials(), intelligenceBaseURL: server.baseURL, insightsBaseURL: server.baseURL,
                            requestTimeout: timeout, retryPolicy: retry)
    }

    /// Runs `body` with a fresh server, transport and client; tears all down afterwards.
    static func withServer<T>(timeout: Duration = .seconds(5), retry: RetryPolicy = fastRetries,
                              _ body: (StrictTwilioServer, IntelligenceClient) async throws -> T) async throws -> T {
        let server = try await StrictTwilioServer.start()
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let client = IntelligenceClient(configuration: try configuration(server, timeout: timeout, retry: retry), transport: transport)
        do {
            let result = try await body(server, client)
            try await transport.shutdown()
            try await server.stop()
            return result
        } catch {
            try? await transport.shutdown()
            try? await server.stop()
            throw error
        }
    }

    /// The two participants of the API-NOTES §11 capture.
    static let referenceParticipants = [
        ChannelParticipant(channelParticipant: 1, userID: "agent-42", mediaParticipantID: "+15555550100", email: "alice@example.com",
                           fullName: "Alice Agent", imageURL: "https://example.com/a.png", role: "Agent"),
        ChannelParticipant(channelParticipant: 2, userID: "cust-7", mediaParticipantID: "+15555550111", fullName: "Bob Customer", role: "Customer"),
    ]

    static let referenceMediaURL = "https://example.com/rec/call-123.wav?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=3600"

    /// A create request equal to the §11 (a) capture.
    static func referenceRequest() -> TranscriptCreateRequest {
        TranscriptCreateRequest(
            serviceSID: StrictTwilioServer.serviceSID,
            channel: Channel(media: .mediaURL(referenceMediaURL), participants: referenceParticipants),
            customerKey: "meeting-2024-05-01/room A",
            mediaStartTime: Date(timeIntervalSince1970: 1_714_571_130.123456))
    }
}
