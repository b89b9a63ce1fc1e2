import CallPrepJSON
import Foundation
import PostgresTestServer
import Synchronization
import Testing
@testable import CallPrepJobs

/// Two behaviours every store must share, each one test body run on SQLite and on PostgreSQL:
/// waking a job that waits on a transcript SID (one row update, visible to the lease holder once),
/// and attempts that survive claims — a run left `started` by a worker that died counts, so a
/// job whose worker keeps dying fails at the attempt limit instead of being retried forever;
/// `jobs retry` gives its steps their attempts afresh.
@Suite(.serialized) struct JobWakeAndAttemptsTests {
    /// Fails `merge` transiently every time; records its runs.
    final class FailingMerge: JobStepPerformer {
        let merges = Mutex(0)
        func steps(for job: JobRecord) -> [JobStep] { [.validate, .merge, .submit] }
        func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool { outputs["step"]?.stringValue == step.rawValue }
        func perform(_ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext) async throws(JobStepFailure) -> JSONValue {
            if step == .merge {
                merges.withLock { $0 += 1 }
                throw .transient("server_error", "the disk is busy")
            }
            return .object(["step": .string(step.rawValue)])
        }
    }

    static func settings(_ maxAttempts: Int) -> JobRunnerSettings {
        JobRunnerSettings(workers: 1, lease: .seconds(30), maxAttempts: maxAttempts, pollInterval: .milliseconds(20),
                          retryBaseDelay: .milliseconds(1), retryMaxDelay: .milliseconds(5), workerPrefix: "runner")
    }

    // MARK: - Wake

    static func wakeContract(_ store: any JobStore, clock: TestClock) async throws {
        _ = try await store.add(try trackJob("waits"), replace: false)
        _ = try await store.add(try trackJob("other"), replace: false)
        let transcript = "GT" + String(repeating: "7", count: 32)
        // Nobody watches the SID yet: nothing is woken.
        #expect(try await store.wake(waitingOn: transcript) == nil)
        let lease = try #require(try await store.claim(workerID: "w1", leaseDuration: .seconds(30)))
        #expect(lease.jobID.rawValue == "waits")
        try await store.watch(transcript, lease: lease)
        #expect(try await store.takeWake(lease) == false)
        #expect(try await store.wake(waitingOn: transcript)?.rawValue == "waits")
        // Taken once; a second check sees nothing until the next wake.
        #expect(try await store.takeWake(lease) == true)
        #expect(try await store.takeWake(lease) == false)
        #expect(try await store.wake(waitingOn: transcript)?.rawValue == "waits")
        // Another worker's lease on another job does not take this job's wake.
        let other = try #require(try await store.claim(workerID: "w2", leaseDuration: .seconds(30)))
        #expect(other.jobID.rawValue == "other")
        #expect(try await store.takeWake(other) == false)
        #expect(try await store.takeWake(lease) == true)
        // Watching again (a new wait step) clears a wake that came before it.
        _ = try await store.wake(waitingOn: transcript)
        try await store.watch(transcript, lease: lease)
        #expect(try await store.takeWake(lease) == false)
        // A worker whose lease ran out cannot watch; after the job is done nothing waits on the SID.
        clock.advance(by: 31)
        await #expect(throws: JobStoreError.self) { try await store.watch(transcript, lease: lease) }
        let again = try #require(try await store.claim(workerID: "w3", leaseDuration: .seconds(30)))
        #expect(again.jobID.rawValue == "waits")
        #expect(try await store.wake(waitingOn: transcript)?.rawValue == "waits", "a job taken over still waits on its SID")
        #expect(try await store.takeWake(lease) == false, "the old holder does not get the wake")
        #expect(try await store.takeWake(again) == true)
        try await store.complete(again)
        #expect(try await store.wake(waitingOn: transcript) == nil)
        await #expect(throws: JobStoreError.self) { _ = try await store.wake(waitingOn: "") }
    }

    @Test func wakeOnSQLite() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        try await Self.wakeContract(try SQLiteJobStore(path: database.path, now: clock.reading), clock: clock)
    }

    @Test func wakeOnPostgreSQL() async throws {
        let server = try PostgresServer()
        let clock = TestClock()
        let store = try await PostgresJobStore(url: server.url(), now: clock.reading)
        do {
            try await Self.wakeContract(store, clock: clock)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    // MARK: - Attempts across claims

    /// Claims the job, finishes validate the first time, starts merge and abandons it — what a
    /// worker killed during its merge leaves — then lets the lease run out.
    static func abandonMerge(_ store: any JobStore, clock: TestClock, worker: String) async throws {
        let lease = try #require(try await store.claim(workerID: worker, leaseDuration: .seconds(10)))
        let history = try await store.show(lease.jobID)?.steps ?? []
        if !history.contains(where: { $0.step == .validate && $0.outcome == .finished }) {
            let validate = try await store.startStep(.validate, lease: lease)
            _ = try await store.finishStep(validate, outputs: .object(["step": .string("validate")]), lease: lease)
        }
        _ = try await store.startStep(.merge, lease: lease)
        clock.advance(by: 11)
    }

    static func attemptsContract(_ store: any JobStore, clock: TestClock) async throws {
        // A job whose merge killed its worker three times: the runner fails it at once.
        _ = try await store.add(try trackJob("dies"), replace: false)
        for number in 1...3 { try await abandonMerge(store, clock: clock, worker: "dead-\(number)") }
        let performer = FailingMerge()
        let summary = try await JobRunner(store: store, performer: performer, settings: settings(3)).run()
        #expect(summary.failed == 1)
        #expect(performer.merges.withLock { $0 } == 0, "the merge did not run a fourth time")
        let (dead, steps) = try #require(try await store.show(JobID("dies")))
        #expect(dead.state == .failed && dead.claims == 4)
        #expect(dead.error?.step == .merge && dead.error?.code == JobStepFailure.workerLostCode, "\(String(describing: dead.error))")
        #expect(dead.error?.message.contains("gave up after 3 attempts, 3 of them ended by a worker that stopped without finishing") == true,
                "\(String(describing: dead.error))")
        #expect(steps.filter { $0.step == .merge }.map(\.outcome) == [.started, .started, .started])

        // `jobs retry`: three attempts afresh, all failing; the abandoned runs before it do not count.
        try await store.retry(JobID("dies"))
        #expect(try await store.show(JobID("dies"))?.job.retriedAt != nil)
        clock.advance(by: 1)
        _ = try await JobRunner(store: store, performer: performer, settings: settings(3)).run()
        #expect(performer.merges.withLock { $0 } == 3)
        let retried = try #require(try await store.show(JobID("dies")))
        #expect(retried.job.state == .failed && retried.job.error?.code == "server_error")
        #expect(retried.job.error?.message == "the disk is busy (gave up after 3 attempts)")

        // Two dead runs and a limit of 3: one more run, then the job fails.
        _ = try await store.add(try trackJob("twice"), replace: false)
        for number in 1...2 { try await abandonMerge(store, clock: clock, worker: "gone-\(number)") }
        let second = FailingMerge()
        _ = try await JobRunner(store: store, performer: second, settings: settings(3)).run()
        #expect(second.merges.withLock { $0 } == 1)
        let twice = try #require(try await store.show(JobID("twice")))
        #expect(twice.job.state == .failed && twice.job.error?.message == "the disk is busy (gave up after 3 attempts)",
                "\(String(describing: twice.job.error))")
        #expect(twice.steps.filter { $0.step == .merge }.map(\.outcome) == [.started, .started, .failed])
    }

    @Test func attemptsSurviveClaimsOnSQLite() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        try await Self.attemptsContract(try SQLiteJobStore(path: database.path, now: clock.reading), clock: clock)
    }

    @Test func attemptsSurviveClaimsOnPostgreSQL() async throws {
        let server = try PostgresServer()
        let clock = TestClock()
        let store = try await PostgresJobStore(url: server.url(), now: clock.reading)
        do {
            try await Self.attemptsContract(store, clock: clock)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}
