import Foundation
import Testing
@testable import TwilioTestServer

/// Not a test of correctness but the measurement of scripts/bench-room.sh (which makes the
/// inputs and sets `CALLPREP_BENCH_ROOM`; reported as skipped otherwise): a two-person,
/// 60-minute room served by the Twilio test server on loopback, fetched and merged by
/// `callprep room`, against downloading the same two recordings with curl (both at once, the
/// signed URL followed without credentials) and then `callprep merge --recordings`. One run
/// each; the wall times go to `$CALLPREP_BENCH_ROOM/result.txt`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CALLPREP_BENCH_ROOM"] != nil, "a benchmark: run scripts/bench-room.sh"))
struct RoomBenchmarkTests {
    static let room = "RM" + String(repeating: "b", count: 31) + "0"
    static let alice = "PA" + String(repeating: "b", count: 31) + "1"
    static let bob = "PA" + String(repeating: "b", count: 31) + "2"
    static let aliceRecording = "RT" + String(repeating: "b", count: 31) + "1"
    static let bobRecording = "RT" + String(repeating: "b", count: 31) + "2"

    /// Runs `arguments` (its output to /dev/null), returning the exit status.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        return process
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func roomAgainstCurlThenMerge() async throws {
        let work = try #require(ProcessInfo.processInfo.environment["CALLPREP_BENCH_ROOM"])
        let binary = ProcessInfo.processInfo.environment["CALLPREP_BENCH_BINARY"] ?? CLI.binary.path
        let aliceMedia = Array(try Data(contentsOf: URL(fileURLWithPath: work + "/alice.mka")))
        let bobMedia = Array(try Data(contentsOf: URL(fileURLWithPath: work + "/bob.mka")))
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        server.state.configure { $0.signedURLLifetime = 600 }
        server.state.addVideoRoom(sid: Self.room, uniqueName: "bench")
        server.state.addVideoParticipant(room: Self.room, sid: Self.alice, identity: "alice", startTime: "2026-12-01T10:00:00Z")
        server.state.addVideoParticipant(room: Self.room, sid: Self.bob, identity: "bob", startTime: "2026-12-01T10:00:01Z")
        server.state.addVideoRecording(room: Self.room, participant: Self.alice, sid: Self.aliceRecording, media: aliceMedia)
        server.state.addVideoRecording(room: Self.room, participant: Self.bob, sid: Self.bobRecording, media: bobMedia)
        let environment = RecordingCommandTests.environment(server)
        for folder in ["room-dl", "hand"] {
            try? FileManager.default.removeItem(atPath: work + "/" + folder)
            try FileManager.default.createDirectory(atPath: work + "/" + folder, withIntermediateDirectories: true)
        }

        // callprep room: room, lists, both downloads at once, merge.
        var clock = ContinuousClock.now
        let room = try Self.start(binary, ["room", Self.room, "-o", work + "/room.flac", "--download-dir", work + "/room-dl",
                                           "--allow-http", "--force", "--quiet"], environment: environment)
        room.waitUntilExit()
        let roomSeconds = Self.seconds(since: clock)
        #expect(room.terminationStatus == 0)
        // Again, with the downloads already complete in --download-dir (reused): the API requests
        // and the merge alone, so the difference is what downloading cost.
        clock = ContinuousClock.now
        let again = try Self.start(binary, ["room", Self.room, "-o", work + "/room-again.flac", "--download-dir", work + "/room-dl",
                                            "--allow-http", "--force", "--quiet"], environment: environment)
        again.waitUntilExit()
        let againSeconds = Self.seconds(since: clock)
        #expect(again.terminationStatus == 0)

        // By hand: the Recordings list and both media files with curl (at once), then merge.
        clock = ContinuousClock.now
        let user = "\(environment["TWILIO_ACCOUNT_SID"]!):\(environment["TWILIO_AUTH_TOKEN"]!)"
        let list = try Self.start("/usr/bin/curl", ["-sSf", "-u", user, "-o", work + "/hand/recordings.json",
                                                   "\(server.baseURL)/v1/Rooms/\(Self.room)/Recordings"], environment: environment)
        list.waitUntilExit()
        // -L follows the 302 to the media host; curl sends -u's credentials to the first host only.
        let downloads = try [Self.aliceRecording, Self.bobRecording].map { sid in
            try Self.start("/usr/bin/curl", ["-sSf", "-L", "-u", user, "-o", work + "/hand/\(sid).mka",
                                             "\(server.baseURL)/v1/Rooms/\(Self.room)/Recordings/\(sid)/Media"], environment: environment)
        }
        downloads.forEach { $0.waitUntilExit() }
        let curlSeconds = Self.seconds(since: clock)
        let merge = try Self.start(binary, ["merge", "--recordings", work + "/hand/recordings.json", "-o", work + "/hand.flac",
                                            "--force", "--quiet"], environment: environment)
        merge.waitUntilExit()
        let handSeconds = Self.seconds(since: clock)
        #expect(([list] + downloads + [merge]).allSatisfy { $0.terminationStatus == 0 })
        #expect(server.state.withLock { server.state.credentialLeaks.isEmpty })

        let md5 = { (path: String) -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            return (object?["output"] as? [String: Any])?["stream_md5"] as? String
        }
        #expect(md5(work + "/room.manifest.json") != nil)
        #expect(md5(work + "/room.manifest.json") == md5(work + "/hand.manifest.json"))
        let sizes = [aliceMedia.count, bobMedia.count].map { String(format: "%.1f MB", Double($0) / 1e6) }.joined(separator: " + ")
        let result = """
            inputs: two 60-minute Opus recordings (\(sizes)) on the Twilio test server (loopback)
            callprep room: \(String(format: "%.2f", roomSeconds)) s (again, downloads reused: \(String(format: "%.2f", againSeconds)) s)
            curl (list + both media at once): \(String(format: "%.2f", curlSeconds)) s, then merge --recordings: \(String(format: "%.2f", handSeconds - curlSeconds)) s, together \(String(format: "%.2f", handSeconds)) s
            same output: \(md5(work + "/room.manifest.json") == md5(work + "/hand.manifest.json"))

            """
        try Data(result.utf8).write(to: URL(fileURLWithPath: work + "/result.txt"))
    }
}
