import Foundation
import Synchronization
import Testing
@testable import CallPrepJobs

@Suite struct SQLiteJobStoreClaimTests {
    /// Two stores on one file (as two worker processes would have), four claiming tasks each,
    /// 200 jobs: every job is claimed exactly once.
    @Test func parallelClaimsFromTwoStoresNeverShareAJob() async throws {
        let database = try TemporaryDatabase()
        let first = try SQLiteJobStore(path: database.path)
        let second = try SQLiteJobStore(path: database.path)
        for number in 1...200 { _ = try await first.add(try trackJob("job-\(number)"), replace: false) }

        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                let store = worker.isMultiple(of: 2) ? first : second
                group.addTask {
                    var mine: [String] = []
                    while let lease = try await store.claim(workerID: "worker-\(worker)", leaseDuration: .seconds(300)) {
                        #expect(lease.generation == 1)
                        mine.append(lease.jobID.rawValue)
                        await Task.yield()
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
        #expect(Set(ids).count == 200)
        #expect(Set(ids) == Set((1...200).map { "job-\($0)" }))
        // More than one worker got work (the claims were really concurrent).
        #expect(claimed.filter { !$0.isEmpty }.count > 1)
        let running = try await second.list(state: .running)
        #expect(running.count == 200)
        #expect(running.allSatisfy { $0.claims == 1 && $0.workerID != nil })
    }

    /// Jobs are claimed oldest first.
    @Test func claimsTheOldestJobFirst() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        let store = try SQLiteJobStore(path: database.path, now: clock.reading)
        for id in ["c", "a", "b"] {
            _ = try await store.add(try trackJob(id), replace: false)
            clock.advance(by: 1)
        }
        var order: [String] = []
        while let lease = try await store.claim(workerID: "w", leaseDuration: .seconds(5)) { order.append(lease.jobID.rawValue) }
        #expect(order == ["c", "a", "b"])
    }

    /// A worker that stops renewing loses its job to another after the lease; everything it
    /// then tries on that job is refused, and the new holder resumes with the journal intact.
    @Test func anExpiredLeaseIsTakenOverAndTheOldWorkerIsRefused() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        let storeA = try SQLiteJobStore(path: database.path, now: clock.reading)
        let storeB = try SQLiteJobStore(path: database.path, now: clock.reading)
        _ = try await storeA.add(try trackJob("call-1"), replace: false)

        var leaseA = try #require(try await storeA.claim(workerID: "worker-a", leaseDuration: .seconds(60)))
        let validate = try await storeA.startStep(.validate, lease: leaseA)
        _ = try await storeA.finishStep(validate, outputs: .object(["ok": .bool(true)]), lease: leaseA)
        let mergeA = try await storeA.startStep(.merge, lease: leaseA)
        clock.advance(by: 50)
        leaseA = try await storeA.renew(leaseA, leaseDuration: .seconds(60))
        clock.advance(by: 59)
        // Renewed at 50 s for 60 s: still held at 109 s, so nobody else gets it.
        #expect(try await storeB.claim(workerID: "worker-b", leaseDuration: .seconds(60)) == nil)
        clock.advance(by: 1.001)

        let leaseB = try #require(try await storeB.claim(workerID: "worker-b", leaseDuration: .seconds(60)))
        #expect(leaseB.jobID.rawValue == "call-1")
        #expect(leaseB.generation == 2)

        let takenOver = JobStoreError(
            code: .leaseLost,
            message: "job \"call-1\" was taken over by worker \"worker-b\" after worker \"worker-a\"'s lease ran out; its work is refused")
        await #expect(throws: takenOver) { try await storeA.finishStep(mergeA, outputs: .null, lease: leaseA) }
        await #expect(throws: takenOver) { try await storeA.complete(leaseA) }
        await #expect(throws: takenOver) { try await storeA.renew(leaseA, leaseDuration: .seconds(60)) }
        await #expect(throws: takenOver) { try await storeA.startStep(.upload, lease: leaseA) }
        await #expect(throws: takenOver) { try await storeA.release(leaseA) }

        let mergeB = try await storeB.startStep(.merge, lease: leaseB)
        #expect(mergeB.attempt == 2)
        _ = try await storeB.finishStep(mergeB, outputs: .object(["frames": .int(32_000)]), lease: leaseB)
        try await storeB.complete(leaseB)

        let shown = try #require(try await storeA.show(try JobID("call-1")))
        #expect(shown.job.state == .done)
        #expect(shown.job.claims == 2)
        #expect(shown.steps.map { "\($0.step)/\($0.attempt)/\($0.workerID)/\($0.outcome)" } == [
            "validate/1/worker-a/finished", "merge/1/worker-a/started", "merge/2/worker-b/finished",
        ])
    }

    /// A lease that ran out with nobody taking over is lost all the same.
    @Test func anExpiredLeaseIsRefusedEvenIfNobodyTookItOver() async throws {
        let database = try TemporaryDatabase()
        let clock = TestClock()
        let store = try SQLiteJobStore(path: database.path, now: clock.reading)
        _ = try await store.add(try trackJob("a"), replace: false)
        let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(10)))
        clock.advance(by: 10)
        await #expect(throws: JobStoreError(code: .leaseLost, message: "worker \"w\"'s lease on job \"a\" ran out; renew leases more often than they last")) {
            try await store.renew(lease, leaseDuration: .seconds(10))
        }
        // Its own worker may claim it again, as a new lease.
        let again = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(10)))
        #expect(again.generation == 2)
    }
}
