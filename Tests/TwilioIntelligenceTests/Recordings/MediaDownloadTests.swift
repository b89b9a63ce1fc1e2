import Crypto
import Foundation
import Synchronization
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

/// Media downloads: 302 → signed URL on the media host, fetched without credentials, streamed
/// to a partial file, size-checked, renamed; faults end in a complete file or a clear error
/// with nothing left behind.
@Suite struct MediaDownloadTests {
    static let aliceSize = Int64((try? TwilioFixtures.bytes("video/room-alice.mka").count) ?? 0)

    func downloadAlice(_ client: RecordingsClient, _ folder: String, allowHTTP: Bool = true) async throws -> MediaDownload {
        try await client.download(.roomRecording(room: TwilioFixtures.twoPersonRoom, recording: TwilioFixtures.aliceFirst),
                                  to: folder + "/alice.mka", expectedBytes: Self.aliceSize, allowHTTP: allowHTTP)
    }

    @Test func downloadsTheExactBytesWithoutSendingCredentialsToTheMediaHost() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            let result = try await downloadAlice(client, folder)
            #expect(result.bytes == Self.aliceSize)
            #expect(!result.reused)
            #expect(result.attempts == 1)
            let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/alice.mka"))
            #expect(Array(written) == (try TwilioFixtures.bytes("video/room-alice.mka")))
            // Hashed as the bytes arrived: the SHA-256 of the file.
            #expect(result.sha256 == SHA256.hash(data: written).map { String(format: "%02x", $0) }.joined())
            let state = server.state
            #expect(state.withLock { state.credentialLeaks.isEmpty })
            let mediaRequests = state.withLock { state.mediaHostRequests }
            #expect(mediaRequests.count == 1)
            #expect(mediaRequests.allSatisfy { $0.header("Authorization") == nil })
            // The Twilio request itself was authenticated.
            let twilio = try #require(state.requests.first { $0.path.hasSuffix("/Media") })
            #expect(twilio.header("Authorization")?.hasPrefix("Basic ") == true)
            #expect(RecordingsTestSupport.contents(folder) == ["alice.mka"])
        }
    }

    /// The transport hands each piece of a 2xx body to the sink as it is read; when the sink
    /// fails (a full disk), the transfer stops there with the sink's own error (not a network
    /// failure, which would be retried), and the transport still serves the next request.
    @Test func aSinkFailureStopsTheTransferWithTheSinksOwnError() async throws {
        struct DiskFull: Error {}
        let server = try await StrictTwilioServer.start()
        try TwilioFixtures.install(in: server.state)
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let credentials = Data("\(StrictTwilioServer.accountSID):\(StrictTwilioServer.authToken)".utf8).base64EncodedString()
        let media = TransportRequest(
            method: "GET", url: "\(server.baseURL)/v1/Rooms/\(TwilioFixtures.twoPersonRoom)/Recordings/\(TwilioFixtures.aliceFirst)/Media",
            headers: [("Authorization", "Basic " + credentials)], body: nil)
        do {
            let redirect = try await transport.receive(media, idleTimeout: .seconds(5)) { _ in Issue.record("a redirect's body reached the sink") }
            #expect(redirect.status == 302)
            let signed = try #require(redirect.header("location"))
            let received = Mutex<[Int]>([])
            await #expect(throws: DiskFull.self) {
                _ = try await transport.receive(TransportRequest(method: "GET", url: signed, headers: [], body: nil), idleTimeout: .seconds(5)) { bytes in
                    received.withLock { $0.append(bytes.count) }
                    throw DiskFull()
                }
            }
            let pieces = received.withLock { $0 }
            #expect(pieces.count == 1)
            #expect(pieces.allSatisfy { $0 > 0 && Int64($0) < Self.aliceSize })
            let next = try await transport.receive(media, idleTimeout: .seconds(5)) { _ in }
            #expect(next.status == 302)
        } catch {
            Issue.record("\(error)")
        }
        try await transport.shutdown()
        try await server.stop()
    }

    @Test func aCompleteFileIsReusedWithoutARequest() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            _ = try await downloadAlice(client, folder)
            let before = server.state.requests.count
            let again = try await downloadAlice(client, folder)
            #expect(again.reused)
            #expect(again.sha256 == nil)
            #expect(again.attempts == 0)
            #expect(server.state.requests.count == before)
            // A file of another size is not trusted: downloaded again.
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/alice.mka"))
            let fresh = try await downloadAlice(client, folder)
            #expect(!fresh.reused)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/alice.mka"))) == (try TwilioFixtures.bytes("video/room-alice.mka")))
        }
    }

    @Test func anExpiredSignedURLIsReplacedByAFreshOne() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            server.state.configure { $0.expireNextSignedURLs = 1 }
            let result = try await downloadAlice(client, folder)
            #expect(result.attempts == 2)
            #expect(result.bytes == Self.aliceSize)
            #expect(server.state.requests.filter { $0.path.hasSuffix("/Media") }.count == 2)
        }
    }

    @Test(arguments: [MediaHostFault.reset, .status(500), .truncate(keepBytes: 1000)])
    func mediaHostFaultsAreRetried(_ fault: MediaHostFault) async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            server.state.configure { $0.mediaHostFaults = [fault] }
            let result = try await downloadAlice(client, folder)
            #expect(result.attempts == 2)
            let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/alice.mka"))
            #expect(Array(written) == (try TwilioFixtures.bytes("video/room-alice.mka")))
            // The hash starts over with the attempt: a truncated first body does not count.
            #expect(result.sha256 == SHA256.hash(data: written).map { String(format: "%02x", $0) }.joined())
            #expect(RecordingsTestSupport.contents(folder) == ["alice.mka"])
        }
    }

    @Test func twilioErrorsOnTheMediaEndpointAreRetried() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            let path = "/v1/Rooms/\(TwilioFixtures.twoPersonRoom)/Recordings/\(TwilioFixtures.aliceFirst)/Media"
            server.state.inject(.errorBeforeActing(status: 502), method: "GET", path: path)
            server.state.inject(.dropBeforeActing, method: "GET", path: path)
            let result = try await downloadAlice(client, folder)
            #expect(result.attempts == 3)
            #expect(result.bytes == Self.aliceSize)
        }
    }

    @Test func aBodyThatStaysTruncatedFailsAndLeavesNothing() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            server.state.configure { $0.mediaHostFaults = Array(repeating: .truncate(keepBytes: 500), count: 10) }
            let error = await #expect(throws: MediaDownloadError.self) { try await downloadAlice(client, folder) }
            #expect(error?.code == .sizeMismatch)
            #expect(error?.message.contains("after 500 of \(Self.aliceSize) bytes") == true)
            #expect(RecordingsTestSupport.contents(folder).isEmpty)
        }
    }

    @Test func aSizeThatDiffersFromTheResourceFails() async throws {
        try await RecordingsTestSupport.withClient { _, client, folder in
            let error = await #expect(throws: MediaDownloadError.self) {
                try await client.download(.trackRecording(TwilioFixtures.aliceFirst), to: folder + "/a.mka", expectedBytes: Self.aliceSize + 1, allowHTTP: true)
            }
            #expect(error?.code == .sizeMismatch)
            #expect(RecordingsTestSupport.contents(folder).isEmpty)
            let absurd = await #expect(throws: MediaDownloadError.self) {
                try await client.download(.trackRecording(TwilioFixtures.aliceFirst), to: folder + "/a.mka", expectedBytes: -5, allowHTTP: true)
            }
            #expect(absurd?.code == .invalidResponse)
        }
    }

    @Test func plainHTTPMediaIsRefusedUnlessAllowed() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            let error = await #expect(throws: MediaDownloadError.self) { try await downloadAlice(client, folder, allowHTTP: false) }
            #expect(error?.code == .unusableRedirect)
            #expect(server.state.withLock { server.state.mediaHostRequests.isEmpty })
            #expect(RecordingsTestSupport.contents(folder).isEmpty)
        }
    }

    @Test func voiceMediaDualChannelOnlyWhenRequested() async throws {
        try await RecordingsTestSupport.withClient { server, client, folder in
            let dual = try await client.download(.voiceRecording(TwilioFixtures.voiceRecording, format: .wav, channels: 2),
                                                 to: folder + "/call.wav", expectedBytes: nil, allowHTTP: true)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: dual.path))) == (try TwilioFixtures.bytes("edge/dual-channel.wav")))
            let mono = try await client.download(.voiceRecording(TwilioFixtures.voiceRecording, format: .wav, channels: 1),
                                                 to: folder + "/mono.wav", expectedBytes: nil, allowHTTP: true)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: mono.path))) == (try TwilioFixtures.bytes("call/agent.wav")))
            let queries = server.state.requests.filter { $0.path.hasSuffix(".wav") }.map(\.query)
            #expect(queries == ["RequestedChannels=2", nil])
            #expect(server.state.withLock { server.state.credentialLeaks.isEmpty })
        }
    }

    @Test func compositionMedia() async throws {
        try await RecordingsTestSupport.withClient { _, client, folder in
            let bytes = try TwilioFixtures.bytes("video/opus-gaps.webm")
            let result = try await client.download(.composition(TwilioFixtures.composition), to: folder + "/c.webm", expectedBytes: Int64(bytes.count), allowHTTP: true)
            #expect(result.bytes == Int64(bytes.count))
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/c.webm"))) == bytes)
        }
    }
}
