@testable import AudioPrep
import Foundation
import Testing

@Suite struct WorkerThreadsTests {
    /// Every job runs exactly once, on the pool's own threads, several at a time, and jobs queued
    /// before `shutDown()` still run.
    @Test func runsEveryQueuedJobOnItsOwnThreads() {
        let pool = WorkerThreads(count: 3, name: "test-pool")
        let lock = NSLock()
        let group = DispatchGroup()
        nonisolated(unsafe) var seen = [Int](repeating: 0, count: 500)
        nonisolated(unsafe) var threads = Set<UInt>()
        let caller = UInt(pthread_self())
        nonisolated(unsafe) var running = 0
        nonisolated(unsafe) var mostAtOnce = 0
        for index in 0..<500 {
            group.enter()
            pool.submit {
                lock.lock()
                seen[index] += 1
                threads.insert(UInt(pthread_self()))
                running += 1
                mostAtOnce = max(mostAtOnce, running)
                lock.unlock()
                usleep(200)
                lock.lock()
                running -= 1
                lock.unlock()
                group.leave()
            }
        }
        pool.shutDown()
        #expect(group.wait(timeout: .now() + 30) == .success)
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(threads.count >= 2 && threads.count <= 3)
        #expect(!threads.contains(caller))
        #expect(mostAtOnce >= 2 && mostAtOnce <= 3)
    }
}

@Suite struct WorkerThreadsMemoryTests {
    /// What a job captured is released when the job has run (the merge's jobs capture a
    /// segment's samples: holding on to them made peak memory grow with the queue's history).
    @Test func aFinishedJobReleasesWhatItCaptured() {
        final class Payload: @unchecked Sendable {}
        let pool = WorkerThreads(count: 2, name: "test-release")
        let done = DispatchSemaphore(value: 0)
        weak var watched: Payload?
        do {
            let payload = Payload()
            watched = payload
            pool.submit { _ = payload; done.signal() }
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        // The worker drops the job right after running it; allow it a moment to get there.
        var waited = 0
        while watched != nil, waited < 1000 {
            usleep(1000)
            waited += 1
        }
        #expect(watched == nil)
        pool.shutDown()
    }
}
