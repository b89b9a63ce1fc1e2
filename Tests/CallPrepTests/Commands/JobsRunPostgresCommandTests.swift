import CallPrepJobs
import Foundation
import PostgresTestServer
import Testing
@testable import TwilioTestServer

/// `callprep jobs` on PostgreSQL: three `jobs run` processes share one database (a throwaway
/// cluster), with moto and the strict Intelligence server; every job ends done with one
/// transcript and one upload, and the journal shows each step run once.
@Suite("jobs run on PostgreSQL", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct JobsRunPostgresCommandTests {
    @Test("three worker processes on 40 jobs: each job's steps ran once (journal and request logs agree)")
    func threeProcessesShareOneDatabase() async throws {
        let postgres = try PostgresServer()
        let setup = try await JobsRunCommandTests.Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let url = postgres.url()
        let db = ["--db", url]
        let ids = (1...40).map { "pg-\($0)" }
        let file = try setup.scratch.write(ids.map { JobsRunCommandTests.jobLine($0) }.joined(separator: "\n") + "\n", as: "jobs.jsonl")
        let added = try CLI.run(["jobs", "add", "--file", file] + db, environment: setup.environment, timeout: .seconds(60))
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == ids.map { "\($0)  added\n" }.joined())

        let arguments = setup.runArguments(workers: 1).filter { !$0.hasPrefix("sqlite:") && $0 != "--db" } + db
        let clock = ContinuousClock()
        let started = clock.now
        let workers = try (0..<3).map { _ in try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path) }
        // 40 jobs took 8.0 s here (2 shared cores, debug build; Docs/Jobs.md); 300 s means something hangs.
        let ended = CLI.waitFor(.seconds(300)) { workers.allSatisfy { !$0.process.isRunning } }
        try #require(ended, "the workers did not finish within 300 s: \(workers.map(\.stderr))")
        print("JobsRunPostgresCommandTests: 3 processes ran 40 jobs in \(clock.now - started)")
        for worker in workers {
            #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 0, "\(worker.stderr)")
        }
        // Work was shared: more than one process claimed jobs.
        #expect(workers.filter { $0.stderr.contains("claimed by") }.count > 1, "\(workers.map(\.stderr))")

        #expect(setup.posts == 40)
        try JobsRunCommandTests.expectOneTranscriptEach(ids, setup)
        let puts = try setup.puts()
        #expect(puts.count == 40 && puts.values.allSatisfy { $0 == 1 }, "\(puts)")
        let store = try await PostgresJobStore(url: url)
        for id in ids {
            let (job, steps) = try #require(try await store.show(JobID(id)))
            #expect(job.state == .done && job.claims == 1)
            #expect(steps.map(\.step) == [.validate, .merge, .upload, .submit, .wait, .results] && steps.allSatisfy { $0.attempt == 1 && $0.outcome == .finished }, "\(id)")
        }
        await store.shutdown()
        try JobsRunCommandTests.expectOutputs("pg-5", setup)

        let status = try CLI.run(["jobs", "status", "--json"] + db, environment: setup.environment, timeout: .seconds(60))
        #expect((try status.json() as? [String: Any])?["total"] as? Int == 40)
        let migrate = try CLI.run(["jobs", "migrate"] + db, environment: setup.environment, timeout: .seconds(60))
        #expect(migrate.stdout == "postgres://callprep@127.0.0.1:\(postgres.port)/postgres: schema up to date (v1: jobs and job_steps, v2: fetch step, wake, retried_at, gates)\n")
    }

    @Test("kill -9 of a worker mid-merge: another process takes the job over after its lease and finishes it, one transcript each")
    func aKilledWorkersJobIsTakenOver() async throws {
        let postgres = try PostgresServer()
        let setup = try await JobsRunCommandTests.Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let db = ["--db", postgres.url()]
        let agent = setup.scratch.path + "/long-agent.wav", customer = setup.scratch.path + "/long-customer.wav"
        try JobsRunCommandTests.writeLongWAV(agent, seconds: 120, rate: 48000, frequency: 220)
        try JobsRunCommandTests.writeLongWAV(customer, seconds: 100, rate: 48000, frequency: 330)
        let ids = ["long-1", "short-1", "short-2", "short-3"]
        let lines = [JobsRunCommandTests.jobLine("long-1", agent: agent, customer: customer)] + ids.dropFirst().map { JobsRunCommandTests.jobLine($0) }
        let file = try setup.scratch.write(lines.joined(separator: "\n") + "\n", as: "jobs.jsonl")
        #expect(try CLI.run(["jobs", "add", "--file", file] + db, environment: setup.environment, timeout: .seconds(60)).status == 0)
        let arguments = setup.runArguments(workers: 1, lease: "2s").filter { !$0.hasPrefix("sqlite:") && $0 != "--db" } + db
        let doomed = try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path)
        let store = try await PostgresJobStore(url: postgres.url())
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        var inMerge = false
        while clock.now < deadline, !inMerge {
            inMerge = try await store.show(JobID("long-1"))?.steps.contains { $0.step == .merge && $0.outcome == .started } == true
            if !inMerge { try await Task.sleep(for: .milliseconds(20)) }
        }
        try #require(inMerge, "long-1 never reached its merge: \(doomed.stderr)")
        doomed.killHard()
        let others = try (0..<2).map { _ in try CLI.Background(arguments, environment: setup.environment, folder: setup.scratch.path) }
        let ended = CLI.waitFor(.seconds(300)) { others.allSatisfy { !$0.process.isRunning } }
        try #require(ended, "the other workers did not finish: \(others.map(\.stderr))")
        for worker in others { #expect(worker.process.terminationStatus == 0, "\(worker.stderr)") }
        let (job, steps) = try #require(try await store.show(JobID("long-1")))
        #expect(job.state == .done && job.claims == 2, "claimed by the killed worker, then by one of the others")
        #expect(steps.filter { $0.step == .merge }.map(\.outcome) == [.started, .finished])
        #expect(Set(steps.filter { $0.step == .merge }.map(\.workerID)).count == 2)
        for id in ids { #expect(try await store.show(JobID(id))?.job.state == .done) }
        await store.shutdown()
        #expect(setup.posts == 4)
        try JobsRunCommandTests.expectOneTranscriptEach(ids, setup)
        let puts = try setup.puts()
        #expect(puts.count == 4 && puts.values.allSatisfy { $0 == 1 }, "\(puts)")
    }
}
