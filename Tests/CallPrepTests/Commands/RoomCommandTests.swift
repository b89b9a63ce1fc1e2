import Crypto
import Foundation
import Testing
@testable import TwilioTestServer

/// `callprep room RM… -o OUT.flac` through the built binary against the strict Twilio server:
/// the same samples as `merge --recordings` on the same files fetched by hand, names from the
/// Participants resource, faults ending in a complete output or a clear error with nothing left.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct RoomCommandTests {
    /// The environment for a run: credentials, Video/API URLs on the server, and a private TMPDIR.
    static func environment(_ server: StrictTwilioServer, tmp: String) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        var environment = RecordingCommandTests.environment(server)
        environment["TMPDIR"] = tmp
        return environment
    }

    static func manifest(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func streamMD5(_ manifest: [String: Any]) -> String? {
        (manifest["output"] as? [String: Any])?["stream_md5"] as? String
    }

    @Test func twoPersonRoomMatchesMergeOfTheSameFilesByHand() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try Self.environment(server, tmp: folder.path + "/tmp")
            let out = folder.path + "/call.flac"
            let result = try CLI.run(["room", TwilioFixtures.twoPersonRoom, "-o", out, "--allow-http"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            IntelligenceCLITests.expectNoSecret(result)
            let manifest = try Self.manifest(folder.path + "/call.manifest.json")
            let participants = try #require(manifest["participants"] as? [[String: Any]])
            #expect(participants.map { $0["full_name"] as? String } == ["alice", "bob"])
            #expect(participants.map { $0["user_id"] as? String } == ["alice", "bob"])
            #expect(participants.map { $0["media_participant_id"] as? String } == [TwilioFixtures.alice, TwilioFixtures.bob])
            #expect(manifest["room_sid"] as? String == TwilioFixtures.twoPersonRoom)
            let inputs = try #require(manifest["inputs"] as? [[String: Any]])
            let recordings = inputs.map { $0["recording"] as? [String: Any] }
            #expect(recordings.map { $0?["sid"] as? String } == [TwilioFixtures.aliceFirst, TwilioFixtures.aliceReconnect, TwilioFixtures.bobRecording])
            #expect(recordings.map { $0?["participant_sid"] as? String } == [TwilioFixtures.alice, TwilioFixtures.alice, TwilioFixtures.bob])
            #expect(inputs.map { $0["channel"] as? Int } == [1, 1, 2])
            #expect(recordings.map { $0?["offset_ms"] as? Int } == [3_600_000, 3_600_000, 3_600_000])
            #expect(inputs[2]["size_bytes"] as? Int == (try TwilioFixtures.bytes("video/room-bob.mka")).count)
            // The video track was never fetched; the temporary downloads are gone.
            #expect(!server.state.requests.contains { $0.path.contains(TwilioFixtures.aliceVideo) })
            #expect(RecordingCommandTests.names(folder.path + "/tmp").isEmpty)

            // By hand: the same files named after their SIDs, the Recordings JSON, merge --recordings.
            let hand = folder.path + "/hand"
            try FileManager.default.createDirectory(atPath: hand, withIntermediateDirectories: true)
            let records = server.state.withLock { server.state.videoRecordings }
                .filter { ($0["grouping_sids"] as? [String: Any])?["room_sid"] as? String == TwilioFixtures.twoPersonRoom }
            try JSONSerialization.data(withJSONObject: ["recordings": records]).write(to: URL(fileURLWithPath: hand + "/recordings.json"))
            try Data(try TwilioFixtures.bytes("video/room-alice.mka")).write(to: URL(fileURLWithPath: hand + "/\(TwilioFixtures.aliceFirst).mka"))
            try Data(try TwilioFixtures.aliceReconnectMedia()).write(to: URL(fileURLWithPath: hand + "/\(TwilioFixtures.aliceReconnect).mka"))
            try Data(try TwilioFixtures.bytes("video/room-bob.mka")).write(to: URL(fileURLWithPath: hand + "/\(TwilioFixtures.bobRecording).mka"))
            let reference = try CLI.run(["merge", "--recordings", hand + "/recordings.json", "-o", hand + "/ref.flac", "--quiet"])
            #expect(reference.status == 0, "\(reference.stderr)")
            let referenceManifest = try Self.manifest(hand + "/ref.manifest.json")
            #expect(Self.streamMD5(manifest) != nil)
            #expect(Self.streamMD5(manifest) == Self.streamMD5(referenceManifest))
            #expect((manifest["output"] as? [String: Any])?["frames"] as? Int == (referenceManifest["output"] as? [String: Any])?["frames"] as? Int)
            // One way to merge a room: the same channel placement and channel map as merge --recordings.
            #expect(Self.placement(manifest) == Self.placement(referenceManifest))
            #expect(referenceManifest["room_sid"] as? String == TwilioFixtures.twoPersonRoom)
            // The hashes room took as the bytes arrived are those of the media the server holds
            // (the reconnect's file is remuxed anew by each fixture call, so by hand it differs).
            let hashes = ((manifest["inputs"] as? [[String: Any]]) ?? []).map { $0["sha256"] as? String }
            let served = try [TwilioFixtures.aliceFirst, TwilioFixtures.aliceReconnect, TwilioFixtures.bobRecording].map { sid in
                let bytes = try #require(server.state.withLock { server.state.mediaFiles[sid] })
                return SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined() as String?
            }
            #expect(hashes == served)
        }
    }

    /// Each channel's frames and mix facts, comparable across manifests.
    static func placement(_ manifest: [String: Any]) -> [String] {
        ((manifest["channels"] as? [[String: Any]]) ?? []).map { channel in
            ["channel", "lead_frames", "content_frames", "tail_frames", "mixed_streams", "clipped_samples"]
                .map { "\($0)=\(channel[$0].map { "\($0)" } ?? "-")" }.joined(separator: " ")
        }
    }

    @Test func threePeopleNeedChannelsAndNamesComeFromParticipants() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try Self.environment(server, tmp: folder.path + "/tmp")
            let out = folder.path + "/team.flac"
            let refused = try CLI.run(["room", TwilioFixtures.threePersonRoom, "-o", out, "--allow-http"], environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("the room has 3 participants with audio: carol (\(TwilioFixtures.carol), 1 recording); alice (\(TwilioFixtures.alice), 1 recording); bob (\(TwilioFixtures.bob), 1 recording)"))
            #expect(refused.stderr.contains("e.g. --channel 1=carol --channel 2=alice,bob"))
            // Refused before any download.
            #expect(!server.state.requests.contains { $0.path.hasSuffix("/Media") })
            #expect(!FileManager.default.fileExists(atPath: out))
            let result = try CLI.run(["room", TwilioFixtures.threePersonRoom, "-o", out, "--allow-http", "--channel", "1=carol",
                                      "--channel", "2=\(TwilioFixtures.bob)", "--participant", "1:role=Agent", "--json"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("alice (\(TwilioFixtures.alice), 1 recording) has audio but is on neither channel"))
            let manifest = try #require(try result.json() as? [String: Any])
            let participants = try #require(manifest["participants"] as? [[String: Any]])
            #expect(participants.map { $0["full_name"] as? String } == ["carol", "bob"])
            #expect(participants.first?["role"] as? String == "Agent")
            // Alice's recording was not downloaded.
            #expect(!server.state.requests.contains { $0.path.contains(TwilioFixtures.aliceInThree) && $0.path.hasSuffix("/Media") })
        }
    }

    @Test func aRoomInProgressIsReportedOrWaitedFor() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try Self.environment(server, tmp: folder.path + "/tmp")
            let room = "RM" + String(repeating: "4", count: 32)
            server.state.addVideoRoom(sid: room, uniqueName: "live", status: "in-progress")
            let now = try CLI.run(["room", room, "-o", folder.path + "/live.flac", "--allow-http"], environment: environment)
            #expect(now.status == 1)
            #expect(now.stderr.contains("is still in progress"))
            #expect(now.stderr.contains("--wait"))
            let waited = try CLI.run(["room", room, "-o", folder.path + "/live.flac", "--allow-http", "--wait", "--timeout", "1s", "--poll-interval", "200ms"], environment: environment)
            #expect(waited.status == 1)
            #expect(waited.stderr.contains("after waiting"))
            #expect(server.state.requests.filter { $0.path == "/v1/Rooms/\(room)" }.count >= 3)
        }
    }

    @Test func faultsEndInACompleteOutput() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try Self.environment(server, tmp: folder.path + "/tmp")
            server.state.inject(.errorBeforeActing(status: 503), method: "GET", path: "/v1/Rooms/\(TwilioFixtures.twoPersonRoom)/Recordings")
            server.state.inject(.dropBeforeActing, method: "GET", path: "/v1/Rooms/\(TwilioFixtures.twoPersonRoom)/Participants")
            server.state.configure { $0.mediaHostFaults = [.reset, .truncate(keepBytes: 700), .status(503)]; $0.expireNextSignedURLs = 1 }
            let out = folder.path + "/call.flac"
            let result = try CLI.run(["room", TwilioFixtures.twoPersonRoom, "-o", out, "--allow-http", "--download-dir", folder.path + "/dl"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: out))
            #expect(RecordingCommandTests.names(folder.path + "/dl") == [TwilioFixtures.aliceFirst, TwilioFixtures.aliceReconnect, TwilioFixtures.bobRecording].map { $0 + ".mka" })
        }
    }

    @Test func aDownloadThatKeepsFailingLeavesNothingPartial() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try Self.environment(server, tmp: folder.path + "/tmp")
            server.state.configure { $0.mediaHostFaults = Array(repeating: .truncate(keepBytes: 100), count: 40) }
            let out = folder.path + "/call.flac"
            let result = try CLI.run(["room", TwilioFixtures.twoPersonRoom, "-o", out, "--allow-http", "--download-dir", folder.path + "/dl",
                                      "--max-attempts", "2", "--json"], environment: environment)
            #expect(result.status == 1)
            let error = try #require((try result.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "size_mismatch")
            #expect(!FileManager.default.fileExists(atPath: out))
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.manifest.json"))
            #expect(RecordingCommandTests.names(folder.path + "/dl").allSatisfy { !$0.hasPrefix(".") })
            #expect(RecordingCommandTests.names(folder.path).filter { $0.hasPrefix(".") }.isEmpty)
        }
    }

    /// With S3 credentials: RoomExternalStorageCommandTests.
    @Test func aRecordingInTheAccountsOwnBucketWithoutS3CredentialsIsRefusedBeforeAnyDownload() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            var environment = try Self.environment(server, tmp: folder.path + "/tmp")
            // An empty HOME: no ~/.aws of this machine takes part.
            environment["HOME"] = folder.path
            let room = "RM" + String(repeating: "6", count: 32)
            server.state.addVideoRoom(sid: room, uniqueName: "own-bucket")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T13:00:01Z")
            server.state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T13:00:02Z")
            let stored = "RT" + String(repeating: "6", count: 32)
            server.state.addVideoRecording(room: room, participant: TwilioFixtures.alice, sid: stored, media: nil, size: 1234,
                                           externalLocation: "https://calls.s3.amazonaws.com/rooms/\(stored).mka")
            server.state.addVideoRecording(room: room, participant: TwilioFixtures.bob, sid: "RT" + String(repeating: "7", count: 32),
                                           media: try TwilioFixtures.bytes("video/room-bob.mka"))
            let result = try CLI.run(["room", room, "-o", folder.path + "/call.flac", "--allow-http", "--download-dir", folder.path + "/dl", "--json"],
                                     environment: environment, timeout: CLI.uploadTimeout)
            #expect(result.status == 1)
            let error = try #require((try result.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "external_storage")
            #expect(result.stderr.contains("\(stored): is stored in the account's own S3 bucket (media_external_location), which needs that bucket's S3 settings: MissingCredentials"), "\(result.stderr)")
            #expect(result.stderr.contains("AWS_ACCESS_KEY_ID"))
            // Refused before anything is downloaded, Twilio's media host included.
            #expect(!server.state.requests.contains { $0.path.hasSuffix("/Media") })
            #expect(RecordingCommandTests.names(folder.path + "/dl").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.flac"))
        }
    }
}
