import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

/// A list endpoint that bends `meta.next_page_url` can neither draw the credentials to another
/// host nor keep the client paging forever.
@Suite("Pagination refuses foreign next pages and stops on loops")
struct PaginationSafetyTests {
    static func expectRefusal(_ error: any Error, contains text: String) {
        guard case .invalidResponse(_, _, _, _, let detail)? = error as? IntelligenceClientError else {
            Issue.record("expected invalidResponse, got \(error)")
            return
        }
        #expect(detail.contains(text), "\(detail)")
    }

    @Test("a next page on another host gets no request (and so no Authorization header)")
    func foreignHostIsNotFollowed() async throws {
        let elsewhere = try await StrictTwilioServer.start()
        defer { Task { try? await elsewhere.stop() } }
        let foreign = elsewhere.baseURL + "/v2/Transcripts?PageSize=2&Page=1&PageToken=PT2"
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 3)
            server.state.configure { $0.pagingFault = .nextPageURL(foreign) }
            do {
                _ = try await client.listTranscripts(pageSize: 2).collect()
                Issue.record("a foreign next page was followed")
            } catch {
                Self.expectRefusal(error, contains: foreign.debugDescription)
                Self.expectRefusal(error, contains: "no credentials were sent there")
                #expect(String(describing: error).contains(foreign))
            }
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 1)
        }
        #expect(elsewhere.state.requests.isEmpty)
    }

    @Test("the same host on another scheme or port is refused too")
    func otherSchemeOrPortIsNotFollowed() async throws {
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 3)
            let url = try #require(URLComponents(string: server.baseURL))
            let port = try #require(url.port)
            for next in ["https://127.0.0.1:\(port)/v2/Transcripts?PageSize=2&Page=1&PageToken=PT2",
                         "http://127.0.0.1:\(port + 1)/v2/Transcripts?PageSize=2&Page=1&PageToken=PT2"] {
                server.state.configure { $0.pagingFault = .nextPageURL(next) }
                await #expect(throws: IntelligenceClientError.self) { _ = try await client.listTranscripts(pageSize: 2).collect() }
            }
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 2)
        }
    }

    @Test("empty pages that always name a new next page end the list at the first empty one")
    func emptyPageEndsTheList() async throws {
        try await TestClient.withServer { server, client in
            let created = try await PaginationTests.makeTranscripts(client, count: 4)
            server.state.configure { $0.pagingFault = .endlessEmptyPages }
            let listed = try await client.listTranscripts(pageSize: 2).collect()
            #expect(listed.map(\.sid) == created.reversed())
            // Pages 1 and 2 hold the records, page 3 is empty and ends it.
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 3)
        }
    }

    @Test("a next page already fetched is an error, not a loop")
    func repeatedPageStops() async throws {
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 4)
            server.state.configure { $0.pagingFault = .sameNextPage }
            do {
                _ = try await client.listTranscripts(pageSize: 2).collect()
                Issue.record("the loop was not detected")
            } catch {
                Self.expectRefusal(error, contains: "names a page already fetched")
            }
            // The first URL, then Page=0 spelled out by the server, which then names itself.
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 2)
        }
    }

    @Test("more pages than the cap is an error after exactly the cap")
    func pageCap() async throws {
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 7)
            let first = client.configuration.resolvedIntelligenceBase + "/v2/Transcripts?PageSize=2"
            let capped = PagedSequence<Transcript>(executor: client.executor, firstURL: first, limit: nil, maxPages: 3)
            var seen = 0
            do {
                for try await _ in capped { seen += 1 }
                Issue.record("the cap did not stop the listing")
            } catch {
                Self.expectRefusal(error, contains: "more than 3 pages")
            }
            #expect(seen == 6)
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 3)
            // Under the cap the same listing completes.
            let all = try await PagedSequence<Transcript>(executor: client.executor, firstURL: first, limit: nil, maxPages: 4).collect()
            #expect(all.count == 7)
        }
    }

    @Test("limit ends the listing without fetching the next page even when pages are endless")
    func limitWithEndlessPages() async throws {
        try await TestClient.withServer { server, client in
            _ = try await PaginationTests.makeTranscripts(client, count: 4)
            server.state.configure { $0.pagingFault = .endlessEmptyPages }
            #expect(try await client.listTranscripts(pageSize: 2, limit: 3).collect().count == 3)
            #expect(server.state.requests.filter { $0.method == "GET" }.count == 2)
        }
    }
}
