import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

@Suite("Create transcript: body on the wire")
struct CreateTranscriptTests {
    /// API-NOTES.md §11 (a), the body twilio-python 9.13.0 sent, byte for byte.
    static let capturedBody = "ServiceSid=GAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&Channel=%7B%22media_properties%22%3A+%7B%22media_url%22%3A+%22https%3A%2F%2Fexample.com%2Frec%2Fcall-123.wav%3FX-Amz-Signature%3Dabc%252Fdef%26X-Amz-Expires%3D3600%22%7D%2C+%22participants%22%3A+%5B%7B%22channel_participant%22%3A+1%2C+%22user_id%22%3A+%22agent-42%22%2C+%22media_participant_id%22%3A+%22%2B15555550100%22%2C+%22email%22%3A+%22alice%40example.com%22%2C+%22full_name%22%3A+%22Alice+Agent%22%2C+%22image_url%22%3A+%22https%3A%2F%2Fexample.com%2Fa.png%22%2C+%22role%22%3A+%22Agent%22%7D%2C+%7B%22channel_participant%22%3A+2%2C+%22user_id%22%3A+%22cust-7%22%2C+%22media_participant_id%22%3A+%22%2B15555550111%22%2C+%22full_name%22%3A+%22Bob+Customer%22%2C+%22role%22%3A+%22Customer%22%7D%5D%7D&CustomerKey=meeting-2024-05-01%2Froom+A&MediaStartTime=2024-05-01T13%3A45%3A30Z"
    static let capturedAuthorization = "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp0ZXN0X2F1dGhfdG9rZW5fMDEyMzQ1Njc4OWFiY2RlZg=="

    @Test("the body the server receives equals the §11 capture, field for field and byte for byte")
    func bodyMatchesCapture() async throws {
        try await TestClient.withServer { server, client in
            let transcript = try await client.createTranscript(TestClient.referenceRequest())
            #expect(transcript.status == .queued)
            #expect(transcript.customerKey == "meeting-2024-05-01/room A")
            #expect(transcript.channel?.participants == TestClient.referenceParticipants)
            let posts = server.state.requests.filter { $0.method == "POST" }
            #expect(posts.count == 1)
            let post = try #require(posts.first)
            #expect(post.uri == "/v2/Transcripts")
            #expect(post.bodyText.utf8.count == 830)
            #expect(post.bodyText == Self.capturedBody)
            // Field for field, decoded independently of our encoder.
            let fields = try #require(ServerForm.decode(post.bodyText))
            let reference = try #require(ServerForm.decode(Self.capturedBody))
            #expect(fields.map(\.0) == ["ServiceSid", "Channel", "CustomerKey", "MediaStartTime"])
            #expect(fields.map(\.0) == reference.map(\.0))
            #expect(fields.map(\.1) == reference.map(\.1))
            #expect(post.header("Authorization") == Self.capturedAuthorization)
            #expect(post.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(post.header("Accept") == "application/json")
            #expect(post.header("User-Agent")?.hasPrefix("callprep/\(TwilioIntelligenceLibrary.version) (") == true)
            #expect(server.state.transcriptCount == 1)
        }
    }

    @Test("MediaStartTime with a +02:00 offset is converted to UTC (Python drops the offset)")
    func mediaStartTimeConvertedToUTC() throws {
        let formatter = ISO8601DateFormatter()
        let date = try #require(formatter.date(from: "2024-05-01T15:45:30+02:00"))
        var request = TestClient.referenceRequest()
        request.mediaStartTime = date
        #expect(request.formFields().last?.1 == "2024-05-01T13:45:30Z")
        #expect(request.formBody.hasSuffix("&MediaStartTime=2024-05-01T13%3A45%3A30Z"))
    }

    @Test("source_sid channel without participants")
    func sourceSIDChannel() {
        let channel = Channel(media: .sourceSID("REdddddddddddddddddddddddddddddddd"))
        #expect(channel.jsonText == #"{"media_properties": {"source_sid": "REdddddddddddddddddddddddddddddddd"}}"#)
    }

    @Test("without a CustomerKey one is derived deterministically from media and channel map")
    func derivedCustomerKey() {
        let channel = Channel(media: .mediaURL(TestClient.referenceMediaURL), participants: TestClient.referenceParticipants)
        let first = TranscriptCreateRequest(serviceSID: StrictTwilioServer.serviceSID, channel: channel)
        let second = TranscriptCreateRequest(serviceSID: StrictTwilioServer.serviceSID, channel: channel)
        var swapped = channel
        swapped.participants[0].role = "Customer"
        let third = TranscriptCreateRequest(serviceSID: StrictTwilioServer.serviceSID, channel: swapped)
        #expect(first.customerKey == second.customerKey)
        #expect(first.customerKey != third.customerKey)
        #expect(first.customerKey.count == 43)
        #expect(first.customerKey.hasPrefix("cp-"))
        #expect(TranscriptCreateRequest.derivedCustomerKey(channel: channel, seed: "abc") != first.customerKey)
    }

    @Test("non-ASCII and quotes are escaped like Python json.dumps(ensure_ascii=True)")
    func pythonStyleEscapes() {
        let channel = Channel(media: .mediaURL("https://example.com/a.wav"),
                              participants: [ChannelParticipant(channelParticipant: 1, fullName: "Zoë \"Z\" 😀")])
        #expect(channel.jsonText == #"{"media_properties": {"media_url": "https://example.com/a.wav"}, "participants": [{"channel_participant": 1, "full_name": "Zo\u00eb \"Z\" \ud83d\ude00"}]}"#)
    }
}
