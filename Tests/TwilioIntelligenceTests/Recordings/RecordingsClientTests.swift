import Foundation
import Testing
@testable import TwilioIntelligence
@testable import TwilioTestServer

/// Rooms, Participants, Recordings, Compositions and Voice Recordings read from the strict
/// server through the shared transport, retry and paging machinery.
@Suite struct RecordingsClientTests {
    @Test func roomAndBothParticipantStatusesInJoinOrder() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            let room = try await client.room(TwilioFixtures.twoPersonRoom)
            #expect(room.status == "completed")
            #expect(room.uniqueName == "support-call")
            #expect(room.hasEnded)
            let participants = try await client.allParticipants(ofRoom: TwilioFixtures.twoPersonRoom)
            #expect(participants.map(\.identity) == ["alice", "bob"])
            #expect(participants.map(\.sid) == [TwilioFixtures.alice, TwilioFixtures.bob])
            // Twilio lists connected participants only unless asked: both statuses were asked for.
            let queries = server.state.requests.filter { $0.path.hasSuffix("/Participants") }.compactMap(\.query)
            #expect(queries.contains { $0.contains("Status=connected") })
            #expect(queries.contains { $0.contains("Status=disconnected") })
        }
    }

    @Test func participantsStillConnectedAreIncluded() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            let room = "RM" + String(repeating: "7", count: 32)
            server.state.addVideoRoom(sid: room, uniqueName: "live", status: "in-progress")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.carol, identity: "carol", startTime: "2026-12-01T12:00:09Z", status: "connected")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T12:00:02Z")
            let participants = try await client.allParticipants(ofRoom: room)
            #expect(participants.map(\.identity) == ["bob", "carol"])
            #expect(participants.map(\.status) == ["disconnected", "connected"])
            #expect(try await client.room(room).hasEnded == false)
        }
    }

    @Test func recordingsEveryPageOnePerPage() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            let recordings = try await client.roomRecordings(TwilioFixtures.twoPersonRoom, pageSize: 1).collect()
            #expect(recordings.map(\.sid) == [TwilioFixtures.aliceFirst, TwilioFixtures.bobRecording, TwilioFixtures.aliceVideo, TwilioFixtures.aliceReconnect])
            #expect(recordings.map(\.type) == ["audio", "audio", "video", "audio"])
            #expect(recordings[0].participantSID == TwilioFixtures.alice)
            #expect(recordings[0].size == Int64(try TwilioFixtures.bytes("video/room-alice.mka").count))
            #expect(recordings[0].offset == 3_600_000)
            #expect(recordings[0].containerFormat == "mka")
            #expect(server.state.requests.filter { $0.path.hasSuffix("/Recordings") }.count == 4)
        }
    }

    @Test func listFailuresAreRetried() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            let path = "/v1/Rooms/\(TwilioFixtures.twoPersonRoom)/Recordings"
            server.state.inject(.errorBeforeActing(status: 503), method: "GET", path: path)
            server.state.inject(.dropBeforeActing, method: "GET", path: path, skip: 1)
            let recordings = try await client.roomRecordings(TwilioFixtures.twoPersonRoom, pageSize: 2).collect()
            #expect(recordings.count == 4)
            #expect(server.state.requests.filter { $0.path == path }.count == 4)
        }
    }

    @Test func voiceRecordingAndLegacyPaging() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            let recording = try await client.voiceRecording(TwilioFixtures.voiceRecording)
            #expect(recording.channels == 2)
            #expect(recording.callSID == TwilioFixtures.voiceCall)
            #expect(recording.isCompleted)
            for index in 1...2 {
                server.state.addVoiceRecording(sid: "RE" + String(repeating: "0", count: 31) + String(index), callSID: TwilioFixtures.voiceCall,
                                               channels: 1, mono: [:], dual: [:])
            }
            // Three recordings, one per page: next_page_uri (a path) is followed on the same host.
            let all = try await client.voiceRecordings(callSID: TwilioFixtures.voiceCall, pageSize: 1).collect()
            #expect(all.count == 3)
            #expect(server.state.requests.filter { $0.path.hasSuffix("/Recordings.json") }.count == 3)
        }
    }

    @Test func compositionFacts() async throws {
        try await RecordingsTestSupport.withClient { _, client, _ in
            let composition = try await client.composition(TwilioFixtures.composition)
            #expect(composition.format == "webm")
            #expect(composition.size == Int64(try TwilioFixtures.bytes("video/opus-gaps.webm").count))
            #expect(composition.roomSID == TwilioFixtures.twoPersonRoom)
        }
    }

    @Test func unknownSIDIsTwilios404AndMalformedSIDIsRefusedLocally() async throws {
        try await RecordingsTestSupport.withClient { server, client, _ in
            await #expect(throws: TwilioAPIError.self) { try await client.room("RM" + String(repeating: "9", count: 32)) }
            let before = server.state.requests.count
            await #expect(throws: IntelligenceClientError.self) { try await client.room("RM123") }
            #expect(server.state.requests.count == before)
        }
    }
}
