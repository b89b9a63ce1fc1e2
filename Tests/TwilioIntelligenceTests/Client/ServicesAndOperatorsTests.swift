import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Services, operators, transcripts' sub-resources")
struct ServicesAndOperatorsTests {
    @Test("service create sends the §11 (d) body; get, update with If-Match, stale If-Match → 412, delete")
    func serviceLifecycle() async throws {
        try await TestClient.withServer { server, client in
            let settings = ServiceSettings(uniqueName: "notes-2", languageCode: "en-US", autoTranscribe: false, autoRedaction: true,
                                           webhookURL: "https://example.com/hooks/ci", webhookHTTPMethod: "POST")
            let service = try await client.createService(settings)
            let post = try #require(server.state.requests.last)
            #expect(post.bodyText == "UniqueName=notes-2&AutoTranscribe=false&LanguageCode=en-US&AutoRedaction=true&WebhookUrl=https%3A%2F%2Fexample.com%2Fhooks%2Fci&WebhookHttpMethod=POST")
            #expect(service.uniqueName == "notes-2")
            #expect(service.autoRedaction == true)
            #expect(service.version == 1)
            #expect(try await client.service("notes-2").sid == service.sid)
            let updated = try await client.updateService(service.sid, ServiceSettings(friendlyName: "Notes"), ifMatch: 1)
            #expect(updated.friendlyName == "Notes")
            #expect(updated.version == 2)
            #expect(server.state.requests.last?.header("If-Match") == "1")
            await #expect { _ = try await client.updateService(service.sid, ServiceSettings(friendlyName: "X"), ifMatch: 1) } throws: { error in
                (error as? TwilioAPIError)?.httpStatus == 412
            }
            #expect(try await client.listServices().collect().count == 2)
            try await client.deleteService(service.sid)
            #expect(try await client.listServices().collect().map(\.sid) == [StrictTwilioServer.serviceSID])
        }
    }

    @Test("MediaRedaction without AutoRedaction is refused locally")
    func mediaRedactionNeedsAutoRedaction() {
        #expect(throws: IntelligenceClientError.self) { try ServiceSettings(uniqueName: "x", mediaRedaction: true).validate(creating: true) }
    }

    @Test("operators: list kinds, custom create/update/delete, attach/detach, operator types")
    func operators() async throws {
        try await TestClient.withServer { server, client in
            #expect(try await client.listOperators(.prebuilt).collect().count == 2)
            let custom = try await client.createCustomOperator(friendlyName: "Escalation", operatorType: "text-generation",
                                                              config: .object(["prompt": .string("Did the caller ask for a manager?")]))
            #expect(custom.sid.hasPrefix("LY"))
            #expect(server.state.requests.last?.bodyText == "FriendlyName=Escalation&OperatorType=text-generation&Config=%7B%22prompt%22%3A%22Did+the+caller+ask+for+a+manager%3F%22%7D")
            #expect(try await client.listOperators(.all).collect().count == 3)
            #expect(try await client.listOperators(.custom).collect().map(\.sid) == [custom.sid])
            let updated = try await client.updateCustomOperator(custom.sid, friendlyName: "Escalation v2", config: .object([:]), ifMatch: 1)
            #expect(updated.version == 2)
            try await client.attachOperator(custom.sid, to: StrictTwilioServer.serviceSID)
            #expect(try await client.serviceOperators(StrictTwilioServer.serviceSID).operatorSIDs == [custom.sid])
            try await client.detachOperator(custom.sid, from: StrictTwilioServer.serviceSID)
            #expect(try await client.serviceOperators(StrictTwilioServer.serviceSID).operatorSIDs.isEmpty)
            try await client.deleteCustomOperator(custom.sid)
            #expect(try await client.listOperators(.custom).collect().isEmpty)
            let types = try await client.listOperatorTypes().collect()
            #expect(types.map(\.name) == ["conversation-classify", "text-generation"])
            #expect(try await client.operatorType("text-generation").outputType == "text-generation")
        }
    }

    @Test("wait polls to completed; media, operator results, encrypted locations, delete")
    func transcriptSubresources() async throws {
        try await TestClient.withServer { server, client in
            server.state.configure { $0.pollsToComplete = 3 }
            let sid = try await client.createTranscript(TestClient.referenceRequest()).sid
            let done = try await client.waitForTranscript(sid, timeout: .seconds(5), initialInterval: .milliseconds(10))
            #expect(done.status == .completed)
            #expect(server.state.requests.filter { $0.method == "GET" && $0.path == "/v2/Transcripts/\(sid)" }.count == 3)
            #expect(done.speakerNames == [1: "Alice Agent", 2: "Bob Customer"])
            let media = try await client.media(of: sid, redacted: false)
            #expect(media.mediaURL == "https://media.example/\(sid).flac?sig=temporary")
            #expect(server.state.requests.last?.uri == "/v2/Transcripts/\(sid)/Media?Redacted=false")
            let results = try await client.operatorResults(of: sid).collect()
            #expect(results.first?.predictedLabel == "positive")
            #expect(results.first?.summary == "label positive (0.91)")
            let one = try await client.operatorResult(of: sid, operatorSID: ServerState.prebuiltOperatorSIDs[0])
            #expect(one.name == "Sentiment")
            #expect(try await client.encryptedSentences(of: sid).location == "https://storage.example/\(sid)/sentences.enc")
            #expect(try await client.encryptedOperatorResults(of: sid).locations == ["https://storage.example/\(sid)/results.enc"])
            try await client.deleteTranscript(sid)
            #expect(server.state.transcriptCount == 0)
        }
    }

    @Test("wait ends with failed status and times out when the deadline passes")
    func waitFailedAndTimeout() async throws {
        try await TestClient.withServer { server, client in
            server.state.configure { $0.finalStatus = "failed"; $0.pollsToComplete = 2 }
            let sid = try await client.createTranscript(TestClient.referenceRequest()).sid
            #expect(try await client.waitForTranscript(sid, timeout: .seconds(5), initialInterval: .milliseconds(10)).status == .failed)
            server.state.configure { $0.pollsToComplete = 1000 }
            var request = TestClient.referenceRequest()
            request.customerKey = "second"
            let second = try await client.createTranscript(request).sid
            await #expect(throws: IntelligenceClientError.self) {
                _ = try await client.waitForTranscript(second, timeout: .milliseconds(200), initialInterval: .milliseconds(50))
            }
        }
    }

    @Test("Insights: metadata, and a query followed across token pages")
    func insights() async throws {
        try await TestClient.withServer { server, client in
            let metadata = try await client.insightsMetadata()
            #expect(metadata.domain == "Conversations")
            let query = InsightsQuery(measures: ["Count"], dimensions: ["Channels"],
                                      filters: [.init(op: "AND", expressions: [.init(op: "IN", field: "Channels", values: ["voice"])])])
            let rows = try await client.insightsQueryAll(query, pageSize: 2)
            #expect(rows.count == 5)
            let requests = server.state.requests.filter { $0.path == "/v3/InsightsDomains/Conversations/Query" }
            #expect(requests.map(\.method) == ["POST", "GET", "GET"])
            #expect(requests[0].uri.hasSuffix("?pageSize=2"))
            #expect(requests[0].bodyText == #"{"query":{"dimensions":["Channels"],"filters":[{"expressions":[{"field":"Channels","op":"IN","values":["voice"]}],"op":"AND"}],"measures":["Count"]}}"#)
            #expect(requests[1].uri == "/v3/InsightsDomains/Conversations/Query?pageToken=tok-2%3A2")
            #expect(throws: IntelligenceClientError.self) { try InsightsQuery(measures: ["Count"], dimensions: [], orderBy: [.init(field: "Count", direction: "UP")]).validate() }
        }
    }
}
