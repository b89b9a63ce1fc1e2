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
