import Foundation
@testable import TwilioIntelligence
@testable import TwilioTestServer

/// A ``RecordingsClient`` wired to the strict server (Video and Voice base URLs on it, fixtures
/// installed) through the real AsyncHTTPClient transport, and a scratch download folder.
enum RecordingsTestSupport {
    static func withClient<T>(_ body: (StrictTwilioServer, RecordingsClient, String) async throws -> T) async throws -> T {
        let server = try await StrictTwilioServer.start()
        try TwilioFixtures.install(in: server.state)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recordings-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let configuration = ClientConfiguration(
            credentials: try TestClient.credentials(), videoBaseURL: server.baseURL, apiBaseURL: server.baseURL,
            requestTimeout: .seconds(5), retryPolicy: TestClient.fastRetries)
        let client = RecordingsClient(configuration: configuration, transport: transport)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let result = try await body(server, client, folder)
            try await transport.shutdown()
            try await server.stop()
            return result
        } catch {
            try? await transport.shutdown()
            try? await server.stop()
            throw error
        }
    }

    /// The names in `folder` (partial downloads are hidden files, so they show here too).
    static func contents(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}
