import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Local validation refuses bad input before any request")
struct ChannelValidationTests {
    static func request(_ channel: Channel, service: String = StrictTwilioServer.serviceSID, key: String? = "k") -> TranscriptCreateRequest {
        TranscriptCreateRequest(serviceSID: service, channel: channel, customerKey: key)
    }

    static let url = MediaSource.mediaURL("https://example.com/call.flac")

    static let cases: [(String, TranscriptCreateRequest)] = [
        ("ServiceSid", request(Channel(media: url), service: "GAxyz")),
        ("Channel.participants", request(Channel(media: url, participants: [.init(channelParticipant: 1), .init(channelParticipant: 2), .init(channelParticipant: 1)]))),
        ("Channel.participants[1].channel_participant", request(Channel(media: url, participants: [.init(channelParticipant: 1), .init(channelParticipant: 1)]))),
        ("Channel.participants[0].channel_participant", request(Channel(media: url, participants: [.init(channelParticipant: 3)]))),
        ("Channel.participants[0].email", request(Channel(media: url, participants: [.init(channelParticipant: 1, email: "not-an-email")]))),
        ("Channel.participants[0].image_url", request(Channel(media: url, participants: [.init(channelParticipant: 1, imageURL: "a.png")]))),
        ("Channel.media_properties.source_sid", request(Channel(media: .sourceSID("RE123")))),
        ("Channel.media_properties.media_url", request(Channel(media: .mediaURL("ftp://example.com/a.wav")))),
        ("CustomerKey", request(Channel(media: url), key: String(repeating: "k", count: 65))),
    ]

    @Test("each invalid field is named and nothing reaches the server", arguments: 0..<9)
    func refusedLocally(index: Int) async throws {
        let (field, request) = Self.cases[index]
        try await TestClient.withServer { server, client in
            do {
                _ = try await client.createTranscript(request)
                Issue.record("expected \(field) to be refused")
            } catch let error as IntelligenceClientError {
                guard case .invalidInput(let named, _) = error else { Issue.record("wrong error \(error)"); return }
                #expect(named == field)
                #expect(error.description.contains("Nothing was sent"))
            }
            #expect(server.state.requests.isEmpty)
        }
    }

    @Test("64 characters of CustomerKey are accepted, including multi-byte ones")
    func customerKeyLimit() throws {
        try Self.request(Channel(media: Self.url), key: String(repeating: "é", count: 64)).validate()
    }
}
