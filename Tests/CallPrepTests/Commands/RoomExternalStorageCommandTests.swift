import Foundation
import Testing
@testable import TwilioTestServer

/// `callprep room` when Twilio wrote recordings to the account's own S3 bucket
/// (`media_external_location`): the strict Twilio server lists them, moto's S3 server on
/// 127.0.0.1 holds their bytes, and callprep reads them through its S3 client with the bucket's
/// credentials. Every run of the binary is bounded (``CLI/uploadTimeout``), and so is moto's
/// start, so a fault fails the test instead of hanging the suite.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct RoomExternalStorageCommandTests {
    static let bucket = "twilio-recordings"
    static let ownRoom = "RM" + String(repeating: "8", count: 32)
    static let referenceRoom = "RM" + String(repeating: "9", count: 32)
    static let aliceStored = "RT" + String(repeating: "8", count: 31) + "1"
    static let bobOnTwilio = "RT" + String(repeating: "8", count: 31) + "2"

    /// Twilio's settings and the bucket's, side by side, as a user's shell would have them.
    static func environment(_ server: StrictTwilioServer, _ moto: MotoServer, folder: ScratchFolder) throws -> [String: String] {
        var environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
        environment.merge(moto.environment(home: folder.path)) { $1 }
        return environment
    }

    /// The object URL Twilio would give for `key` in the bucket (path style on moto's host).
    static func objectURL(_ moto: MotoServer, key: String) -> String {
        "\(moto.endpoint)/\(bucket)/\(key)"
    }

    /// A room of Alice and Bob as in the two-person fixture: Alice's one recording in the bucket
    /// under `key` with the size Twilio reports (`size`, default the object's), Bob's on Twilio.
    static func addRoom(_ sid: String, to server: StrictTwilioServer, aliceLocation: String?, aliceSize: Int64? = nil) throws {
        let aliceMedia = try TwilioFixtures.bytes("video/room-alice.mka")
        server.state.addVideoRoom(sid: sid, uniqueName: "own-bucket-\(sid.suffix(4))")
        server.state.addVideoParticipant(room: sid, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T10:00:04Z")
        server.state.addVideoParticipant(room: sid, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T10:00:01Z")
        let alice = sid == ownRoom ? aliceStored : "RT" + String(repeating: "9", count: 31) + "1"
        let bob = sid == ownRoom ? bobOnTwilio : "RT" + String(repeating: "9", count: 31) + "2"
        if let aliceLocation {
            server.state.addVideoRecording(room: sid, participant: TwilioFixtures.alice, sid: alice, media: nil,
                                           size: aliceSize ?? Int64(aliceMedia.count), externalLocation: aliceLocation)
        } else {
            server.state.addVideoRecording(room: sid, participant: TwilioFixtures.alice, sid: alice, media: aliceMedia)
        }
        server.state.addVideoRecording(room: sid, participant: TwilioFixtures.bob, sid: bob, media: try TwilioFixtures.bytes("video/room-bob.mka"))
    }

    /// Puts Alice's recording into the bucket under `key`.
    static func store(_ moto: MotoServer, key: String) async throws {
        let (_, status) = try await MotoServer.send("PUT", objectURL(moto, key: key), body: Data(try TwilioFixtures.bytes("video/room-alice.mka")))
        try #require(status == 200, "PUT \(key) to moto answered \(status)")
    }

    @Test func aRecordingInTheAccountsBucketIsReadThroughS3AndMergesAsFromTwilio() async throws {
        let moto = try await MotoServer(buckets: [Self.bucket])
        try await RecordingCommandTests.withServer { server, folder in
            let key = "rooms/\(Self.ownRoom)/\(Self.aliceStored).mka"
            try await Self.store(moto, key: key)
            try Self.addRoom(Self.ownRoom, to: server, aliceLocation: Self.objectURL(moto, key: key))
            try Self.addRoom(Self.referenceRoom, to: server, aliceLocation: nil)
            let environment = try Self.environment(server, moto, folder: folder)

            let out = folder.path + "/own.flac", downloads = folder.path + "/dl"
            let result = try CLI.run(["room", Self.ownRoom, "-o", out, "--allow-http", "--download-dir", downloads],
                                     environment: environment, timeout: CLI.uploadTimeout)
            #expect(result.status == 0, "\(result.stderr)")
            UploadCommandTests.expectNoSecret(result)
            IntelligenceCLITests.expectNoSecret(result)
            // Alice's bytes came from the bucket, with one signed GET; Bob's from Twilio's media host.
            #expect(try moto.requestLines().filter { $0 == "GET /\(Self.bucket)/\(key)" }.count == 1, "\((try? moto.requestLines()) ?? [])")
            #expect(!server.state.requests.contains { $0.path.contains(Self.aliceStored) && $0.path.hasSuffix("/Media") })
            #expect(server.state.requests.contains { $0.path == "/v1/Rooms/\(Self.ownRoom)/Recordings/\(Self.bobOnTwilio)/Media" })
            // The bucket's key never went to Twilio.
            #expect(!server.state.requests.contains { $0.headers.contains { $0.1.contains(MotoServer.accessKeyID) } })
            // Complete files under their SIDs, nothing partial.
            #expect(RecordingCommandTests.names(downloads) == [Self.aliceStored, Self.bobOnTwilio].map { $0 + ".mka" })
            let aliceBytes = try Data(contentsOf: URL(fileURLWithPath: downloads + "/\(Self.aliceStored).mka"))
            #expect(Array(aliceBytes) == (try TwilioFixtures.bytes("video/room-alice.mka")))

            // The same room with every recording on Twilio gives the same samples and placement.
            let reference = try CLI.run(["room", Self.referenceRoom, "-o", folder.path + "/ref.flac", "--allow-http"],
                                        environment: environment, timeout: CLI.uploadTimeout)
            #expect(reference.status == 0, "\(reference.stderr)")
            let manifest = try RoomCommandTests.manifest(folder.path + "/own.manifest.json")
            let referenceManifest = try RoomCommandTests.manifest(folder.path + "/ref.manifest.json")
            #expect(RoomCommandTests.streamMD5(manifest) != nil)
            #expect(RoomCommandTests.streamMD5(manifest) == RoomCommandTests.streamMD5(referenceManifest))
            #expect(RoomCommandTests.placement(manifest) == RoomCommandTests.placement(referenceManifest))
            let participants = try #require(manifest["participants"] as? [[String: Any]])
            #expect(participants.map { $0["full_name"] as? String } == ["alice", "bob"])
            let inputs = try #require(manifest["inputs"] as? [[String: Any]])
            #expect(inputs.map { ($0["recording"] as? [String: Any])?["sid"] as? String } == [Self.aliceStored, Self.bobOnTwilio])
            #expect(inputs.first?["size_bytes"] as? Int == aliceBytes.count)

            // Run again: the complete downloads are reused, the bucket is not asked again.
            let again = try CLI.run(["room", Self.ownRoom, "-o", out, "--allow-http", "--download-dir", downloads, "--force"],
                                    environment: environment, timeout: CLI.uploadTimeout)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try moto.requestLines().filter { $0.hasPrefix("GET /\(Self.bucket)/") }.count == 1)
        }
    }

    @Test func badObjectsAndSettingsAreRefusedWithNothingLeft() async throws {
        let moto = try await MotoServer(buckets: [Self.bucket])
        try await RecordingCommandTests.withServer { server, folder in
            let key = "rooms/\(Self.ownRoom)/\(Self.aliceStored).mka"
            try await Self.store(moto, key: key)
            let size = Int64(try TwilioFixtures.bytes("video/room-alice.mka").count)
            let environment = try Self.environment(server, moto, folder: folder)
            let out = folder.path + "/call.flac"

            /// Runs room on a fresh room whose Alice recording is at `location` with `aliceSize`
            /// and returns the error object; nothing may be left but complete downloads.
            func refusal(_ room: String, location: String, aliceSize: Int64? = nil, environment: [String: String]) throws -> [String: Any] {
                let aliceRecording = "RT" + room.dropFirst(2).prefix(31) + "1"
                let media = try TwilioFixtures.bytes("video/room-alice.mka")
                server.state.addVideoRoom(sid: room, uniqueName: "refused-\(room.suffix(4))")
                server.state.addVideoParticipant(room: room, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T10:00:01Z")
                server.state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T10:00:04Z")
                server.state.addVideoRecording(room: room, participant: TwilioFixtures.alice, sid: aliceRecording, media: nil,
                                               size: aliceSize ?? Int64(media.count), externalLocation: location)
                server.state.addVideoRecording(room: room, participant: TwilioFixtures.bob, sid: "RT" + room.dropFirst(2).prefix(31) + "2",
                                               media: try TwilioFixtures.bytes("video/room-bob.mka"))
                let downloads = folder.path + "/dl-\(room.suffix(4))"
                let result = try CLI.run(["room", room, "-o", out, "--allow-http", "--download-dir", downloads, "--json"],
                                         environment: environment, timeout: CLI.uploadTimeout)
                #expect(result.status == 1, "\(result.stderr)")
                UploadCommandTests.expectNoSecret(result)
                #expect(!FileManager.default.fileExists(atPath: out))
                #expect(!RecordingCommandTests.names(downloads).contains(aliceRecording + ".mka"))
                #expect(RecordingCommandTests.names(downloads).allSatisfy { !$0.hasPrefix(".") }, "\(RecordingCommandTests.names(downloads))")
                let error = try #require((try result.json() as? [String: Any])?["error"] as? [String: Any])
                #expect((error["message"] as? String)?.contains(aliceRecording) == true, "\(error)")
                return error
            }

            // Twilio's size and the object's disagree: refused before a byte is written.
            let wrongSize = try refusal("RM" + String(repeating: "a1", count: 16), location: Self.objectURL(moto, key: key),
                                        aliceSize: size + 1, environment: environment)
            #expect(wrongSize["code"] as? String == "size_mismatch")
            #expect((wrongSize["message"] as? String)?.contains("holds \(size) bytes, not the \(size + 1) expected") == true, "\(wrongSize)")

            // No such object in the bucket.
            let missing = try refusal("RM" + String(repeating: "a2", count: 16), location: Self.objectURL(moto, key: "rooms/none.mka"), environment: environment)
            #expect(missing["code"] as? String == "external_storage")
            #expect((missing["message"] as? String)?.contains("NoSuchKey") == true, "\(missing)")

            // An object URL on another host than the configured endpoint: its credentials stay home.
            let elsewhere = try refusal("RM" + String(repeating: "a3", count: 16), location: "http://127.0.0.2:\(moto.port)/\(Self.bucket)/\(key)",
                                        environment: environment)
            #expect(elsewhere["code"] as? String == "external_storage")
            #expect((elsewhere["message"] as? String)?.contains("is not on the configured S3 endpoint") == true, "\(elsewhere)")

            // No S3 credentials at all: refused before anything is downloaded, saying what to set.
            var bare = environment
            for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] { bare[name] = nil }
            let unconfigured = "RM" + String(repeating: "a4", count: 16)
            let noCredentials = try refusal(unconfigured, location: Self.objectURL(moto, key: key), environment: bare)
            #expect(noCredentials["code"] as? String == "external_storage")
            #expect((noCredentials["message"] as? String)?.contains("AWS_ACCESS_KEY_ID") == true, "\(noCredentials)")
            #expect(!server.state.requests.contains { $0.path.hasPrefix("/v1/Rooms/\(unconfigured)/Recordings/") && $0.path.hasSuffix("/Media") })
            // The bucket was asked twice (the wrong size, read from the answer's headers, and the
            // missing key); the other refusals came before any request to it.
            #expect(try moto.requestLines().filter { $0.hasPrefix("GET /\(Self.bucket)/") } == ["GET /\(Self.bucket)/\(key)", "GET /\(Self.bucket)/rooms/none.mka"])
        }
    }
}
