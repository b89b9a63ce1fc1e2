import CallPrepJobs
import Foundation
import Testing
@testable import TwilioTestServer
#if canImport(Glibc)
import Glibc
#endif

/// `callprep serve` end to end through the built binary: Twilio's callbacks signed as Twilio
/// signs them (HMAC-SHA1 with the Auth Token over the public URL), the strict Twilio server's
/// Video fixtures, moto as the bucket, a SQLite store.
@Suite("serve: Twilio's callbacks start and finish jobs", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct ServeCommandTests {
    typealias Setup = JobsRunCommandTests.Setup

    /// The worker flags of the tests' `jobs run`, for `serve`.
    static func workerArguments(_ setup: Setup, workers: Int, pollInterval: String = "100ms") -> [String] {
        ["--workers", String(workers), "--out", setup.out, "--allow-http", "--poll-interval", pollInterval, "--retry-delay", "100ms",
         "--service", StrictTwilioServer.serviceSID, "--upload", "s3://calls/rooms/"] + setup.db
    }

    static func startServe(_ setup: Setup, workers: Int, pollInterval: String = "100ms", extra: [String] = []) throws -> ServeProcess {
        try ServeProcess(workerArguments(setup, workers: workers, pollInterval: pollInterval) + extra,
                         environment: JobsRunRoomCommandTests.environment(setup), folder: setup.scratch.path)
    }

    /// The value of the metric line that starts with `prefix` (name and labels).
    static func metric(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Waits (at most `timeout`) until the job is in `state`.
    static func waitForState(_ setup: Setup, _ id: String, _ state: JobState, timeout: Duration = .seconds(180)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await setup.store().show(JobID(id))?.job.state == state { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("a signed room-ended callback yields a finished job with its transcript and both names; repeats and recording callbacks add nothing")
    func roomEndedFinishesAJob() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let serve = try Self.startServe(setup, workers: 1)
        let room = TwilioFixtures.twoPersonRoom

        let (status, body) = try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room))
        #expect(status == 200 && body == "added \(room)\n", "\(body)")
        let done = try await Self.waitForState(setup, room, .done)
        try #require(done, "the room job did not finish: \(serve.stderr)")

        // One transcript, named from the room's participants; the results on disk.
        let transcripts = server.state.allTranscripts
        #expect(transcripts.count == 1)
        let participants = (transcripts.first?["channel"] as? [String: Any])?["participants"] as? [[String: Any]] ?? []
        #expect(participants.compactMap { $0["full_name"] as? String } == ["alice", "bob"], "\(participants)")
        let text = try String(contentsOfFile: setup.out + "/\(room)/transcript.txt", encoding: .utf8)
        #expect(text.contains("] alice: Sentence 0 on channel 1."), "\(text)")
        #expect(text.contains("] bob: Sentence 1 on channel 2."), "\(text)")
        #expect(try setup.puts() == ["/calls/rooms/\(room).flac": 1])
        let (job, steps) = try #require(try await setup.store().show(JobID(room)))
        #expect(job.spec.source == .room(room) && job.spec.upload == "s3://calls/rooms/")
        #expect(steps.map(\.step) == [.validate, .fetch, .merge, .upload, .submit, .wait, .results])

        // The same callback again, and recordings completing after the room ended: nothing added.
        let again = try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room))
        #expect(again.0 == 200 && again.1 == "exists \(room)\n")
        let recording = try await serve.postSigned(
            "/twilio/video", form: ServeProcess.roomCallback("recording-completed", room: room, recording: "RT" + String(repeating: "c", count: 32)))
        #expect(recording.0 == 200 && recording.1 == "acknowledged\n")
        let unknown = try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("participant-connected", room: room))
        #expect(unknown.0 == 200 && unknown.1 == "ignored\n")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await setup.store().list(state: nil).map(\.id.rawValue) == [room])
        #expect(try await setup.store().show(JobID(room))?.steps.count == 7, "the done job was not run again")
        #expect(server.state.allTranscripts.count == 1 && setup.posts == 1)

        // Metrics: verdicts, jobs by state, step durations.
        let metrics = try await serve.admin("/metrics")
        #expect(metrics.status == 200)
        #expect(Self.metric(metrics.body, #"callprep_webhook_requests_total{endpoint="video",verdict="accepted"}"#) == 2, "\(metrics.body)")
        #expect(Self.metric(metrics.body, #"callprep_webhook_requests_total{endpoint="video",verdict="acknowledged"}"#) == 1)
        #expect(Self.metric(metrics.body, #"callprep_webhook_requests_total{endpoint="video",verdict="ignored"}"#) == 1)
        #expect(Self.metric(metrics.body, #"callprep_jobs{state="done"}"#) == 1)
        #expect(Self.metric(metrics.body, #"callprep_step_duration_seconds_count{step="merge",outcome="finished"}"#) == 1)
        // The workers' requests to Twilio, counted by method and status: the one transcript POST among them.
        let twilio = metrics.body.split(separator: "\n").filter { $0.hasPrefix("callprep_twilio_requests_total{") }
        let posts = twilio.filter { $0.contains(#"method="POST""#) }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        #expect(posts == 1, "\(twilio)")
        #expect(Self.metric(metrics.body, #"callprep_twilio_requests_total{method="GET",status="200"}"#).map { $0 >= 3 } == true, "\(twilio)")
        // …and to the bucket: the upload step's "already stored?" HEAD (not yet: 404), the HEAD of
        // the bucket that tells a missing key from a missing bucket, then one PUT.
        let s3 = metrics.body.split(separator: "\n").filter { $0.hasPrefix("callprep_s3_requests_total{") }
        #expect(Self.metric(metrics.body, #"callprep_s3_requests_total{bucket="upload",method="HEAD",status="404"}"#) == 1, "\(s3)")
        #expect(Self.metric(metrics.body, #"callprep_s3_requests_total{bucket="upload",method="HEAD",status="200"}"#) == 1, "\(s3)")
        #expect(Self.metric(metrics.body, #"callprep_s3_requests_total{bucket="upload",method="PUT",status="200"}"#) == 1, "\(s3)")
        #expect(s3.count == 3, "\(s3)")
        #expect((try await serve.admin("/healthz")).status == 200)
        #expect((try await serve.admin("/readyz")).body == "ready\n")

        // One log line per event, with the job id; no credential anywhere.
        let log = serve.stderr
        #expect(log.contains("room ended: job added") && log.contains("job_id=\(room)"), "\(log)")
        #expect(log.split(separator: "\n").contains { $0.contains(" job done ") && $0.contains("job_id=\(room)") }, "\(log)")
        #expect(!log.contains(StrictTwilioServer.authToken) && !metrics.body.contains(StrictTwilioServer.authToken))

        #expect(serve.stop(), "serve did not stop on SIGTERM: \(serve.stderr)")
        #expect(serve.background.process.terminationReason == .uncaughtSignal && serve.background.process.terminationStatus == SIGTERM)
    }

    @Test("a room job whose recording is in the account's own bucket: its reads there are counted in /metrics under bucket=\"recordings\", apart from the upload's")
    func recordingsBucketRequestsAreCounted() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        typealias External = RoomExternalStorageCommandTests
        let created = try await MotoServer.send("PUT", "\(setup.moto.endpoint)/\(External.bucket)")
        try #require(created.1 == 200, "creating the recordings bucket answered \(created.1)")
        let room = External.ownRoom
        let key = "rooms/\(room)/\(External.aliceStored).mka"
        try await External.store(setup.moto, key: key)
        try External.addRoom(room, to: server, aliceLocation: External.objectURL(setup.moto, key: key))
        let serve = try Self.startServe(setup, workers: 1)

        let (status, body) = try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room))
        #expect(status == 200 && body == "added \(room)\n", "\(body)")
        let done = try await Self.waitForState(setup, room, .done)
        try #require(done, "the room job did not finish: \(serve.stderr)")

        // Alice's recording: one GET of the object from the recordings bucket (and nothing
        // else there); the merged file: the upload bucket's HEAD, HEAD and PUT, as for any room.
        let recordingsLines = try setup.moto.requestLines().filter { $0.contains("/\(External.bucket)/") }
        #expect(recordingsLines == ["PUT /\(External.bucket)/\(key)", "GET /\(External.bucket)/\(key)"], "the test's PUT, then the job's GET: \(recordingsLines)")
        let metrics = try await serve.admin("/metrics").body
        let s3 = metrics.split(separator: "\n").filter { $0.hasPrefix("callprep_s3_requests_total{") }
        #expect(Self.metric(metrics, #"callprep_s3_requests_total{bucket="recordings",method="GET",status="200"}"#) == 1, "\(s3)")
        #expect(Self.metric(metrics, #"callprep_s3_requests_total{bucket="upload",method="PUT",status="200"}"#) == 1, "\(s3)")
        #expect(s3.filter { $0.contains(#"bucket="recordings""#) }.count == 1, "\(s3)")
        #expect(s3.count == 4, "\(s3)")
        #expect(!metrics.contains(MotoServer.secretAccessKey) && !serve.stderr.contains(MotoServer.secretAccessKey))
        #expect(serve.stop(), "serve did not stop on SIGTERM: \(serve.stderr)")
    }

    @Test("a tampered signature, a signature for another URL, a missing header: 403 and nothing enqueued; an oversized body 413; an unreadable one 400")
    func refusedCallbacksChangeNothing() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let serve = try Self.startServe(setup, workers: 0, extra: ["--max-body", "2048"])
        let room = TwilioFixtures.twoPersonRoom
        let parameters = ServeProcess.roomCallback("room-ended", room: room)
        let signature = ServeProcess.signature(path: "/twilio/video", parameters: parameters)

        // Signed for one room, sent for another.
        let other = "RM" + String(repeating: "9", count: 32)
        let tampered = parameters.map { $0.0 == "RoomSid" ? ($0.0, other) : $0 }
        #expect(try await serve.post("/twilio/video", form: tampered, signature: signature).0 == 403)
        // Signed for another host, and for another path of this one.
        let elsewhere = ServeProcess.signature(path: "/twilio/video", parameters: parameters, publicURL: "https://evil.example.com")
        #expect(try await serve.post("/twilio/video", form: parameters, signature: elsewhere).0 == 403)
        let otherPath = ServeProcess.signature(path: "/twilio/intelligence", parameters: parameters)
        #expect(try await serve.post("/twilio/video", form: parameters, signature: otherPath).0 == 403)
        // Signed with another account's token.
        let foreign = ServeProcess.signature(path: "/twilio/video", parameters: parameters, authToken: "another_token_0123456789abcdef")
        #expect(try await serve.post("/twilio/video", form: parameters, signature: foreign).0 == 403)
        // No header at all.
        #expect(try await serve.post("/twilio/video", form: parameters, signature: nil).0 == 403)
        // A signed query the request does not carry.
        let query = ServeProcess.signature(path: "/twilio/video?tenant=a", parameters: parameters)
        #expect(try await serve.post("/twilio/video?tenant=b", form: parameters, signature: query).0 == 403)

        // Over --max-body: refused before the signature is looked at.
        let big = parameters + [("Padding", String(repeating: "x", count: 4096))]
        #expect(try await serve.postSigned("/twilio/video", form: big).0 == 413)
        // Signed, but no StatusCallbackEvent, or a RoomSid that is no SID.
        #expect(try await serve.postSigned("/twilio/video", form: [("RoomSid", room)]).0 == 400)
        let badRoom = parameters.map { $0.0 == "RoomSid" ? ($0.0, "RM../../etc") : $0 }
        #expect(try await serve.postSigned("/twilio/video", form: badRoom).0 == 400)

        #expect(try await setup.store().list(state: nil).isEmpty, "nothing was enqueued")
        let metrics = try await serve.admin("/metrics").body
        #expect(Self.metric(metrics, #"callprep_webhook_requests_total{endpoint="video",verdict="invalid_signature"}"#) == 5, "\(metrics)")
        #expect(Self.metric(metrics, #"callprep_webhook_requests_total{endpoint="video",verdict="missing_signature"}"#) == 1)
        #expect(Self.metric(metrics, #"callprep_webhook_requests_total{endpoint="video",verdict="too_large"}"#) == 1)
        #expect(Self.metric(metrics, #"callprep_webhook_requests_total{endpoint="video",verdict="unreadable"}"#) == 2)
        #expect(Self.metric(metrics, #"callprep_jobs{state="queued"}"#) == 0)
        #expect(!serve.stderr.contains(signature) && !serve.stderr.contains(StrictTwilioServer.authToken), "neither the signature nor the token is logged")

        // The same callback, signed: one job (queued: this serve has no workers).
        #expect(try await serve.post("/twilio/video", form: parameters, signature: signature).0 == 200)
        #expect(try await setup.store().list(state: nil).map(\.state) == [.queued])
        #expect(serve.stop(SIGINT), "serve did not stop on SIGINT")
        #expect(serve.background.process.terminationReason == .uncaughtSignal && serve.background.process.terminationStatus == SIGINT)
    }

    @Test("--log-format json: every log line is one JSON object with time, level, message and the job id of its event")
    func jsonLogLines() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let serve = try Self.startServe(setup, workers: 0, extra: ["--log-format", "json"])
        let room = "RM" + String(repeating: "e", count: 32)
        #expect(try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room)).0 == 200)
        #expect(try await serve.post("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room), signature: "AAAA").0 == 403)
        #expect(serve.stop())
        let lines = serve.stderr.split(separator: "\n")
        let objects = try lines.map { line in try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)") }
        #expect(objects.count >= 5, "\(lines)")
        #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        let added = try #require(objects.first { ($0["message"] as? String)?.hasPrefix("room ended") == true })
        #expect(added["job_id"] as? String == room && added["event"] as? String == "room-ended" && added["outcome"] as? String == "added")
        let refused = try #require(objects.first { $0["verdict"] as? String == "invalid_signature" })
        #expect(refused["level"] as? String == "warning" && refused["path"] as? String == "/twilio/video")
        #expect(objects.contains { $0["message"] as? String == "shutting down" && $0["signal"] as? String == "15" })
    }

    @Test("the Intelligence webhook wakes the job waiting on its transcript: two polls instead of a 60 s wait")
    func intelligenceWebhookWakesTheJob() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([JobsRunCommandTests.jobLine("woken")]).status == 0)
        let serve = try Self.startServe(setup, workers: 1, pollInterval: "60s")
        func polls() -> Int { setup.transcriptGETs }
        let polled = CLI.waitFor(.seconds(120)) { polls() >= 1 }
        try #require(polled, "the wait step never polled: \(serve.stderr)")
        let sid = try #require(server.state.allTranscripts.first?["sid"] as? String)
        try await Task.sleep(for: .seconds(2))
        #expect(polls() == 1, "the job waits out its 60 s interval")

        let payload = Data(#"{"account_sid": "\#(StrictTwilioServer.accountSID)", "service_sid": "\#(StrictTwilioServer.serviceSID)", "transcript_sid": "\#(sid)", "customer_key": "k", "event_type": "voice_intelligence_transcript_available"}"#.utf8)
        // A body that is not the one signed (bodySHA256 of another body): refused, nothing woken.
        let forged = try await serve.postSignedJSON("/twilio/intelligence", body: payload, bodySHA256: String(repeating: "0", count: 64))
        #expect(forged.0 == 403)
        try await Task.sleep(for: .seconds(1))
        #expect(polls() == 1)

        let clock = ContinuousClock()
        let woke = clock.now
        let (status, body) = try await serve.postSignedJSON("/twilio/intelligence", body: payload)
        #expect(status == 200 && body == "woke woken\n", "\(body)")
        let done = try await Self.waitForState(setup, "woken", .done, timeout: .seconds(30))
        let took = clock.now - woke
        try #require(done, "the woken job did not finish: \(serve.stderr)")
        #expect(took < .seconds(10), "finished \(took) after the webhook")
        // Two polls by the wait step, one read by the results step: no poll in between.
        #expect(polls() == 3)
        try JobsRunCommandTests.expectOutputs("woken", setup)
        #expect(serve.stderr.contains("transcript available; job woken"), "\(serve.stderr)")
        #expect(serve.stop())
    }

    @Test("SIGTERM mid-merge: the process ends by SIGTERM (143) within --grace, the job is given back, and `jobs run` finishes it")
    func sigtermMidMergeGivesTheJobBack() async throws {
        let setup = try await JobsRunRoomCommandTests.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let (agent, customer) = try setup.longTracks(seconds: (120, 120))
        #expect(try setup.add([JobsRunCommandTests.jobLine("long", agent: agent, customer: customer)]).status == 0)
        let serve = try Self.startServe(setup, workers: 1, extra: ["--grace", "20s"])
        let inMerge = try await JobsRunCommandTests.pollSteps(setup) { $0["long"]?.contains { $0.step == .merge } == true }
        try #require(inMerge, "serve's worker never started the merge: \(serve.stderr)")
        let clock = ContinuousClock()
        let signalled = clock.now
        let stopped = serve.stop(SIGTERM, timeout: .seconds(30))
        try #require(stopped, "serve did not stop within 30 s of SIGTERM")
        #expect(clock.now - signalled < .seconds(20))
        #expect(serve.background.process.terminationReason == .uncaughtSignal && serve.background.process.terminationStatus == SIGTERM)
        #expect(serve.stderr.contains("job given back (queued) job_id=long"), "\(serve.stderr)")
        let (job, steps) = try #require(try await setup.store().show(JobID("long")))
        #expect(job.state == .queued && job.workerID == nil)
        #expect(steps.last?.step == .merge && steps.last?.outcome == .failed && steps.last?.errorCode == "interrupted")
        #expect(!FileManager.default.fileExists(atPath: setup.out + "/long/long.flac"))
        #expect(setup.posts == 0)

        let finish = try setup.run(workers: 1)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try await setup.store().show(JobID("long"))?.job.state == .done)
        #expect(setup.posts == 1)
    }
}
