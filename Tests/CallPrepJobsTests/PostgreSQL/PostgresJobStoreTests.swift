import CallPrepJSON
import Foundation
import PostgresTestServer
import Testing
@testable import CallPrepJobs

/// The PostgreSQL store against a real server (a throwaway cluster per test): the same
/// semantics as the SQLite store — adding, claiming oldest first, leases fenced by generation,
/// the journal, retry and cancel — claims that never share a job across stores, and the runner
/// on two stores.
@Suite(.serialized) struct PostgresJobStoreTests {
    @Test func theStoreBehavesAsTheSQLiteStoreDoes() async throws {
        let server = try PostgresServer()
        let clock = TestClock()
        let store = try await PostgresJobStore(url: server.url(), now: clock.reading)
        defer { Task { await store.shutdown() } }
        #expect(store.location == "postgres://callprep@127.0.0.1:\(server.port)/postgres")
        #expect(try await store.appliedMigrations() == ["v1: jobs and job_steps", "v2: fetch step, wake, retried_at, gates"])
        for id in ["c", "a", "b"] {
            #expect(try await store.add(try trackJob(id), replace: false) == .added)
            clock.advance(by: 1)
        }
        #expect(try await store.add(try trackJob("a"), replace: false) == .exists)
        var changed = try trackJob("a")
        changed.source = .tracks(["x.wav", "y.wav"])
        #expect(try await store.add(changed, replace: true) == .replaced)
        // "a" was replaced: it is the newest now.
        let first = try #require(try await store.claim(workerID: "w1", leaseDuration: .seconds(10)))
        #expect(first.jobID.rawValue == "c" && first.generation == 1 && first.job.state == .running)
        let run = try await store.startStep(.validate, lease: first)
        #expect(run.attempt == 1)
        let finished = try await store.finishStep(run, outputs: .object(["frames": .int(32_000)]), lease: first)
        #expect(finished.outcome == .finished)
        await #expect(throws: JobStoreError.self) { _ = try await store.finishStep(run, outputs: .null, lease: first) }
        let merge = try await store.startStep(.merge, lease: first)
        _ = try await store.failStep(merge, code: "write_failed", message: "disk full", lease: first)
        let again = try await store.startStep(.merge, lease: first)
        #expect(again.attempt == 2)
        // The lease runs out; another worker takes the job over; the first is refused.
        clock.advance(by: 11)
        let second = try #require(try await store.claim(workerID: "w2", leaseDuration: .seconds(10)))
        #expect(second.jobID.rawValue == "c" && second.generation == 2)
        do {
            _ = try await store.finishStep(again, outputs: .null, lease: first)
            Issue.record("the old lease still worked")
        } catch {
            #expect(error.code == .leaseLost)
            #expect(error.message.contains("taken over by worker \"w2\""))
        }
        let renewed = try await store.renew(second, leaseDuration: .seconds(60))
        #expect(renewed.leasedUntil > second.leasedUntil)
        try await store.fail(second, failure: JobFailure(step: .merge, code: "write_failed", message: "disk full"))
        let shown = try #require(try await store.show(JobID("c")))
        #expect(shown.job.state == .failed && shown.job.claims == 2 && shown.job.error?.code == "write_failed")
        #expect(shown.steps.map(\.step) == [.validate, .merge, .merge])
        #expect(shown.steps.map(\.outcome) == [.finished, .failed, .started])
        #expect(shown.steps[0].outputs == .object(["frames": .int(32_000)]))
        #expect(shown.steps[1].errorCode == "write_failed" && shown.steps[1].errorMessage == "disk full")

        try await store.retry(JobID("c"))
        await #expect(throws: JobStoreError.self) { try await store.retry(JobID("b")) }
        try await store.cancel(JobID("b"))
        let nobody = try JobID("nobody")
        do {
            try await store.cancel(nobody)
            Issue.record("cancelled a job that does not exist")
        } catch {
            #expect(error.code == .notFound)
        }
        let status = try await store.status()
        #expect(status.counts == [.queued: 2, .running: 0, .done: 0, .failed: 0, .cancelled: 1])
        #expect(try await store.list(state: .queued).map(\.id.rawValue) == ["c", "a"])
        #expect(try await store.list(state: nil).count == 3)
        #expect(try await store.show(JobID("nobody")) == nil)
    }

    @Test func migrationsRunOnceAndANewerSchemaIsRefused() async throws {
        let server = try PostgresServer()
        // Three stores opening a new database at once: one applies the migration.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let store = try await PostgresJobStore(url: server.url())
                    await store.shutdown()
                }
            }
            try await group.waitForAll()
        }
        let store = try await PostgresJobStore(url: server.url())
        #expect(try await store.appliedMigrations() == ["v1: jobs and job_steps", "v2: fetch step, wake, retried_at, gates"])
        _ = try await store.add(try trackJob("kept"), replace: false)
        try await store.migrate()
        #expect(try await store.list(state: nil).map(\.id.rawValue) == ["kept"])
        // A later callprep recorded a migration this one does not know.
        let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(5)))
        #expect(lease.jobID.rawValue == "kept")
        await store.shutdown()
        try PostgresServer.run(PostgresServer.binaries + "/psql", [
            "-h", "127.0.0.1", "-p", String(server.port), "-U", PostgresServer.user, "-d", "postgres", "-c",
            "INSERT INTO callprep_migrations VALUES ('v2: from the future', 0)",
        ])
        do {
            _ = try await PostgresJobStore(url: server.url())
            Issue.record("a newer schema was accepted")
        } catch {
            #expect(error.code == .newerSchema)
        }
        let closedPort = try PostgresServer.freePort()
        do {
            _ = try await PostgresJobStore(url: "postgres://callprep@127.0.0.1:\(closedPort)/postgres?sslmode=disable")
            Issue.record("connected to nothing")
        } catch {
            #expect(error.code == .database)
            #expect(!error.message.isEmpty)
        }
    }

    /// A database written by a callprep with schema version 1 (a failed job and its journal) is
    /// migrated in place when a store opens it: the rows kept, the `fetch` step accepted by the
    /// replaced check, and the v2 columns (`retried_at`, `wake_key`, `woken_at`) and `job_gates`
    /// table there and used.
    @Test func aVersionOneDatabaseIsMigratedWithItsJournal() async throws {
        let server = try PostgresServer()
        let psql = { (sql: String) throws in
            try PostgresServer.run(PostgresServer.binaries + "/psql", [
                "-h", "127.0.0.1", "-p", String(server.port), "-U", PostgresServer.user, "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", sql,
            ])
        }
        let v1 = try #require(PostgresJobSchema.migrations.first)
        #expect(v1.name == "v1: jobs and job_steps")
        try psql(v1.statements.joined(separator: ";\n") + """
            ;
            CREATE TABLE callprep_migrations (identifier TEXT PRIMARY KEY, applied_at BIGINT NOT NULL);
            INSERT INTO callprep_migrations VALUES ('v1: jobs and job_steps', 500);
            INSERT INTO jobs (id, spec, state, claims, created_at, updated_at, finished_at, error_step, error_code, error_message)
                VALUES ('old', '{"id": "old", "tracks": ["a.wav", "b.wav"]}', 'failed', 2, 1000, 2000, 2000, 'merge', 'write_failed', 'disk full');
            INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, finished_at, outcome, outputs)
                VALUES ('old', 'validate', 1, 'w', 1000, 1500, 'finished', '{"frames":32000}');
            INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, finished_at, outcome, error_code, error_message)
                VALUES ('old', 'merge', 1, 'w', 1600, 1700, 'failed', 'write_failed', 'disk full');
            """)
        // Version 1's check refuses the fetch step.
        #expect(throws: PostgresServerFailure.self) {
            try psql("INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome) VALUES ('old', 'fetch', 1, 'w', 1, 'started')")
        }

        let store = try await PostgresJobStore(url: server.url())
        defer { Task { await store.shutdown() } }
        #expect(try await store.appliedMigrations() == ["v1: jobs and job_steps", "v2: fetch step, wake, retried_at, gates"])
        let (job, steps) = try #require(try await store.show(JobID("old")))
        #expect(job.state == .failed && job.claims == 2 && job.retriedAt == nil)
        #expect(job.error == JobFailure(step: .merge, code: "write_failed", message: "disk full"))
        #expect(job.spec.source == .tracks(["a.wav", "b.wav"]))
        #expect(steps.map(\.step) == [.validate, .merge] && steps.map(\.outcome) == [.finished, .failed])
        #expect(steps[0].outputs == .object(["frames": .int(32_000)]))
        #expect(steps[1].errorCode == "write_failed" && steps[1].errorMessage == "disk full")

        // retried_at, the fetch step, wake_key and woken_at, job_gates.
        try await store.retry(JobID("old"))
        #expect(try await store.show(JobID("old"))?.job.retriedAt != nil)
        let lease = try #require(try await store.claim(workerID: "w2", leaseDuration: .seconds(30)))
        #expect(lease.jobID.rawValue == "old" && lease.generation == 3)
        let fetch = try await store.startStep(.fetch, lease: lease)
        #expect(fetch.step == .fetch && fetch.attempt == 1)
        let transcript = "GT" + String(repeating: "0", count: 32)
        try await store.watch(transcript, lease: lease)
        #expect(try await store.wake(waitingOn: transcript)?.rawValue == "old")
        #expect(try await store.takeWake(lease))
        #expect(try await store.takeWake(lease) == false)
        try await store.holdBack("step:submit", for: .seconds(30))
        let held = try await store.holdBackRemaining("step:submit")
        #expect(held > .seconds(25) && held <= .seconds(30))
        #expect(try await store.show(JobID("old"))?.steps.map(\.step) == [.validate, .merge, .fetch])
        // The replaced check still refuses a step that is none.
        #expect(throws: PostgresServerFailure.self) {
            try psql("INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome) VALUES ('old', 'dance', 1, 'w', 1, 'started')")
        }
    }

    /// Two stores (as two machines would have), four claiming tasks each, 200 jobs: every job is
    /// claimed exactly once.
    @Test func parallelClaimsFromTwoStoresNeverShareAJob() async throws {
        let server = try PostgresServer()
        let first = try await PostgresJobStore(url: server.url())
        let second = try await PostgresJobStore(url: server.url())
        defer { Task { await first.shutdown(); await second.shutdown() } }
        for number in 1...200 { _ = try await first.add(try trackJob("job-\(number)"), replace: false) }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                let store = worker.isMultiple(of: 2) ? first : second
                group.addTask {
                    var mine: [String] = []
                    while let lease = try await store.claim(workerID: "worker-\(worker)", leaseDuration: .seconds(300)) {
                        #expect(lease.generation == 1)
                        mine.append(lease.jobID.rawValue)
                    }
                    return mine
                }
            }
            var all: [[String]] = []
            for try await ids in group { all.append(ids) }
            return all
        }
        let ids = claimed.flatMap { $0 }
        #expect(ids.count == 200)
        #expect(Set(ids) == Set((1...200).map { "job-\($0)" }))
        #expect(claimed.filter { !$0.isEmpty }.count > 1)
        #expect(try await second.list(state: .running).allSatisfy { $0.claims == 1 })
    }

    @Test func twoRunnersOnTwoStoresRunEachStepOnce() async throws {
        let server = try PostgresServer()
        let first = try await PostgresJobStore(url: server.url())
        let second = try await PostgresJobStore(url: server.url())
        defer { Task { await first.shutdown(); await second.shutdown() } }
        for number in 1...40 { _ = try await first.add(try trackJob("job-\(number)"), replace: false) }
        let performerA = JobRunnerTests.ScriptedPerformer(), performerB = JobRunnerTests.ScriptedPerformer()
        async let a = JobRunner(store: first, performer: performerA, settings: JobRunnerTests.settings(workers: 3)).run()
        async let b = JobRunner(store: second, performer: performerB, settings: JobRunnerTests.settings(workers: 3)).run()
        let (summaryA, summaryB) = try await (a, b)
        #expect(summaryA.done + summaryB.done == 40)
        let runs = performerA.log + performerB.log
        #expect(runs.count == 120 && Set(runs).count == 120, "no step of any job ran twice")
        #expect(try await first.status().counts[.done] == 40)
        // The journal agrees: three finished runs per job, attempt 1 each.
        let (_, steps) = try #require(try await second.show(JobID("job-17")))
        #expect(steps.map(\.step) == [.validate, .merge, .submit] && steps.allSatisfy { $0.attempt == 1 && $0.outcome == .finished })
    }
}
