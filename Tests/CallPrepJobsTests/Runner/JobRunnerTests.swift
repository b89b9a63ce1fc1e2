import CallPrepJSON
import CallPrepJobs
import Foundation
import Synchronization
import Testing

/// The runner's rules on a real SQLite store, with a performer whose steps succeed or fail as
/// each test says: resume after verified steps, retries of transient failures up to the limit,
/// permanent failures at once, every run journaled.
@Suite struct JobRunnerTests {
    /// Fails the listed (job, step) pairs a number of times, transiently or not; records each run.
    final class ScriptedPerformer: JobStepPerformer {
        struct Plan: Sendable { var failures: Int; var transient: Bool }
        let plans: [String: Plan]
        let runs = Mutex<[String]>([])
        let rejected: Set<String>

        init(_ plans: [String: Plan] = [:], rejectVerification: Set<String> = []) {
            self.plans = plans
            self.rejected = rejectVerification
        }

        func steps(for job: JobRecord) -> [JobStep] { [.validate, .merge, .submit] }

        func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool {
            !rejected.contains("\(job.id)/\(step.rawValue)") && outputs["step"]?.stringValue == step.rawValue
        }

        func perform(_ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext) async throws(JobStepFailure) -> JSONValue {
            let key = "\(job.id)/\(step.rawValue)"
            let count = runs.withLock { runs in
                runs.append(key)
                return runs.filter { $0 == key }.count
            }
            if let plan = plans[key], count <= plan.failures {
                throw JobStepFailure(code: plan.transient ? "server_error" : "unsupported_format", message: "run \(count) of \(key)", isTransient: plan.transient)
            }
            // Each step sees the outputs of those before it.
            return .object(["step": .string(step.rawValue), "earlier": .int(Int64(earlier.count))])
        }

        var log: [String] { runs.withLock { $0 } }
    }

    static func settings(_ maxAttempts: Int = 3, workers: Int = 1) -> JobRunnerSettings {
        JobRunnerSettings(workers: workers, lease: .seconds(30), maxAttempts: maxAttempts, pollInterval: .milliseconds(20),
                          retryBaseDelay: .milliseconds(5), retryMaxDelay: .milliseconds(20), workerPrefix: "test")
    }

    static func store(with ids: [String]) async throws -> (SQLiteJobStore, TemporaryDatabase) {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        for id in ids {
            _ = try await store.add(JobSpec(id: try JobID(id), source: .tracks(["a.wav", "b.wav"])), replace: false)
        }
        return (store, database)
    }

    @Test func transientFailuresAreRetriedAndPermanentOnesFailTheJobAtOnce() async throws {
        let (store, database) = try await Self.store(with: ["flaky", "broken", "hopeless", "fine"])
        let performer = ScriptedPerformer([
            "flaky/merge": .init(failures: 2, transient: true),
            "broken/validate": .init(failures: 1, transient: false),
            "hopeless/submit": .init(failures: 99, transient: true),
        ])
        let summary = try await JobRunner(store: store, performer: performer, settings: Self.settings(3)).run()
        #expect(summary.done == 2 && summary.failed == 2 && !summary.interrupted)
        #expect(try await store.show(JobID("flaky"))?.job.state == .done)
        let flaky = try #require(try await store.show(JobID("flaky"))).steps
        #expect(flaky.filter { $0.step == .merge }.map(\.outcome) == [.failed, .failed, .finished])
        #expect(flaky.filter { $0.step == .merge }.map(\.attempt) == [1, 2, 3])
        #expect(flaky.first { $0.step == .submit }?.outputs["earlier"] == .int(2))

        let broken = try #require(try await store.show(JobID("broken")))
        #expect(broken.job.state == .failed)
        #expect(broken.job.error == JobFailure(step: .validate, code: "unsupported_format", message: "run 1 of broken/validate"))
        #expect(broken.steps.count == 1)

        let hopeless = try #require(try await store.show(JobID("hopeless")))
        #expect(hopeless.job.state == .failed)
        #expect(hopeless.job.error?.step == .submit)
        #expect(hopeless.job.error?.message == "run 3 of hopeless/submit (gave up after 3 attempts)")
        #expect(hopeless.steps.filter { $0.step == .submit }.count == 3)
        #expect(performer.log.filter { $0 == "fine/validate" }.count == 1)
        _ = database
    }

    @Test func aRetriedJobResumesAfterItsVerifiedStepsAndRedoesWhatNoLongerVerifies() async throws {
        let (store, database) = try await Self.store(with: ["call"])
        let first = ScriptedPerformer(["call/submit": .init(failures: 1, transient: false)])
        _ = try await JobRunner(store: store, performer: first, settings: Self.settings()).run()
        #expect(try await store.show(JobID("call"))?.job.state == .failed)
        try await store.retry(JobID("call"))

        // validate verifies; merge does not (its file changed), so merge and submit run again.
        let second = ScriptedPerformer(rejectVerification: ["call/merge"])
        let summary = try await JobRunner(store: store, performer: second, settings: Self.settings()).run()
        #expect(summary.done == 1)
        #expect(second.log == ["call/merge", "call/submit"])
        let steps = try #require(try await store.show(JobID("call"))).steps
        #expect(steps.map(\.step) == [.validate, .merge, .submit, .merge, .submit])
        #expect(steps.map(\.outcome) == [.finished, .finished, .failed, .finished, .finished])
        _ = database
    }

    @Test func twoRunnersOnOneFileRunEachJobOnce() async throws {
        let ids = (1...40).map { "job-\($0)" }
        let (store, database) = try await Self.store(with: ids)
        let other = try SQLiteJobStore(path: database.path)
        let performerA = ScriptedPerformer(), performerB = ScriptedPerformer()
        async let a = JobRunner(store: store, performer: performerA, settings: Self.settings(workers: 3)).run()
        async let b = JobRunner(store: other, performer: performerB, settings: Self.settings(workers: 3)).run()
        let (summaryA, summaryB) = try await (a, b)
        #expect(summaryA.done + summaryB.done == 40)
        let runs = performerA.log + performerB.log
        #expect(runs.count == 120)
        #expect(Set(runs).count == 120, "no step of any job ran twice")
        #expect(try await store.status().counts[.done] == 40)
    }

    @Test func cancellingTheRunReleasesTheJobAndJournalsTheRunAsInterrupted() async throws {
        let (store, database) = try await Self.store(with: ["slow"])
        struct Stalling: JobStepPerformer {
            func steps(for job: JobRecord) -> [JobStep] { [.validate, .merge] }
            func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool { true }
            func perform(_ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext) async throws(JobStepFailure) -> JSONValue {
                if step == .merge {
                    do { try await Task.sleep(for: .seconds(600)) } catch { throw .transient("interrupted", "cancelled") }
                }
                return .object(["step": .string(step.rawValue)])
            }
        }
        let task = Task { try await JobRunner(store: store, performer: Stalling(), settings: Self.settings()).run() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline, try await store.show(JobID("slow"))?.steps.contains(where: { $0.step == .merge }) != true {
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        let summary = try await task.value
        #expect(summary.released == 1 && summary.interrupted)
        let (job, steps) = try #require(try await store.show(JobID("slow")))
        #expect(job.state == .queued && job.workerID == nil)
        #expect(steps.last?.step == .merge && steps.last?.outcome == .failed && steps.last?.errorCode == "interrupted")
        _ = database
    }
}
