import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Hosts, credentials, dry-run preview")
struct ConfigurationTests {
    @Test("edge/region host rules as measured in API-NOTES §6")
    func hosts() {
        #expect(ClientConfiguration.host(product: "intelligence", edge: nil, region: nil) == "intelligence.twilio.com")
        #expect(ClientConfiguration.host(product: "intelligence", edge: "sydney", region: nil) == "intelligence.sydney.us1.twilio.com")
        #expect(ClientConfiguration.host(product: "intelligence", edge: nil, region: "au1") == "intelligence.au1.twilio.com")
        #expect(ClientConfiguration.host(product: "intelligence", edge: "dublin", region: "ie1") == "intelligence.dublin.ie1.twilio.com")
    }

    @Test("next-page URLs get the configured edge/region; overrides and foreign hosts are left alone")
    func nextPageHostRewrite() throws {
        var configuration = ClientConfiguration(credentials: try TestClient.credentials(), edge: "sydney")
        let next = "https://intelligence.twilio.com/v2/Transcripts?PageSize=1&Page=1&PageToken=PTabc"
        #expect(configuration.applyingEdgeAndRegion(to: next) == "https://intelligence.sydney.us1.twilio.com/v2/Transcripts?PageSize=1&Page=1&PageToken=PTabc")
        configuration.region = "au1"
        #expect(configuration.applyingEdgeAndRegion(to: next) == "https://intelligence.sydney.au1.twilio.com/v2/Transcripts?PageSize=1&Page=1&PageToken=PTabc")
        configuration.edge = nil
        #expect(configuration.applyingEdgeAndRegion(to: "https://intelligence.dublin.ie1.twilio.com/v2/Services") == "https://intelligence.dublin.au1.twilio.com/v2/Services")
        #expect(configuration.applyingEdgeAndRegion(to: "https://example.com/v2/Services") == "https://example.com/v2/Services")
        configuration.intelligenceBaseURL = "http://127.0.0.1:9"
        #expect(configuration.applyingEdgeAndRegion(to: next) == next)
    }

    @Test("credentials from the environment; API key wins; missing pieces are named")
    func environment() throws {
        let account = StrictTwilioServer.accountSID
        let key = "SK" + String(repeating: "c", count: 32)
        let token = try Credentials.fromEnvironment(["TWILIO_ACCOUNT_SID": account, "TWILIO_AUTH_TOKEN": "tok"])
        #expect(token.username == account)
        let apiKey = try Credentials.fromEnvironment(["TWILIO_ACCOUNT_SID": account, "TWILIO_AUTH_TOKEN": "tok", "TWILIO_API_KEY": key, "TWILIO_API_SECRET": "sec"])
        #expect(apiKey.username == key)
        #expect(apiKey.accountSID == account)
        #expect(throws: IntelligenceClientError.invalidInput(field: "TWILIO_API_SECRET", message: "TWILIO_API_KEY is set but TWILIO_API_SECRET is not; export the API key's secret")) {
            try Credentials.fromEnvironment(["TWILIO_API_KEY": key])
        }
        #expect(throws: IntelligenceClientError.self) { try Credentials.fromEnvironment(["TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "t"]) }
    }

    @Test("preview shows URL, body and a redacted Authorization; the secret never appears")
    func previewRedacts() throws {
        let secret = "s3cr3t_value_0123456789"
        let credentials = try Credentials.apiKey(keySID: "SK" + String(repeating: "c", count: 32), secret: secret, accountSID: StrictTwilioServer.accountSID)
        let client = IntelligenceClient(configuration: ClientConfiguration(credentials: credentials), transport: RefusingTransport())
        let preview = client.preview(TestClient.referenceRequest())
        #expect(preview.url == "https://intelligence.twilio.com/v2/Transcripts")
        #expect(preview.body == CreateTranscriptTests.capturedBody)
        #expect(preview.headers.first { $0.0 == "Authorization" }?.1 == "Basic SK\(String(repeating: "c", count: 32)):<redacted>")
        let everything = "\(preview)" + preview.headers.map { "\($0.0): \($0.1)" }.joined()
        #expect(!everything.contains(secret))
        #expect(!everything.contains(Data(secret.utf8).base64EncodedString()))
    }
}

/// Used only where no request may be sent (preview): refuses everything.
struct RefusingTransport: HTTPTransport {
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        throw TransportFailure.notSent("refusing transport")
    }
}
