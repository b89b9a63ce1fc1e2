import CallPrepJobs
import Foundation
import Testing
@testable import TwilioTestServer

/// kill -9 of a `jobs run` process in the steps JobsRunCommandTests does not cover — during the
/// upload and during the wait — and of a worker killed again and again: running again finishes
/// every job with exactly one transcript and one object upload, or fails the job whose worker
/// keeps dying at `--max-attempts`.
@Suite("jobs run: kill -9 during upload and wait", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct JobsRunKillCommandTests {
    typealias Setup = JobsRunCommandTests.Setup

    @Test("kill -9 while the upload step waits on the bucket: the next run uploads once and submits once")
    func killDuringUpload() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([JobsRunCommandTests.jobLine("up-1")]).status == 0)
        // The bucket is frozen before the worker starts (validate and merge do not use it): the
        // worker hangs inside the upload step, its request to the bucket unanswered.
        setup.moto.pause()
        let first = try CLI.Background(setup.runArguments(workers: 1, lease: "2s"), environment: setup.environment, folder: setup.scratch.path)
        let uploading = try await JobsRunCommandTests.pollSteps(setup) { $0["up-1"]?.contains { $0.step == .upload } == true }
        if !uploading { setup.moto.resume() }
        try #require(uploading, "the upload never started: \(first.stderr)")
        try await Task.sleep(for: .milliseconds(500))
        first.killHard()
        setup.moto.resume()
        let journal = try await JobsRunCommandTests.steps("up-1", setup)
        #expect(journal.last?.step == .upload && journal.last?.outcome == .started, "\(journal.map { "\($0.step) \($0.outcome)" })")
        #expect(setup.posts == 0)

        let second = try setup.run(workers: 1, lease: "2s")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("up-1  merge: done before, verified"), "\(second.stderr)")
        let uploads = try await JobsRunCommandTests.steps("up-1", setup).filter { $0.step == .upload }
        #expect(uploads.map(\.outcome) == [.started, .finished])
        #expect(try setup.puts() == ["/calls/jobs/up-1.flac": 1])
        #expect(setup.posts == 1 && setup.server.state.transcriptCount == 1)
        try JobsRunCommandTests.expectOutputs("up-1", setup)
    }

    @Test("kill -9 during the wait: the next run waits again for the same transcript; one transcript, one upload")
    func killDuringWait() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([JobsRunCommandTests.jobLine("wait-1")]).status == 0)
        // The transcript stays in progress while the first worker polls it.
        server.state.withLock { server.state.pollsToComplete = 1_000_000 }
        let first = try CLI.Background(setup.runArguments(workers: 1, lease: "2s"), environment: setup.environment, folder: setup.scratch.path)
        func polls() -> Int { setup.transcriptGETs }
        let polled = CLI.waitFor(.seconds(120)) { polls() >= 2 }
        try #require(polled, "the wait step never polled: \(first.stderr)")
        first.killHard()
        let journal = try await JobsRunCommandTests.steps("wait-1", setup)
        #expect(journal.last?.step == .wait && journal.last?.outcome == .started, "\(journal.map { "\($0.step) \($0.outcome)" })")
        server.state.withLock { server.state.pollsToComplete = 2 }

        let second = try setup.run(workers: 1, lease: "2s")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("wait-1  submit: done before, verified"), "\(second.stderr)")
        let waits = try await JobsRunCommandTests.steps("wait-1", setup).filter { $0.step == .wait }
        #expect(waits.map(\.outcome) == [.started, .finished])
        #expect(setup.posts == 1 && setup.server.state.transcriptCount == 1)
        #expect(try setup.puts() == ["/calls/jobs/wait-1.flac": 1])
        try JobsRunCommandTests.expectOutputs("wait-1", setup)
    }

    @Test("a job whose worker is killed in its wait at every claim fails at --max-attempts with worker_lost; the others finish")
    func aWorkerKilledAgainAndAgainFailsItsJob() async throws {
        let setup = try await Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([JobsRunCommandTests.jobLine("doomed")]).status == 0)
        server.state.withLock { server.state.pollsToComplete = 1_000_000 }
        func waitRuns() async throws -> Int {
            try await JobsRunCommandTests.steps("doomed", setup).filter { $0.step == .wait }.count
        }
        var arguments = setup.runArguments(workers: 1, lease: "1s")
        arguments += ["--max-attempts", "2"]
        for kill in 1...2 {
            let worker = try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path)
            let started = try await Self.poll { try await waitRuns() >= kill }
            try #require(started, "wait run \(kill) never started: \(worker.stderr)")
            worker.killHard()
        }
        #expect(try setup.add([JobsRunCommandTests.jobLine("fine")]).status == 0)
        server.state.withLock { server.state.pollsToComplete = 2 }
        let last = try CLI.run(arguments, environment: setup.environment, timeout: JobsRunCommandTests.runTimeout)
        #expect(last.status == 1, "\(last.stderr)")
        let doomed = try #require(try await setup.store().show(JobID("doomed")))
        #expect(doomed.job.state == .failed && doomed.job.error?.step == .wait)
        #expect(doomed.job.error?.code == "worker_lost", "\(String(describing: doomed.job.error))")
        #expect(try await waitRuns() == 2, "no third wait run")
        #expect(try await setup.store().show(JobID("fine"))?.job.state == .done)
        #expect(setup.posts == 2)
    }

    /// Polls `condition` every 20 ms for at most 120 s.
    static func poll(_ condition: () async throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while clock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
