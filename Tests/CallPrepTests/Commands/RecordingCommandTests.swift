import Foundation
import Testing
@testable import TwilioTestServer

/// `callprep recording SID -o FILE` through the built binary against the strict Twilio server
/// and its media host.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct RecordingCommandTests {
    static func environment(_ server: StrictTwilioServer) -> [String: String] {
        var environment = IntelligenceCLITests.environment(server)
        environment["CALLPREP_VIDEO_URL"] = server.baseURL
        environment["CALLPREP_API_URL"] = server.baseURL
        return environment
    }

    static func withServer(_ body: (StrictTwilioServer, ScratchFolder) async throws -> Void) async throws {
        let server = try await StrictTwilioServer.start()
        try TwilioFixtures.install(in: server.state)
        let folder = try ScratchFolder()
        do {
            try await body(server, folder)
            #expect(server.state.withLock { server.state.credentialLeaks.isEmpty })
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    @Test func trackRecordingSavedWithItsFacts() async throws {
        try await Self.withServer { server, folder in
            let path = folder.path + "/alice.mka"
            let result = try CLI.run(["recording", TwilioFixtures.aliceFirst, "-o", path, "--allow-http", "--json"], environment: Self.environment(server))
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try result.json() as? [String: Any])
            #expect(object["kind"] as? String == "track_recording")
            #expect(object["participant_sid"] as? String == TwilioFixtures.alice)
            #expect(object["room_sid"] as? String == TwilioFixtures.twoPersonRoom)
            #expect(object["codec"] as? String == "OPUS")
            #expect(object["path"] as? String == path)
            let bytes = try TwilioFixtures.bytes("video/room-alice.mka")
            #expect(object["bytes"] as? Int == bytes.count)
            #expect(object["reused"] as? Bool == false)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
            IntelligenceCLITests.expectNoSecret(result)
            // Run again: the complete file is kept, nothing downloaded.
            let again = try CLI.run(["recording", TwilioFixtures.aliceFirst, "-o", path, "--allow-http"], environment: Self.environment(server))
            #expect(again.status == 0)
            #expect(again.stdout.hasPrefix("kept \(TwilioFixtures.aliceFirst)"))
            #expect(server.state.withLock { server.state.mediaHostRequests.count } == 1)
        }
    }

    @Test func voiceRecordingArrivesWithBothChannels() async throws {
        try await Self.withServer { server, folder in
            let path = folder.path + "/call.wav"
            let result = try CLI.run(["recording", TwilioFixtures.voiceRecording, "-o", path, "--allow-http", "--json"], environment: Self.environment(server))
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try result.json() as? [String: Any])
            #expect(object["channels"] as? Int == 2)
            #expect(object["format"] as? String == "wav")
            #expect(server.state.requests.contains { $0.path.hasSuffix("\(TwilioFixtures.voiceRecording).wav") && $0.query == "RequestedChannels=2" })
            let probe = try CLI.run(["probe", "--json", path])
            let facts = try #require(try probe.json() as? [[String: Any]])
            #expect(facts.first?["channels"] as? Int == 2)
            #expect(facts.first?["frames"] as? Int == 64_000)
        }
    }

    @Test func compositionSaved() async throws {
        try await Self.withServer { server, folder in
            let path = folder.path + "/composition.webm"
            let result = try CLI.run(["recording", TwilioFixtures.composition, "-o", path, "--allow-http"], environment: Self.environment(server))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == (try TwilioFixtures.bytes("video/opus-gaps.webm")))
        }
    }

    @Test func refusalsLeaveNothing() async throws {
        try await Self.withServer { server, folder in
            let environment = Self.environment(server)
            // Plain http media without --allow-http.
            let insecure = try CLI.run(["recording", TwilioFixtures.aliceFirst, "-o", folder.path + "/a.mka", "--json"], environment: environment)
            #expect(insecure.status == 1)
            let error = try #require((try insecure.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "unusable_redirect")
            #expect(insecure.stderr.contains("--allow-http"))
            // Still processing.
            let processing = "RT" + String(repeating: "5", count: 32)
            server.state.addVideoRecording(room: TwilioFixtures.twoPersonRoom, participant: TwilioFixtures.bob, sid: processing, media: nil, status: "processing")
            let notReady = try CLI.run(["recording", processing, "-o", folder.path + "/p.mka", "--allow-http"], environment: environment)
            #expect(notReady.status == 1)
            #expect(notReady.stderr.contains("is processing, not completed"))
            // In the account's own bucket.
            let external = "RT" + String(repeating: "6", count: 32)
            server.state.addVideoRecording(room: TwilioFixtures.twoPersonRoom, participant: TwilioFixtures.bob, sid: external, media: nil,
                                           externalLocation: "https://bucket.s3.amazonaws.com/rec.mka")
            let bucket = try CLI.run(["recording", external, "-o", folder.path + "/e.mka", "--allow-http", "--json"], environment: environment)
            #expect(bucket.status == 1)
            #expect(((try bucket.json() as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "external_storage")
            // An unrelated existing file is not replaced without --force.
            let existing = try folder.write("keep me", as: "keep.mka")
            let refused = try CLI.run(["recording", TwilioFixtures.aliceFirst, "-o", existing, "--allow-http"], environment: environment)
            #expect(refused.status == 1)
            #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
            let forced = try CLI.run(["recording", TwilioFixtures.aliceFirst, "-o", existing, "--allow-http", "--force"], environment: environment)
            #expect(forced.status == 0)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: existing))) == (try TwilioFixtures.bytes("video/room-alice.mka")))
            #expect(RecordingCommandTests.names(folder.path) == ["keep.mka"])
            // A Voice recording needs .wav or .mp3: a usage error.
            let usage = try CLI.run(["recording", TwilioFixtures.voiceRecording, "-o", folder.path + "/call.flac"], environment: environment)
            #expect(usage.status == 2)
        }
    }

    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}
