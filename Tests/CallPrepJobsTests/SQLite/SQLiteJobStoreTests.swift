import CallPrepJSON
import Foundation
import Testing
@testable import CallPrepJobs

/// One job's spec for the store tests: two tracks, nothing else.
func trackJob(_ id: String, tracks: [String] = ["a.wav", "b.wav"]) throws -> JobSpec {
    JobSpec(id: try JobID(id), source: .tracks(tracks))
}

@Suite struct SQLiteJobStoreTests {
    @Test func addIsIdempotentUnlessReplacing() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        #expect(try await store.add(try trackJob("call-1"), replace: false) == .added)
        #expect(try await store.add(try trackJob("call-1", tracks: ["x.wav", "y.wav"]), replace: false) == .exists)
        #expect(try await store.list(state: nil).map(\.spec.source) == [.tracks(["a.wav", "b.wav"])])

        #expect(try await store.add(try trackJob("call-1", tracks: ["x.wav", "y.wav"]), replace: true) == .replaced)
        let jobs = try await store.list(state: nil)
        #expect(jobs.count == 1)
        #expect(jobs[0].spec.source == .tracks(["x.wav", "y.wav"]))
        #expect(jobs[0].state == .queued)
    }

    @Test func reAddingAJobsFileDuplicatesNothing() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        let text = (1...20).map { #"{"id": "call-\#($0)", "tracks": ["a\#($0).wav", "b\#($0).wav"]}"# }.joined(separator: "\n")
        for expected in [JobAddOutcome.added, .exists] {
            for line in JobSpecReader.lines(of: text) {
                #expect(try await store.add(try line.result.get(), replace: false) == expected)
            }
        }
        let status = try await store.status()
        #expect(status.total == 20)
        #expect(status.counts[.queued] == 20)
    }

    @Test func replacingARunningJobIsRefusedWhileItsLeaseHolds() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        let store = try SQLiteJobStore(path: database.path, now: clock.reading)
        _ = try await store.add(try trackJob("call-1"), replace: false)
        let lease = try #require(try await store.claim(workerID: "w1", leaseDuration: .seconds(60)))
        _ = try await store.startStep(.validate, lease: lease)
        await #expect(throws: JobStoreError.self) { try await store.add(try trackJob("call-1"), replace: true) }
        clock.advance(by: 61)
        #expect(try await store.add(try trackJob("call-1"), replace: true) == .replaced)
        let shown = try #require(try await store.show(try JobID("call-1")))
        #expect(shown.job.state == .queued)
        #expect(shown.job.claims == 0)
        #expect(shown.steps.isEmpty)
    }

    @Test func journalsEachRunOfEachStep() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        let store = try SQLiteJobStore(path: database.path, now: clock.reading)
        _ = try await store.add(try trackJob("call-1"), replace: false)
        let lease = try #require(try await store.claim(workerID: "worker-a", leaseDuration: .seconds(30)))
        #expect(lease.generation == 1)
        #expect(lease.job.state == .running)
        #expect(lease.leasedUntil == clock.now.addingTimeInterval(30))

        let validate = try await store.startStep(.validate, lease: lease)
        clock.advance(by: 1.5)
        let outputs: JSONValue = .object(["path": .string("out/call-1/call-1.flac"), "bytes": .int(123_456), "sha256": .string("ab12")])
        let validated = try await store.finishStep(validate, outputs: outputs, lease: lease)
        #expect(validated.outcome == .finished)

        let firstMerge = try await store.startStep(.merge, lease: lease)
        _ = try await store.failStep(firstMerge, code: "disk_full", message: "no space left on device", lease: lease)
        let secondMerge = try await store.startStep(.merge, lease: lease)
        #expect(firstMerge.attempt == 1)
        #expect(secondMerge.attempt == 2)
        // A run ends once.
        await #expect(throws: JobStoreError(code: .stepNotStarted, message: "job \"call-1\": step merge attempt 1 was not started by worker \"worker-a\" or has already ended")) {
            try await store.finishStep(firstMerge, outputs: .null, lease: lease)
        }

        let shown = try #require(try await store.show(try JobID("call-1")))
        #expect(shown.steps.map(\.step) == [.validate, .merge, .merge])
        #expect(shown.steps.map(\.attempt) == [1, 1, 2])
        #expect(shown.steps.map(\.outcome) == [.finished, .failed, .started])
        #expect(shown.steps[0].workerID == "worker-a")
        #expect(shown.steps[0].startedAt == Date(timeIntervalSince1970: 1_796_000_000))
        #expect(shown.steps[0].finishedAt == Date(timeIntervalSince1970: 1_796_000_001.5))
        // Read back as JSON (keys sorted by the reader), with its integers still integers.
        #expect(shown.steps[0].outputs.serialized(.compact) == #"{"bytes": 123456, "path": "out/call-1/call-1.flac", "sha256": "ab12"}"#)
        #expect(shown.steps[1].errorCode == "disk_full")
        #expect(shown.steps[1].errorMessage == "no space left on device")
        #expect(shown.steps[2].finishedAt == nil)
        #expect(shown.steps[2].outputs == .null)
    }

    @Test func failRetryCancelAndComplete() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        for id in ["a", "b", "c"] { _ = try await store.add(try trackJob(id), replace: false) }

        let a = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(60)))
        #expect(a.jobID.rawValue == "a")
        let run = try await store.startStep(.validate, lease: a)
        _ = try await store.failStep(run, code: "file_not_found", message: "a.wav does not exist", lease: a)
        try await store.fail(a, failure: JobFailure(step: .validate, code: "file_not_found", message: "a.wav does not exist"))
        // The lease ended with the job.
        await #expect(throws: JobStoreError.self) { try await store.complete(a) }

        let b = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(60)))
        #expect(b.jobID.rawValue == "b")
        try await store.complete(b)
        try await store.cancel(try JobID("c"))
        #expect(try await store.claim(workerID: "w", leaseDuration: .seconds(60)) == nil)

        var status = try await store.status()
        #expect(status.counts == [.queued: 0, .running: 0, .done: 1, .failed: 1, .cancelled: 1])
        #expect(status.doneLastHour == 1)
        #expect(status.oldestQueuedAt == nil)
        let failed = try await store.list(state: .failed)
        #expect(failed.map(\.id.rawValue) == ["a"])
        #expect(failed[0].error == JobFailure(step: .validate, code: "file_not_found", message: "a.wav does not exist"))

        await #expect(throws: JobStoreError.self) { try await store.retry(try JobID("b")) }
        await #expect(throws: JobStoreError.self) { try await store.cancel(try JobID("b")) }
        await #expect(throws: JobStoreError(code: .notFound, message: "there is no job \"zz\"; `callprep jobs list` shows the jobs")) {
            try await store.retry(try JobID("zz"))
        }
        try await store.retry(try JobID("a"))
        try await store.retry(try JobID("c"))
        status = try await store.status()
        #expect(status.counts[.queued] == 2)
        #expect(status.oldestQueuedAt != nil)

        // A retried job resumes: its journal is kept, its claim count goes on.
        let again = try #require(try await store.claim(workerID: "w2", leaseDuration: .seconds(60)))
        #expect(again.jobID.rawValue == "a")
        #expect(again.generation == 2)
        #expect(try await store.show(again.jobID)?.steps.count == 1)
        try await store.release(again)
        #expect(try await store.list(state: .queued).map(\.id.rawValue) == ["a", "c"])
    }

    @Test func cancellingARunningJobTakesTheLeaseAway() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        _ = try await store.add(try trackJob("a"), replace: false)
        let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(60)))
        let run = try await store.startStep(.merge, lease: lease)
        try await store.cancel(lease.jobID)
        await #expect(throws: JobStoreError(code: .leaseLost, message: "job \"a\" is cancelled now; worker \"w\" must stop working on it")) {
            try await store.finishStep(run, outputs: .null, lease: lease)
        }
        #expect(try await store.show(lease.jobID)?.job.state == .cancelled)
    }

    @Test func leasesAreRangeChecked() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        _ = try await store.add(try trackJob("a"), replace: false)
        for duration: Duration in [.zero, .seconds(-1), .seconds(8 * 24 * 3600)] {
            await #expect(throws: JobStoreError.self) { try await store.claim(workerID: "w", leaseDuration: duration) }
        }
        await #expect(throws: JobStoreError.self) { try await store.claim(workerID: "", leaseDuration: .seconds(1)) }
        #expect(try await store.list(state: .queued).count == 1)
    }
}
