import AudioPrep
import Foundation
import Testing
@testable import TwilioTestServer

/// `callprep room` with several people on one channel, through the built binary against the
/// strict Twilio server: the mixed channel is the sum of the decoded downloads, `room` gives
/// what `merge --recordings` gives for the same files, and a participant who reconnects under a
/// new PA… SID stays one person.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct RoomMixCommandTests {
    static func manifest(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The three-person room: Carol on channel 1, Alice and Bob mixed on channel 2, at 48 kHz
    /// (the Opus recordings' own rate, so channel 2 is not resampled).
    static let mixArguments = ["--channel", "1=carol", "--channel", "2=alice,bob", "--sample-rate", "48000"]

    @Test func aMixedChannelIsTheSumOfTheDecodedDownloads() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
            let out = folder.path + "/team.flac", downloads = folder.path + "/dl"
            let result = try CLI.run(["room", TwilioFixtures.threePersonRoom, "-o", out, "--allow-http", "--download-dir", downloads, "--json"]
                                     + Self.mixArguments, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let manifest = try #require(try result.json() as? [String: Any])
            #expect(manifest["room_sid"] as? String == TwilioFixtures.threePersonRoom)
            let participants = try #require(manifest["participants"] as? [[String: Any]])
            #expect(participants.map { $0["full_name"] as? String } == ["carol", "alice, bob"])
            #expect(participants.map { $0["media_participant_id"] as? String } == [TwilioFixtures.carol, nil])
            let channels = try #require(manifest["channels"] as? [[String: Any]])
            #expect(channels.map { $0["mixed_streams"] as? Int } == [nil, 2])
            let inputs = try #require(manifest["inputs"] as? [[String: Any]])
            let mixed = inputs.filter { $0["channel"] as? Int == 2 }
            #expect(mixed.map { ($0["recording"] as? [String: Any])?["sid"] as? String } == [TwilioFixtures.aliceInThree, TwilioFixtures.bobInThree])

            // The reference: each download decoded, placed where its timestamps put it on the
            // output timeline, summed, quantized as the merge quantizes channel 2.
            let origin = try #require(manifest["timeline_origin_ns"] as? Int)
            let frames = try #require((manifest["output"] as? [String: Any])?["frames"] as? Int)
            var streams: [(samples: [Float], lead: Int)] = []
            for input in mixed {
                let path = try #require(input["path"] as? String)
                #expect(path.hasPrefix(downloads + "/"))
                let start = try #require(input["start_time_ns"] as? Int) + ((input["offset_ns"] as? Int) ?? 0)
                let lead = Int(TrackTimeline.frames(nanoseconds: Int64(start - origin), rate: 48000))
                streams.append((try MixedChannelReference.decoded(path), lead))
            }
            #expect(streams.map(\.lead) != [0, 0], "the two recordings start at different times: a real placement")
            let expected = MixedChannelReference.channel(2, streams: streams, frames: frames)
            let written = try MixedChannelReference.samples(ofChannel: 2, in: out)
            #expect(written.count == frames)
            #expect(written == expected)
            // Both speak at once somewhere: the sum is a real mix, not one stream after the other.
            let overlap = max(streams[0].lead, streams[1].lead)..<min(streams[0].lead + streams[0].samples.count, streams[1].lead + streams[1].samples.count)
            #expect(!overlap.isEmpty)
            #expect(channels[1]["clipped_samples"] as? Int == 0)
        }
    }

    @Test func roomGivesWhatMergeRecordingsGivesForTheSameFiles() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
            let downloads = folder.path + "/dl"
            let room = try CLI.run(["room", TwilioFixtures.threePersonRoom, "-o", folder.path + "/room.flac", "--allow-http",
                                    "--download-dir", downloads, "--participant", "1:role=Agent", "--quiet"] + Self.mixArguments,
                                   environment: environment)
            #expect(room.status == 0, "\(room.stderr)")
            // The same files, with the Recordings and Participants JSON as the API serves them.
            let records = server.state.withLock { server.state.videoRecordings }
                .filter { ($0["grouping_sids"] as? [String: Any])?["room_sid"] as? String == TwilioFixtures.threePersonRoom }
            try JSONSerialization.data(withJSONObject: ["recordings": records]).write(to: URL(fileURLWithPath: downloads + "/recordings.json"))
            let people = server.state.withLock { server.state.videoParticipants[TwilioFixtures.threePersonRoom] ?? [] }
            try JSONSerialization.data(withJSONObject: ["participants": people]).write(to: URL(fileURLWithPath: downloads + "/participants.json"))
            let merge = try CLI.run(["merge", "--recordings", downloads + "/recordings.json", "--participants", downloads + "/participants.json",
                                     "-o", folder.path + "/merge.flac", "--participant", "1:role=Agent", "--quiet"] + Self.mixArguments)
            #expect(merge.status == 0, "\(merge.stderr)")

            let fromRoom = try Self.manifest(folder.path + "/room.manifest.json")
            let fromMerge = try Self.manifest(folder.path + "/merge.manifest.json")
            #expect((fromRoom["output"] as? [String: Any])?["stream_md5"] as? String != nil)
            #expect((fromRoom["output"] as? [String: Any])?["stream_md5"] as? String == (fromMerge["output"] as? [String: Any])?["stream_md5"] as? String)
            #expect(RoomCommandTests.placement(fromRoom) == RoomCommandTests.placement(fromMerge))
            for key in ["room_sid", "participants", "inputs", "timeline_origin_ns", "alignment"] {
                #expect(Self.text(fromRoom[key]) == Self.text(fromMerge[key]), "\(key)")
            }
        }
    }

    @Test func aParticipantWhoReconnectsUnderANewSIDIsOnePerson() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
            let room = "RM" + String(repeating: "5", count: 32)
            let again = "PA" + String(repeating: "9", count: 32)
            let reconnect = "RT" + String(repeating: "9", count: 32)
            server.state.addVideoRoom(sid: room, uniqueName: "dropped-call")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T12:00:01Z")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T12:00:02Z")
            // Alice's connection dropped; she came back as a new participant with the same identity.
            server.state.addVideoParticipant(room: room, sid: again, identity: "alice", startTime: "2026-12-01T12:00:09Z")
            server.state.addVideoRecording(room: room, participant: TwilioFixtures.alice, sid: "RT" + String(repeating: "7", count: 32),
                                           media: try TwilioFixtures.bytes("video/room-alice.mka"))
            server.state.addVideoRecording(room: room, participant: TwilioFixtures.bob, sid: "RT" + String(repeating: "8", count: 32),
                                           media: try TwilioFixtures.bytes("video/room-bob.mka"))
            server.state.addVideoRecording(room: room, participant: again, sid: reconnect, media: try TwilioFixtures.aliceReconnectMedia())
            let result = try CLI.run(["room", room, "-o", folder.path + "/call.flac", "--allow-http", "--json"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let manifest = try #require(try result.json() as? [String: Any])
            let participants = try #require(manifest["participants"] as? [[String: Any]])
            #expect(participants.map { $0["full_name"] as? String } == ["alice", "bob"])
            #expect(participants.map { $0["media_participant_id"] as? String } == ["\(TwilioFixtures.alice),\(again)", TwilioFixtures.bob])
            let inputs = try #require(manifest["inputs"] as? [[String: Any]])
            #expect(inputs.map { $0["channel"] as? Int } == [1, 1, 2])
            #expect(inputs.map { ($0["recording"] as? [String: Any])?["participant_sid"] as? String } == [TwilioFixtures.alice, again, TwilioFixtures.bob])
            // Her two recordings do not overlap (the second starts 6 s later): one stream, not a mix.
            let channels = try #require(manifest["channels"] as? [[String: Any]])
            #expect(channels.map { $0["mixed_streams"] as? Int } == [nil, nil])
        }
    }

    /// A JSON value as text, for comparing parts of two manifests.
    static func text(_ value: Any?) -> String {
        guard let value else { return "null" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
