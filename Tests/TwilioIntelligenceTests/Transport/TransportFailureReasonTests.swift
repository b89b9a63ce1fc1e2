import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TwilioIntelligence

/// Failures below HTTP are reported in plain words, naming the host and port.
@Suite("Transport failures in callprep's words")
struct TransportFailureReasonTests {
    /// A local port nothing listens on: bound once to learn a free number, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func failure(_ url: String) async throws -> TransportFailure {
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(3))
        defer { Task { try? await transport.shutdown() } }
        do {
            _ = try await transport.send(TransportRequest(method: "GET", url: url, headers: [], body: nil), timeout: .seconds(10))
        } catch let failure as TransportFailure {
            return failure
        }
        throw TransportFailure.ambiguous("unexpectedly answered")
    }

    @Test func connectionRefusedNamesThePlace() async throws {
        let port = try await Self.closedPort()
        let failure = try await Self.failure("http://127.0.0.1:\(port)/v2/Services")
        guard case .notSent(let reason) = failure else { Issue.record("\(failure)"); return }
        #expect(reason == "connection refused by 127.0.0.1:\(port): nothing listens there; check the URL's host and port")
    }

    @Test func unknownHostSaysSo() async throws {
        let failure = try await Self.failure("https://no-such-host.invalid/v2/Services")
        guard case .notSent(let reason) = failure else { Issue.record("\(failure)"); return }
        #expect(reason == "cannot resolve host no-such-host.invalid; check the name in the URL and the network's DNS")
    }

    @Test("the client's error after the attempts reads as one sentence without errno dumps")
    func clientErrorSentence() async throws {
        let port = try await Self.closedPort()
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(3))
        let configuration = ClientConfiguration(
            credentials: try TestClient.credentials(), intelligenceBaseURL: "http://127.0.0.1:\(port)",
            retryPolicy: RetryPolicy(maxAttempts: 1))
        let client = IntelligenceClient(configuration: configuration, transport: transport)
        do {
            _ = try await client.listServices().collect()
            Issue.record("nothing listens there")
        } catch {
            #expect(String(describing: error) == "GET /v2/Services failed after 1 attempt(s): the request could not be sent (connection refused by 127.0.0.1:\(port): nothing listens there; check the URL's host and port). Check the network or base URL and try again.")
        }
        try await transport.shutdown()
    }
}
