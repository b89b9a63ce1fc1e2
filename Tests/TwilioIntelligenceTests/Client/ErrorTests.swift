import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Twilio errors keep code, message, more_info, status and request id")
struct ErrorTests {
    static func isRequestID(_ value: String?) -> Bool {
        value.map { ServerPatterns.sid($0, prefix: "RQ") } ?? false
    }

    @Test("404 on fetch")
    func notFound() async throws {
        try await TestClient.withServer { _, client in
            let sid = "GT" + String(repeating: "f", count: 32)
            do {
                _ = try await client.transcript(sid)
                Issue.record("expected 404")
            } catch let error as TwilioAPIError {
                #expect(error.httpStatus == 404)
                #expect(error.code == 20404)
                #expect(error.status == 404)
                #expect(error.message == "The requested resource /v2/Transcripts/\(sid) was not found")
                #expect(error.moreInfo == "https://www.twilio.com/docs/errors/20404")
                #expect(Self.isRequestID(error.requestID))
                #expect(error.description.contains("20404"))
                #expect(error.description.contains(error.requestID ?? "?"))
                #expect(error.description.contains("What to do: check the SID"))
            }
        }
    }

    @Test("401 with a wrong token; the token appears nowhere in the error")
    func unauthorized() async throws {
        let server = try await StrictTwilioServer.start()
        let transport = AsyncHTTPClientTransport()
        let wrongToken = "wrong_token_ffffffffffffffffffffff"
        let credentials = try Credentials.authToken(accountSID: StrictTwilioServer.accountSID, authToken: wrongToken)
        let client = IntelligenceClient(configuration: ClientConfiguration(credentials: credentials, intelligenceBaseURL: server.baseURL,
                                                                          retryPolicy: TestClient.fastRetries), transport: transport)
        do {
            _ = try await client.listServices().collect()
            Issue.record("expected 401")
        } catch let error as TwilioAPIError {
            #expect(error.httpStatus == 401)
            #expect(error.code == 20003)
            #expect(error.message == "Authenticate")
            #expect(Self.isRequestID(error.requestID))
            #expect(!error.description.contains(wrongToken))
            #expect(!String(reflecting: error).contains(wrongToken))
        }
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains(wrongToken))
        #expect(dumped.contains("<redacted>"))
        #expect(!String(describing: credentials).contains(wrongToken))
        #expect(!String(reflecting: credentials).contains(wrongToken))
        try await transport.shutdown()
        try await server.stop()
    }

    @Test("API key credentials authenticate as SK…:secret")
    func apiKeyCredentials() async throws {
        let server = try await StrictTwilioServer.start()
        let transport = AsyncHTTPClientTransport()
        let credentials = try Credentials.apiKey(keySID: ServerState.apiKeySID, secret: ServerState.apiKeySecret,
                                                 accountSID: StrictTwilioServer.accountSID)
        let client = IntelligenceClient(configuration: ClientConfiguration(credentials: credentials, intelligenceBaseURL: server.baseURL),
                                        transport: transport)
        let services = try await client.listServices().collect()
        #expect(services.map(\.sid) == [StrictTwilioServer.serviceSID])
        #expect(server.state.requests.first?.header("Authorization") == "Basic " + Data("\(ServerState.apiKeySID):\(ServerState.apiKeySecret)".utf8).base64EncodedString())
        try await transport.shutdown()
        try await server.stop()
    }

    @Test("a failed second page surfaces the full error (helper libraries say only 'Unable to fetch page')")
    func failedPage() async throws {
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 4)
            server.state.inject(.errorBeforeActing(status: 500), method: "GET", path: "/v2/Transcripts", skip: 1)
            var seen = 0
            do {
                for try await _ in try client.listTranscripts(pageSize: 2) { seen += 1 }
                Issue.record("expected the second page to fail")
            } catch let error as TwilioAPIError {
                #expect(seen == 2)
                #expect(error.httpStatus == 500)
                #expect(error.code == 20500)
                #expect(error.message == "Internal Server Error (before acting)")
                #expect(error.path == "/v2/Transcripts")
                #expect(Self.isRequestID(error.requestID))
            }
        }
    }

    @Test("the strict server refuses a channel_participant of 3 sent raw (checks the server too)")
    func serverChannelRules() {
        #expect(throws: Never.self) { try ServerState.checkChannel(#"{"media_properties": {"media_url": "https://a.b/c"}}"#).get() }
        for bad in [#"{"media_properties": {"media_url": "https://a.b/c"}, "participants": [{"channel_participant": 3}]}"#,
                    #"{"media_properties": {"media_url": "https://a.b/c", "source_sid": "REdddddddddddddddddddddddddddddddd"}}"#,
                    #"{"media_properties": {"media_url": "https://a.b/c"}, "participants": [{"channel_participant": 1}, {"channel_participant": 1}]}"#,
                    #"{"media_properties": {"media_url": "https://a.b/c"}, "participants": [{"channel_participant": 1, "name": "x"}]}"#,
                    #"{"media_properties": {"media_url": "https://a.b/c"}, "participants": [{"channel_participant": "1"}]}"#] {
            #expect(throws: ServerState.ChannelError.self) { try ServerState.checkChannel(bad).get() }
        }
    }

    @Test("an unknown parameter is refused by the server with Twilio's error body")
    func unknownParameter() async throws {
        try await TestClient.withServer { server, _ in
            let transport = AsyncHTTPClientTransport()
            let auth = "Basic " + Data("\(StrictTwilioServer.accountSID):\(StrictTwilioServer.authToken)".utf8).base64EncodedString()
            let response = try await transport.send(TransportRequest(
                method: "POST", url: server.baseURL + "/v2/Transcripts",
                headers: [("Authorization", auth), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("ServiceSid=\(StrictTwilioServer.serviceSID)&Channel=%7B%7D&Foo=1".utf8)), timeout: .seconds(5))
            try await transport.shutdown()
            let error = TwilioAPIError.from(response: response, method: "POST", path: "/v2/Transcripts")
            #expect(error.httpStatus == 400)
            #expect(error.code == 20001)
            #expect(error.message == "Invalid parameter: Foo")
        }
    }
}
