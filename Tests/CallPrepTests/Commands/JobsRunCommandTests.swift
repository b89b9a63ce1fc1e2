import AudioPrep
import CallPrepJobs
import Foundation
import Testing
@testable import TwilioTestServer

/// `callprep jobs run` end to end: real merges, moto as the bucket, the strict Intelligence
/// test server as Twilio, a SQLite store in a temporary folder. Every run is bounded.
@Suite("jobs run against moto and the strict server", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct JobsRunCommandTests {
    /// How long one `jobs run` may take here before it is killed and the test fails.
    static let runTimeout: Duration = .seconds(300)

    struct Setup {
        let moto: MotoServer
        let server: StrictTwilioServer
        let scratch: ScratchFolder
        var database: String { scratch.path + "/jobs.sqlite" }
        var out: String { scratch.path + "/out" }
        var environment: [String: String] { SubmitUploadCommandTests.environment(moto, server, home: scratch.path) }
        var db: [String] { ["--db", "sqlite:" + database] }

        static func start() async throws -> Setup {
            Setup(moto: try await MotoServer(buckets: ["calls"]), server: try await StrictTwilioServer.start(), scratch: try ScratchFolder())
        }

        func add(_ lines: [String]) throws -> CLI.Output {
            let file = try scratch.write(lines.joined(separator: "\n") + "\n", as: "jobs-\(UUID().uuidString).jsonl")
            return try CLI.run(["jobs", "add", "--file", file] + db, environment: environment, timeout: .seconds(60))
        }

        func runArguments(workers: Int = 2, lease: String = "60s") -> [String] {
            ["jobs", "run", "--until-done", "--workers", String(workers), "--out", out, "--allow-http", "--lease", lease,
             "--poll-interval", "100ms", "--retry-delay", "100ms", "--service", StrictTwilioServer.serviceSID] + db
        }

        func run(workers: Int = 2, lease: String = "60s") throws -> CLI.Output {
            try CLI.run(runArguments(workers: workers, lease: lease), environment: environment, timeout: runTimeout)
        }

        func store() throws -> SQLiteJobStore { try SQLiteJobStore(path: database) }

        /// GETs of the (first) transcript the server holds: the wait step's polls and the
        /// results step's read.
        var transcriptGETs: Int {
            guard let sid = server.state.allTranscripts.first?["sid"] as? String else { return 0 }
            return server.state.requests.filter { $0.method == "GET" && $0.path == "/v2/Transcripts/\(sid)" }.count
        }

        /// Two long speech-like tracks (48 kHz, of `seconds` each) in the scratch folder, for a
        /// merge that lasts long enough to be interrupted: the agent's and the customer's paths.
        func longTracks(seconds: (Int, Int)) throws -> (String, String) {
            let agent = scratch.path + "/long-agent.wav", customer = scratch.path + "/long-customer.wav"
            try JobsRunCommandTests.writeLongWAV(agent, seconds: seconds.0, rate: 48000, frequency: 220)
            try JobsRunCommandTests.writeLongWAV(customer, seconds: seconds.1, rate: 48000, frequency: 330)
            return (agent, customer)
        }

        /// `POST /v2/Transcripts` requests the server received.
        var posts: Int { server.state.requests.filter { $0.method == "POST" && $0.path == "/v2/Transcripts" }.count }

        /// PUTs of objects (not the bucket) moto logged, by path.
        func puts() throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for line in try moto.requestLines() where line.hasPrefix("PUT /calls/") { counts[String(line.dropFirst(4)), default: 0] += 1 }
            return counts
        }
    }

    static func jobLine(_ id: String, agent: String = CLI.audio("call/agent.wav"), customer: String = CLI.audio("call/customer.wav"),
                        names: (String, String)? = nil) -> String {
        let (first, second) = names ?? ("Agent \(id)", "Customer \(id)")
        return #"{"id": "\#(id)", "tracks": ["\#(agent)", "\#(customer)"], "participants": [{"channel": 1, "role": "Agent", "full_name": "\#(first)"}, {"channel": 2, "role": "Customer", "full_name": "\#(second)"}], "upload": "s3://calls/jobs/"}"#
    }

    /// Each job's transcript on the server: exactly one per job, carrying the job's names.
    static func expectOneTranscriptEach(_ ids: [String], _ setup: Setup, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let transcripts = setup.server.state.allTranscripts
        #expect(transcripts.count == ids.count, sourceLocation: sourceLocation)
        let keys = Set(transcripts.compactMap { $0["customer_key"] as? String })
        #expect(keys.count == ids.count, "every transcript has its own CustomerKey", sourceLocation: sourceLocation)
        for id in ids {
            let matching = transcripts.filter { record in
                let participants = (record["channel"] as? [String: Any])?["participants"] as? [[String: Any]] ?? []
                return participants.contains { $0["full_name"] as? String == "Agent \(id)" }
            }
            #expect(matching.count == 1, "\(id): \(matching.count) transcripts", sourceLocation: sourceLocation)
        }
    }

    /// The job's folder holds the merge, its manifest and the results with speaker names.
    static func expectOutputs(_ id: String, _ setup: Setup, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = setup.out + "/" + id
        let flac = folder + "/\(id).flac"
        let info = try AudioProbe.probe(path: flac)
        #expect(info.channels == 2 && info.sampleRate == 16000 && info.frames > 32000, sourceLocation: sourceLocation)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/\(id).manifest.json"))) as? [String: Any])
        #expect((manifest["output"] as? [String: Any])?["sha256"] as? String == (try FileDigest.sha256(path: flac)), sourceLocation: sourceLocation)
        let text = try String(contentsOfFile: folder + "/transcript.txt", encoding: .utf8)
        // The server's five sentences alternate channels 1 and 2.
        #expect(text.split(separator: "\n").count == 5, sourceLocation: sourceLocation)
        #expect(text.contains("] Agent \(id): Sentence 0 on channel 1."), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("] Customer \(id): Sentence 1 on channel 2."), "\(text)", sourceLocation: sourceLocation)
        let srt = try String(contentsOfFile: folder + "/transcript.srt", encoding: .utf8)
        #expect(srt.hasPrefix("1\n00:00:00,500 --> 00:00:02,500\nAgent \(id): Sentence 0 on channel 1.\n"), "\(srt)", sourceLocation: sourceLocation)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/transcript.json"))) as? [String: Any])
        #expect(json["job_id"] as? String == id, sourceLocation: sourceLocation)
        let speakers = json["speakers"] as? [[String: Any]] ?? []
        #expect(speakers.compactMap { $0["name"] as? String } == ["Agent \(id)", "Customer \(id)"], sourceLocation: sourceLocation)
        let sentences = json["sentences"] as? [[String: Any]] ?? []
        #expect(sentences.compactMap { $0["speaker"] as? String } == ["Agent \(id)", "Customer \(id)", "Agent \(id)", "Customer \(id)", "Agent \(id)"], sourceLocation: sourceLocation)
        #expect((json["transcript"] as? [String: Any])?["status"] as? String == "completed", sourceLocation: sourceLocation)
    }

    @Test("20 jobs, 2 workers: all done, one transcript and one upload each, outputs with names; adding the file again duplicates nothing")
    func twentyJobsTwoWorkers() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let ids = (1...20).map { String(format: "call-%02d", $0) }
        let lines = ids.map { Self.jobLine($0) }
        let added = try setup.add(lines)
        #expect(added.status == 0, "\(added.stderr)")

        let run = try setup.run()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("done 20, failed 0, released 0, leases lost 0"), "\(run.stdout)")
        // Both workers took jobs.
        let workers = Set(run.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "claimed by ") else { return nil }
            return String(line[range.upperBound...].split(separator: " ").first ?? "")
        })
        #expect(workers.count == 2, "\(workers)")
        #expect(setup.posts == 20)
        try Self.expectOneTranscriptEach(ids, setup)
        let puts = try setup.puts()
        #expect(puts.count == 20 && puts.values.allSatisfy { $0 == 1 }, "\(puts)")
        #expect(Set(puts.keys) == Set(ids.map { "/calls/jobs/\($0).flac" }))
        for id in ids { try Self.expectOutputs(id, setup) }
        let store = try setup.store()
        let jobs = try await store.list(state: nil)
        #expect(jobs.count == 20 && jobs.allSatisfy { $0.state == .done && $0.claims == 1 })
        // Each step ran once, in order.
        let (_, steps) = try #require(try await store.show(JobID("call-07")))
        #expect(steps.map(\.step) == [.validate, .merge, .upload, .submit, .wait, .results] && steps.allSatisfy { $0.outcome == .finished && $0.attempt == 1 })
        let submit = try #require(steps.first { $0.step == .submit })
        #expect(submit.outputs["transcript_sid"]?.stringValue?.hasPrefix("GT") == true)
        SubmitUploadCommandTests.expectNoSecret(run)

        // The same file again: every job exists; a run finds nothing to do.
        let again = try setup.add(lines)
        #expect(again.status == 0)
        #expect(again.stdout == ids.map { "\($0)  exists\n" }.joined())
        let second = try setup.run()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("done 0, failed 0"), "\(second.stdout)")
        #expect(setup.posts == 20)
        #expect(setup.server.state.transcriptCount == 20)
        #expect(try setup.puts().values.reduce(0, +) == 20)
    }

    @Test("a bad input among good ones fails only that job, at validate, with the code and message")
    func badInputFailsOnlyItsJob() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let notAudio = try setup.scratch.write("these are not samples\n", as: "notes.wav")
        let missing = setup.scratch.path + "/no-such-call.wav"
        let added = try setup.add([
            Self.jobLine("good-1"), Self.jobLine("bad-format", customer: notAudio), Self.jobLine("good-2"),
            Self.jobLine("bad-missing", agent: missing),
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let run = try setup.run()
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("done 2, failed 2"), "\(run.stdout)\n\(run.stderr)")
        let store = try setup.store()
        for id in ["good-1", "good-2"] {
            #expect(try await store.show(JobID(id))?.job.state == .done)
            try Self.expectOutputs(id, setup)
        }
        let badFormat = try #require(try await store.show(JobID("bad-format"))?.job)
        #expect(badFormat.state == .failed)
        #expect(badFormat.error?.step == .validate)
        #expect(badFormat.error?.code == "unsupported_format", "\(String(describing: badFormat.error))")
        #expect(badFormat.error?.message.contains(notAudio) == true, "\(String(describing: badFormat.error))")
        let badMissing = try #require(try await store.show(JobID("bad-missing")))
        #expect(badMissing.job.error?.step == .validate)
        #expect(badMissing.job.error?.code == "file_not_found", "\(String(describing: badMissing.job.error))")
        #expect(badMissing.job.error?.message.contains(missing) == true)
        // A permanent failure is not retried: one validate run, nothing after it.
        #expect(badMissing.steps.map(\.step) == [.validate] && badMissing.steps[0].outcome == .failed)
        #expect(run.stderr.contains("bad-missing  failed at validate: file_not_found: "), "\(run.stderr)")
        #expect(setup.posts == 2)
        #expect(!FileManager.default.fileExists(atPath: setup.out + "/bad-format/bad-format.flac"))
        // jobs show prints the failure.
        let show = try CLI.run(["jobs", "show", "bad-format"] + setup.db, environment: setup.environment, timeout: .seconds(60))
        #expect(show.stdout.contains("error:        validate unsupported_format: "), "\(show.stdout)")
    }

    /// A mono 16-bit WAV of `seconds` at `rate` Hz (a tone with a little noise), written to `path`.
    static func writeLongWAV(_ path: String, seconds: Int, rate: Int, frequency: Double) throws {
        let frames = seconds * rate
        var header = Data()
        func le32(_ value: Int) { header.append(contentsOf: withUnsafeBytes(of: UInt32(value).littleEndian, Array.init)) }
        func le16(_ value: Int) { header.append(contentsOf: withUnsafeBytes(of: UInt16(value).littleEndian, Array.init)) }
        header.append(contentsOf: Array("RIFF".utf8)); le32(36 + frames * 2)
        header.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16); le16(1); le16(1); le32(rate); le32(rate * 2); le16(2); le16(16)
        header.append(contentsOf: Array("data".utf8)); le32(frames * 2)
        _ = FileManager.default.createFile(atPath: path, contents: header)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var generator = SystemRandomNumberGenerator()
        var block = [Int16](repeating: 0, count: rate)
        for second in 0..<seconds {
            for index in 0..<rate {
                let t = Double(second * rate + index) / Double(rate)
                block[index] = Int16(8000 * sin(2 * .pi * frequency * t)) &+ Int16.random(in: -200...200, using: &generator)
            }
            try handle.write(contentsOf: block.withUnsafeBytes { Data($0) })
        }
    }

    /// The journal of `id`, read through the library (as another worker would).
    static func steps(_ id: String, _ setup: Setup) async throws -> [StepRecord] {
        try await setup.store().show(JobID(id))?.steps ?? []
    }

    @Test("kill -9 during a merge: running again finishes every job with one transcript and one upload each")
    func killDuringMerge() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let (agent, customer) = try setup.longTracks(seconds: (120, 110))
        let ids = ["long-1", "short-1", "short-2"]
        #expect(try setup.add([
            Self.jobLine("long-1", agent: agent, customer: customer), Self.jobLine("short-1"), Self.jobLine("short-2"),
        ]).status == 0)
        let first = try CLI.Background(setup.runArguments(workers: 1, lease: "2s"), environment: setup.environment, folder: setup.scratch.path)
        let inMerge = try await Self.pollSteps(setup) { steps in steps["long-1"]?.contains { $0.step == .merge && $0.outcome == .started } == true }
        try #require(inMerge, "the merge of long-1 never started: \(first.stderr)")
        first.killHard()
        let journal = try await Self.steps("long-1", setup)
        #expect(journal.last?.step == .merge && journal.last?.outcome == .started, "killed during the merge")
        #expect(setup.posts == 0)
        // Nothing half-written is left as the merged file.
        #expect(!FileManager.default.fileExists(atPath: setup.out + "/long-1/long-1.flac"))

        let second = try setup.run(workers: 2, lease: "2s")
        #expect(second.status == 0, "\(second.stderr)")
        let store = try setup.store()
        #expect(try await store.list(state: nil).allSatisfy { $0.state == .done })
        let merges = try await Self.steps("long-1", setup).filter { $0.step == .merge }
        #expect(merges.map(\.outcome) == [.started, .finished], "the dead run stays started; the next one finished")
        #expect(try await Self.steps("long-1", setup).filter { $0.step == .validate }.count == 1, "validate was verified, not redone")
        let info = try AudioProbe.probe(path: setup.out + "/long-1/long-1.flac")
        #expect(info.frames == 120 * 16000)
        #expect(setup.posts == 3)
        #expect(setup.server.state.allTranscripts.count == 3)
        let puts = try setup.puts()
        #expect(Set(puts.keys) == Set(ids.map { "/calls/jobs/\($0).flac" }) && puts.values.allSatisfy { $0 == 1 }, "\(puts)")
    }

    @Test("kill -9 after the submit POST: running again finds the transcript by its CustomerKey; no second transcript, no second upload")
    func killAfterSubmitPost() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([Self.jobLine("call-a")]).status == 0)
        // The server creates the transcript, then holds its answer: the worker dies waiting for it.
        setup.server.state.inject(.slowAfterActing(delay: .seconds(60)), method: "POST", path: "/v2/Transcripts")
        let first = try CLI.Background(setup.runArguments(workers: 1, lease: "2s"), environment: setup.environment, folder: setup.scratch.path)
        let posted = CLI.waitFor(.seconds(120)) { setup.server.state.transcriptCount == 1 }
        try #require(posted, "no transcript was created: \(first.stderr)")
        first.killHard()
        let journal = try await Self.steps("call-a", setup)
        #expect(journal.last?.step == .submit && journal.last?.outcome == .started, "\(journal.map { "\($0.step) \($0.outcome)" })")
        #expect(try setup.puts().values.reduce(0, +) == 1)

        let second = try setup.run(workers: 1, lease: "2s")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("call-a  upload: done before, verified"), "\(second.stderr)")
        #expect(setup.posts == 1, "no second POST")
        #expect(setup.server.state.transcriptCount == 1)
        #expect(try setup.puts().values.reduce(0, +) == 1, "no second upload")
        let submits = try await Self.steps("call-a", setup).filter { $0.step == .submit }
        #expect(submits.map(\.outcome) == [.started, .finished])
        #expect(submits.last?.outputs["found_existing"] == .bool(true))
        try Self.expectOutputs("call-a", setup)
    }

    @Test("--follow picks up a job added while it runs; SIGTERM stops the merge, gives the job back and exits 0; the next run finishes it")
    func followStopsCleanlyOnSIGTERM() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try CLI.run(["jobs", "migrate"] + setup.db, environment: setup.environment, timeout: .seconds(60)).status == 0)
        let arguments = setup.runArguments(workers: 2).map { $0 == "--until-done" ? "--follow" : $0 }
        let follower = try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path)
        let (agent, customer) = try setup.longTracks(seconds: (120, 120))
        #expect(try setup.add([Self.jobLine("late", agent: agent, customer: customer)]).status == 0)
        let inMerge = try await Self.pollSteps(setup) { $0["late"]?.contains { $0.step == .merge } == true }
        try #require(inMerge, "the follower never started the job: \(follower.stderr)")
        kill(follower.process.processIdentifier, SIGTERM)
        let ended = CLI.waitFor(.seconds(60)) { !follower.process.isRunning }
        try #require(ended, "the follower did not stop within 60 s of SIGTERM")
        #expect(follower.process.terminationReason == .exit && follower.process.terminationStatus == 0, "\(follower.stderr)")
        #expect(follower.stderr.contains("late  given back (queued)"), "\(follower.stderr)")
        let (job, steps) = try #require(try await setup.store().show(JobID("late")))
        #expect(job.state == .queued && job.workerID == nil)
        #expect(steps.last?.step == .merge && steps.last?.outcome == .failed && steps.last?.errorCode == "interrupted")
        #expect(!FileManager.default.fileExists(atPath: setup.out + "/late/late.flac"))
        #expect(setup.posts == 0)

        let finish = try setup.run()
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try await setup.store().show(JobID("late"))?.job.state == .done)
        #expect(setup.posts == 1)
        #expect(try AudioProbe.probe(path: setup.out + "/late/late.flac").frames == 120 * 16000)
    }

    /// Polls the journals of every job until `condition` holds (at most 120 s).
    static func pollSteps(_ setup: Setup, _ condition: ([String: [StepRecord]]) -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        let store = try setup.store()
        while clock.now < deadline {
            var journals: [String: [StepRecord]] = [:]
            for job in try await store.list(state: nil) {
                journals[job.id.rawValue] = try await store.show(job.id)?.steps ?? []
            }
            if condition(journals) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
