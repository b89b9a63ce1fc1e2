import AudioPrep
import Foundation
import Testing
import TwilioIntelligence
@testable import TwilioTestServer

/// Docs/API.md's library example — merge → manifest → channel map → submit — run as written
/// (paths, media URL, service and client are the test's), against the strict local server.
@Suite("Library example: merge → manifest → channel map → submit")
struct LibraryExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The body of the Docs/API.md example, unchanged but for its inputs.
    static func example(
        agentPath: String, customerPath: String, outputPath: String, mediaURL: String, serviceSID: String,
        client: IntelligenceClient
    ) async throws -> Transcript {
        // 1. Merge; the manifest records who is on which channel.
        let manifest = try Merger(configuration: MergeConfiguration(
            inputs: [agentPath, customerPath], output: outputPath,
            participants: [
                ChannelParticipant(channelParticipant: 1, fullName: "Smith, John", role: "Agent"),
                ChannelParticipant(channelParticipant: 2, fullName: "Bob Customer"),
            ])).run()

        // 2. The channel map: read back from OUT.manifest.json (a later process, another host),
        //    or `try manifest.channelMap()` in the same process.
        let map = try ChannelMap(manifestAt: MergeManifest.path(forOutput: manifest.output.path))

        // 3. Upload the FLAC where Twilio can fetch it, then submit with the map. The media's
        //    SHA-256 seeds the CustomerKey: the same file and map never make a second transcript.
        let channel = Channel(media: .mediaURL(mediaURL), participants: map.participants)
        return try await client.createTranscript(TranscriptCreateRequest(
            serviceSID: serviceSID, channel: channel,
            customerKey: TranscriptCreateRequest.derivedCustomerKey(channel: channel, seed: map.mediaSHA256)))
    }

    @Test("the transcript is created with the merge's channel map, default roles filled in")
    func mergeThenSubmit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("call.flac").path

        let server = try await StrictTwilioServer.start()
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        let credentials = try Credentials.authToken(
            accountSID: StrictTwilioServer.accountSID, authToken: StrictTwilioServer.authToken)
        let client = IntelligenceClient(
            configuration: ClientConfiguration(credentials: credentials, intelligenceBaseURL: server.baseURL), transport: transport)
        let transcript: Transcript
        do {
            transcript = try await Self.example(
                agentPath: Self.root.appendingPathComponent("TestAudio/call/agent.wav").path,
                customerPath: Self.root.appendingPathComponent("TestAudio/call/customer.wav").path,
                outputPath: output, mediaURL: "https://example.com/call.flac", serviceSID: StrictTwilioServer.serviceSID,
                client: client)
            try await transport.shutdown()
            try await server.stop()
        } catch {
            try? await transport.shutdown()
            try? await server.stop()
            throw error
        }

        let expected = [
            ChannelParticipant(channelParticipant: 1, fullName: "Smith, John", role: "Agent"),
            ChannelParticipant(channelParticipant: 2, fullName: "Bob Customer", role: "Customer"),
        ]
        #expect(transcript.channel?.participants == expected)
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: MergeManifest.path(forOutput: output)))
        let manifest = try JSONDecoder().decode(MergeManifest.self, from: manifestData)
        #expect(try manifest.channelMap() == ChannelMap(participants: expected, mediaSHA256: manifest.output.sha256))
        let channel = Channel(media: .mediaURL("https://example.com/call.flac"), participants: expected)
        #expect(transcript.customerKey == TranscriptCreateRequest.derivedCustomerKey(channel: channel, seed: manifest.output.sha256))
        let post = try #require(server.state.requests.first { $0.method == "POST" })
        #expect(post.bodyText.contains("%22full_name%22%3A+%22Smith%2C+John%22"))
    }
}
