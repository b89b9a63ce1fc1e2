import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Lists follow meta.next_page_url verbatim")
struct PaginationTests {
    static func makeTranscripts(_ client: IntelligenceClient, count: Int) async throws -> [String] {
        var sids: [String] = []
        for index in 0..<count {
            var request = TestClient.referenceRequest()
            request.customerKey = "key-\(index)"
            sids.append(try await client.createTranscript(request).sid)
        }
        return sids
    }

    @Test("7 transcripts at PageSize 3: 3 requests, each next one exactly the previous next_page_url")
    func transcriptsAcrossPages() async throws {
        try await TestClient.withServer { server, client in
            let created = try await Self.makeTranscripts(client, count: 7)
            let listed = try await client.listTranscripts(TranscriptFilter(serviceSID: StrictTwilioServer.serviceSID), pageSize: 3).collect()
            #expect(listed.map(\.sid) == created.reversed())
            let gets = server.state.requests.filter { $0.method == "GET" }
            #expect(gets.count == 3)
            #expect(gets[0].uri == "/v2/Transcripts?ServiceSid=\(StrictTwilioServer.serviceSID)&PageSize=3")
            #expect(gets[1].uri == "/v2/Transcripts?ServiceSid=\(StrictTwilioServer.serviceSID)&PageSize=3&Page=1&PageToken=PT3")
            #expect(gets[2].uri == "/v2/Transcripts?ServiceSid=\(StrictTwilioServer.serviceSID)&PageSize=3&Page=2&PageToken=PT6")
            #expect(gets[1].header("Content-Type") == nil)
        }
    }

    @Test("limit stops early without fetching further pages")
    func limitStops() async throws {
        try await TestClient.withServer { server, client in
            _ = try await Self.makeTranscripts(client, count: 5)
            let listed = try await client.listTranscripts(pageSize: 2, limit: 3).collect()
            #expect(listed.count == 3)
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 2)
        }
    }

    @Test("12 sentences at PageSize 5 across 3 pages, query as in §11 (c)")
    func sentencesAcrossPages() async throws {
        try await TestClient.withServer { server, client in
            server.state.configure { $0.sentencesPerTranscript = 12; $0.pollsToComplete = 1 }
            let sid = try await client.createTranscript(TestClient.referenceRequest()).sid
            #expect(try await client.transcript(sid).status == .completed)
            let sentences = try await client.sentences(of: sid, redacted: false, wordTimestamps: true, pageSize: 5).collect()
            #expect(sentences.count == 12)
            #expect(sentences.map(\.sentenceIndex) == Array(0..<12))
            #expect(sentences[0].startTime == "0.5")
            #expect(sentences[0].confidence == "0.93")
            #expect(sentences[1].mediaChannel == 2)
            #expect(sentences[0].words?.first?.word == "Sentence")
            let pages = server.state.requests.filter { $0.path.hasSuffix("/Sentences") }
            #expect(pages.count == 3)
            #expect(pages[0].uri == "/v2/Transcripts/\(sid)/Sentences?Redacted=false&WordTimestamps=true&PageSize=5")
        }
    }

    @Test("PageSize outside 1...5000 for sentences is refused locally")
    func pageSizeBounds() async throws {
        try await TestClient.withServer { server, client in
            #expect(throws: IntelligenceClientError.self) { _ = try client.sentences(of: "GT" + String(repeating: "0", count: 32), pageSize: 5001) }
            #expect(throws: IntelligenceClientError.self) { _ = try client.listTranscripts(pageSize: 1001) }
            _ = try client.sentences(of: "GT" + String(repeating: "0", count: 32), pageSize: 5000)
            #expect(server.state.requests.isEmpty)
        }
    }
}
