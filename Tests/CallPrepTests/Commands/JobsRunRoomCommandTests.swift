import AudioPrep
import CallPrepJobs
import Foundation
import Testing
@testable import TwilioTestServer

/// Room (`RM…`) and recording (`RE…`) jobs through `callprep jobs run` against the strict Twilio
/// server (its Video and Voice fixtures), moto as the bucket and a SQLite store: a room waited
/// for, downloaded, merged with the participants' names and transcribed; a failed recording
/// failing the job by its `RT…` SID; a dual-channel Voice recording sent as it is.
@Suite("jobs run: room and recording jobs", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct JobsRunRoomCommandTests {
    typealias Setup = JobsRunCommandTests.Setup

    /// A set-up whose server also serves the Video and Voice fixtures.
    static func start() async throws -> Setup {
        let setup = try await Setup.start()
        try TwilioFixtures.install(in: setup.server.state)
        return setup
    }

    /// The run's environment with the Video and API hosts on the test server.
    static func environment(_ setup: Setup) -> [String: String] {
        var environment = setup.environment
        environment["CALLPREP_VIDEO_URL"] = setup.server.baseURL
        environment["CALLPREP_API_URL"] = setup.server.baseURL
        return environment
    }

    static func run(_ setup: Setup) throws -> CLI.Output {
        try CLI.run(setup.runArguments(workers: 1), environment: environment(setup), timeout: JobsRunCommandTests.runTimeout)
    }

    static func roomLine(_ id: String, room: String, extra: String = "") -> String {
        #"{"id": "\#(id)", "room": "\#(room)", "upload": "s3://calls/jobs/"\#(extra)}"#
    }

    /// Requests the server received for `path` with `method`.
    static func count(_ setup: Setup, _ method: String, _ path: String) -> Int {
        setup.server.state.requests.filter { $0.method == method && $0.path == path }.count
    }

    @Test("a room job waits for nothing, downloads the audio recordings, merges as `callprep room` does and ends with a transcript naming both participants")
    func roomJobFinishesWithBothNames() async throws {
        let setup = try await Self.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([Self.roomLine("room-1", room: TwilioFixtures.twoPersonRoom)]).status == 0)
        let run = try Self.run(setup)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("done 1, failed 0"), "\(run.stdout)")
        // One transcript, its participants named from the room's Participants resource.
        let transcripts = setup.server.state.allTranscripts
        #expect(transcripts.count == 1)
        let participants = (transcripts.first?["channel"] as? [String: Any])?["participants"] as? [[String: Any]] ?? []
        #expect(participants.compactMap { $0["full_name"] as? String } == ["alice", "bob"], "\(participants)")
        #expect(participants.compactMap { $0["media_participant_id"] as? String } == [TwilioFixtures.alice, TwilioFixtures.bob])
        let text = try String(contentsOfFile: setup.out + "/room-1/transcript.txt", encoding: .utf8)
        #expect(text.contains("] alice: Sentence 0 on channel 1."), "\(text)")
        #expect(text.contains("] bob: Sentence 1 on channel 2."), "\(text)")
        // The three audio recordings downloaded once each, the video track never.
        let downloads = setup.server.state.withLock { setup.server.state.mediaHostRequests.map(\.path) }
        #expect(downloads.count == 3, "\(downloads)")
        #expect(!setup.server.state.requests.contains { $0.path.contains(TwilioFixtures.aliceVideo) })
        #expect(try setup.puts() == ["/calls/jobs/room-1.flac": 1])
        let (_, steps) = try #require(try await setup.store().show(JobID("room-1")))
        #expect(steps.map(\.step) == [.validate, .fetch, .merge, .upload, .submit, .wait, .results])
        let fetch = try #require(steps.first { $0.step == .fetch })
        #expect(fetch.outputs["room_sid"]?.stringValue == TwilioFixtures.twoPersonRoom)

        // The same room through `callprep room`: the same samples.
        let reference = setup.scratch.path + "/reference.flac"
        let room = try CLI.run(["room", TwilioFixtures.twoPersonRoom, "-o", reference, "--allow-http", "--quiet"],
                               environment: Self.environment(setup), timeout: .seconds(120))
        #expect(room.status == 0, "\(room.stderr)")
        let jobManifest = try RoomCommandTests.manifest(setup.out + "/room-1/room-1.manifest.json")
        let roomManifest = try RoomCommandTests.manifest(setup.scratch.path + "/reference.manifest.json")
        #expect(RoomCommandTests.streamMD5(jobManifest) != nil)
        #expect(RoomCommandTests.streamMD5(jobManifest) == RoomCommandTests.streamMD5(roomManifest))
        #expect(RoomCommandTests.placement(jobManifest) == RoomCommandTests.placement(roomManifest))

        // Running again does nothing; the downloads are not fetched again.
        let again = try Self.run(setup)
        #expect(again.status == 0 && again.stdout.hasPrefix("done 0"), "\(again.stdout)")
        #expect(setup.server.state.withLock { setup.server.state.mediaHostRequests.count } == 3 + 3, "only `callprep room` downloaded again")
    }

    @Test("a room still in progress is waited for (the fetch step re-checks it), then the job finishes")
    func roomInProgressIsWaitedFor() async throws {
        let setup = try await Self.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let room = "RM" + String(repeating: "4", count: 32)
        let state = setup.server.state
        state.addVideoRoom(sid: room, uniqueName: "late-call", status: "in-progress")
        state.addVideoParticipant(room: room, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T12:00:01Z")
        state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T12:00:02Z")
        state.addVideoRecording(room: room, participant: TwilioFixtures.alice, sid: "RT" + String(repeating: "4", count: 31) + "1",
                                media: try TwilioFixtures.bytes("video/room-alice.mka"))
        state.addVideoRecording(room: room, participant: TwilioFixtures.bob, sid: "RT" + String(repeating: "4", count: 31) + "2",
                                media: try TwilioFixtures.bytes("video/room-bob.mka"))
        #expect(try setup.add([Self.roomLine("late", room: room)]).status == 0)
        let worker = try CLI.Background(setup.runArguments(workers: 1), environment: Self.environment(setup), folder: setup.scratch.path)
        // The room is read at least twice while in progress; nothing is downloaded meanwhile.
        let checked = CLI.waitFor(.seconds(60)) { Self.count(setup, "GET", "/v1/Rooms/\(room)") >= 2 }
        try #require(checked, "the room was not re-checked: \(worker.stderr)")
        #expect(state.withLock { state.mediaHostRequests.isEmpty })
        #expect(worker.process.isRunning)
        state.withLock {
            state.videoRooms[room]?["status"] = "completed"
            state.videoRooms[room]?["end_time"] = "2026-12-01T12:30:00Z"
            state.videoRooms[room]?["duration"] = 1800
        }
        let ended = CLI.waitFor(.seconds(120)) { !worker.process.isRunning }
        try #require(ended, "the run did not end: \(worker.stderr)")
        #expect(worker.process.terminationStatus == 0, "\(worker.stderr)")
        let (job, steps) = try #require(try await setup.store().show(JobID("late")))
        #expect(job.state == .done)
        // One fetch run did the waiting.
        #expect(steps.filter { $0.step == .fetch }.map(\.outcome) == [.finished])
        #expect(state.withLock { state.mediaHostRequests.count } == 2)
        let participants = (setup.server.state.allTranscripts.first?["channel"] as? [String: Any])?["participants"] as? [[String: Any]] ?? []
        #expect(participants.compactMap { $0["full_name"] as? String } == ["alice", "bob"])
    }

    @Test("a failed recording fails the job at fetch, naming its RT SID; nothing is downloaded or submitted")
    func failedRecordingFailsTheJob() async throws {
        let setup = try await Self.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let room = "RM" + String(repeating: "5", count: 32)
        let failed = "RT" + String(repeating: "5", count: 31) + "2"
        let state = setup.server.state
        state.addVideoRoom(sid: room, uniqueName: "broken-call")
        state.addVideoParticipant(room: room, sid: TwilioFixtures.alice, identity: "alice", startTime: "2026-12-01T12:00:01Z")
        state.addVideoParticipant(room: room, sid: TwilioFixtures.bob, identity: "bob", startTime: "2026-12-01T12:00:02Z")
        state.addVideoRecording(room: room, participant: TwilioFixtures.alice, sid: "RT" + String(repeating: "5", count: 31) + "1",
                                media: try TwilioFixtures.bytes("video/room-alice.mka"))
        state.addVideoRecording(room: room, participant: TwilioFixtures.bob, sid: failed, media: nil, status: "failed", size: 0)
        #expect(try setup.add([Self.roomLine("broken", room: room), JobsRunCommandTests.jobLine("fine")]).status == 0)
        let run = try Self.run(setup)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("done 1, failed 1"), "\(run.stdout)")
        let (job, steps) = try #require(try await setup.store().show(JobID("broken")))
        #expect(job.state == .failed && job.error?.step == .fetch, "\(String(describing: job.error))")
        #expect(job.error?.code == "not_ready")
        #expect(job.error?.message.contains(failed) == true && job.error?.message.contains("is failed") == true, "\(String(describing: job.error))")
        // A permanent failure: one fetch run.
        #expect(steps.filter { $0.step == .fetch }.count == 1)
        #expect(state.withLock { state.mediaHostRequests.isEmpty })
        #expect(setup.posts == 1, "only the tracks job was submitted")
    }

    @Test("a recording job downloads the dual-channel Voice recording (RequestedChannels=2) and submits it as it is, with the job's names")
    func recordingJobSendsTheDualChannelFile() async throws {
        let setup = try await Self.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let line = #"{"id": "voice-1", "recording": "\#(TwilioFixtures.voiceRecording)", "participants": [{"channel": 1, "full_name": "Alex Agent"}, {"channel": 2, "full_name": "Casey Caller"}], "upload": "s3://calls/jobs/"}"#
        #expect(try setup.add([line]).status == 0)
        let run = try Self.run(setup)
        #expect(run.status == 0, "\(run.stderr)")
        let wav = setup.out + "/voice-1/voice-1.wav"
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: wav))) == (try TwilioFixtures.bytes("edge/dual-channel.wav")))
        let media = setup.server.state.requests.filter { $0.path.hasSuffix("/Recordings/\(TwilioFixtures.voiceRecording).wav") }
        #expect(media.count == 1 && media.first?.query == "RequestedChannels=2", "\(media.map { $0.query ?? "" })")
        #expect(try setup.puts() == ["/calls/jobs/voice-1.wav": 1])
        let participants = (setup.server.state.allTranscripts.first?["channel"] as? [String: Any])?["participants"] as? [[String: Any]] ?? []
        #expect(participants.compactMap { $0["full_name"] as? String } == ["Alex Agent", "Casey Caller"])
        let (_, steps) = try #require(try await setup.store().show(JobID("voice-1")))
        #expect(steps.map(\.step) == [.validate, .fetch, .upload, .submit, .wait, .results])
        #expect(steps.first { $0.step == .fetch }?.outputs["channels"] == .int(2))
    }
}
