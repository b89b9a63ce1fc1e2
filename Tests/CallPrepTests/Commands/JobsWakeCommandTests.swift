import CallPrepJobs
import Foundation
import Testing
@testable import TwilioTestServer

/// The wake of a waiting job across processes: a `jobs run` process polls its transcript every
/// 60 s; another process (this test, as `callprep serve`'s webhook would) wakes the job through
/// the store, and the job reads its transcript within seconds, with no poll in between.
@Suite("jobs run: a wake from another process", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct JobsWakeCommandTests {
    @Test("with a 60 s poll interval, a wake makes the waiting job read its transcript at once: two polls instead of a minute's wait")
    func wakeEndsTheWaitAtOnce() async throws {
        let setup = try await JobsRunCommandTests.Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        #expect(try setup.add([JobsRunCommandTests.jobLine("woken")]).status == 0)
        var arguments = setup.runArguments(workers: 1)
        let flag = try #require(arguments.firstIndex(of: "--poll-interval"))
        arguments[flag + 1] = "60s"
        let worker = try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path)
        // The first poll answers in-progress (the server completes a transcript at its second poll).
        func polls() -> Int { setup.transcriptGETs }
        let polled = CLI.waitFor(.seconds(120)) { polls() >= 1 }
        try #require(polled, "the wait step never polled: \(worker.stderr)")
        let sid = try #require(server.state.allTranscripts.first?["sid"] as? String)
        try await Task.sleep(for: .seconds(2))
        #expect(polls() == 1 && worker.process.isRunning, "the job waits out its 60 s interval")

        let clock = ContinuousClock()
        let woke = clock.now
        let woken = try await setup.store().wake(waitingOn: sid)
        #expect(woken?.rawValue == "woken")
        let ended = CLI.waitFor(.seconds(30)) { !worker.process.isRunning }
        let took = clock.now - woke
        try #require(ended, "the woken job did not finish within 30 s: \(worker.stderr)")
        #expect(worker.process.terminationStatus == 0, "\(worker.stderr)")
        #expect(took < .seconds(10), "finished \(took) after the wake")
        // Two polls by the wait step, one read by the results step; no other GET of the transcript.
        #expect(polls() == 3)
        let job = try #require(try await setup.store().show(JobID("woken")))
        #expect(job.job.state == .done)
        try JobsRunCommandTests.expectOutputs("woken", setup)
    }
}
