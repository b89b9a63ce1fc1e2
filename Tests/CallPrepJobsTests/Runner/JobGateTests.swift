import CallPrepJSON
import Foundation
import PostgresTestServer
import Synchronization
import Testing
@testable import CallPrepJobs

/// Rate limits across workers: a server's Retry-After met by one worker holds the step back for
/// the workers of every runner (process) sharing the store — one test body on SQLite and on
/// PostgreSQL — and `maxInFlight` caps the runs of a step at once among one runner's workers.
@Suite(.serialized) struct JobGateTests {
    /// Submits: the first run of `limited` answers 429 with a Retry-After of `retryAfter`; every
    /// submit takes `duration`. Records when each submit started and how many ran at once.
    final class RateLimitedSubmit: JobStepPerformer {
        let limited: String?
        let retryAfter: Duration
        let duration: Duration
        let starts = Mutex<[String: [ContinuousClock.Instant]]>([:])
        let running = Mutex((now: 0, most: 0))
        let failedAt = Mutex<ContinuousClock.Instant?>(nil)

        init(limited: String?, retryAfter: Duration = .seconds(2), duration: Duration = .zero) {
            self.limited = limited
            self.retryAfter = retryAfter
            self.duration = duration
        }

        func steps(for job: JobRecord) -> [JobStep] { [.validate, .submit] }
        func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool { false }
        func perform(_ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext) async throws(JobStepFailure) -> JSONValue {
            guard step == .submit else { return .object(["step": .string(step.rawValue)]) }
            let now = ContinuousClock.now
            let count = starts.withLock { starts in
                starts[job.id.rawValue, default: []].append(now)
                return starts[job.id.rawValue]!.count
            }
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { running.withLock { $0.now -= 1 } }
            if job.id.rawValue == limited, count == 1 {
                failedAt.withLock { $0 = ContinuousClock.now }
                throw .transient("rate_limited", "HTTP 429 Too Many Requests", retryAfter: retryAfter)
            }
            if duration > .zero { try? await Task.sleep(for: duration) }
            return .object(["step": .string(step.rawValue)])
        }
    }

    static func settings(workers: Int = 1, prefix: String, maxInFlight: [JobStep: Int] = [:]) -> JobRunnerSettings {
        var settings = JobRunnerSettings(workers: workers, lease: .seconds(30), maxAttempts: 3, pollInterval: .milliseconds(20),
                                         retryBaseDelay: .milliseconds(10), retryMaxDelay: .milliseconds(20), workerPrefix: prefix)
        settings.maxInFlight = maxInFlight
        return settings
    }

    /// Two runners on one store (two processes would be the same): a 429 with Retry-After 2 s
    /// met by one holds every submit back — the other runner's job too — until it has passed.
    static func gateContract(_ first: any JobStore, _ second: any JobStore) async throws {
        #expect(try await first.holdBackRemaining(JobRunner.gate(of: .submit)) == .zero)
        for id in ["limited", "other"] { _ = try await first.add(try trackJob(id), replace: false) }
        let performer = RateLimitedSubmit(limited: "limited")
        // The runner that claims "limited" first meets the 429; the other claims "other" after.
        let one = JobRunner(store: first, performer: performer, settings: settings(prefix: "one"))
        let firstRun = Task { try await one.run() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline, performer.failedAt.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        let failedAt = try #require(performer.failedAt.withLock { $0 })
        // The runner records the hold right after the step threw.
        var held = Duration.zero
        while clock.now < deadline, held == .zero {
            held = try await second.holdBackRemaining(JobRunner.gate(of: .submit))
            if held == .zero { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(held > .milliseconds(1500) && held <= .seconds(2), "\(held)")
        let two = JobRunner(store: second, performer: performer, settings: settings(prefix: "two"))
        let secondRun = try await two.run()
        _ = try await firstRun.value
        #expect(secondRun.done == 1, "the second runner took the other job")
        let starts = performer.starts.withLock { $0 }
        let other = try #require(starts["other"]?.first)
        let retried = try #require(starts["limited"]?.dropFirst().first)
        // Neither submit started before the Retry-After had passed (store clocks: allow 100 ms).
        #expect(other - failedAt >= .milliseconds(1900), "\(other - failedAt)")
        #expect(retried - failedAt >= .milliseconds(1900), "\(retried - failedAt)")
        #expect(try await first.list(state: .done).count == 2)
        #expect(try await first.holdBackRemaining(JobRunner.gate(of: .submit)) == .zero)
        // A hold never shortens a later one, and is bounded.
        try await first.holdBack("step:results", for: .seconds(60))
        try await first.holdBack("step:results", for: .seconds(1))
        #expect(try await second.holdBackRemaining("step:results") > .seconds(50))
        await #expect(throws: JobStoreError.self) { try await first.holdBack("step:results", for: .seconds(7200)) }
    }

    @Test func aRetryAfterHoldsTheStepBackForEveryRunnerOnSQLite() async throws {
        let database = try TemporaryDatabase()
        try await Self.gateContract(try SQLiteJobStore(path: database.path), try SQLiteJobStore(path: database.path))
    }

    @Test func aRetryAfterHoldsTheStepBackForEveryRunnerOnPostgreSQL() async throws {
        let server = try PostgresServer()
        let first = try await PostgresJobStore(url: server.url())
        let second = try await PostgresJobStore(url: server.url())
        do {
            try await Self.gateContract(first, second)
        } catch {
            await first.shutdown(); await second.shutdown()
            throw error
        }
        await first.shutdown(); await second.shutdown()
    }

    @Test func maxInFlightCapsTheSubmitsOfOneRunner() async throws {
        for (limit, most) in [(1, 1), (2, 2)] {
            let database = try TemporaryDatabase()
            let store = try SQLiteJobStore(path: database.path)
            for number in 1...6 { _ = try await store.add(try trackJob("job-\(number)"), replace: false) }
            let performer = RateLimitedSubmit(limited: nil, duration: .milliseconds(150))
            let summary = try await JobRunner(
                store: store, performer: performer, settings: Self.settings(workers: 4, prefix: "w", maxInFlight: [.submit: limit])
            ).run()
            #expect(summary.done == 6)
            #expect(performer.running.withLock { $0.most } == most, "limit \(limit)")
        }
        // Without a limit the four workers submit together.
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        for number in 1...6 { _ = try await store.add(try trackJob("job-\(number)"), replace: false) }
        let performer = RateLimitedSubmit(limited: nil, duration: .milliseconds(150))
        _ = try await JobRunner(store: store, performer: performer, settings: Self.settings(workers: 4, prefix: "w")).run()
        #expect(performer.running.withLock { $0.most } > 2)
    }
}
