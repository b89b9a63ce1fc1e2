/// A fixed set of threads that run submitted jobs in submission order, owned by one pipeline.
///
/// The merge's FLAC segments are encoded here rather than on Dispatch's global pool: that pool
/// is as wide as the machine has cores, and the threads already busy in the pipeline (the
/// caller's, which may be a Swift concurrency thread, and the track prefetchers) take slots from
/// it, so on two cores only one segment was encoded at a time. These threads exist for the
/// length of one merge and leave when `shutDown()` is called or the pool is released.
final class WorkerThreads: @unchecked Sendable {
    private let condition = ConditionLock()
    /// Queued jobs from `jobStart` on; a taken job's slot is emptied at once, so whatever the
    /// job captured (a segment's samples) is freed when the job ends, not when the queue is
    /// compacted.
    private var jobs: [(@Sendable () -> Void)?] = []
    private var jobStart = 0
    private var closed = false

    /// Starts `count` threads (at least one); `name` labels them (`name-0`, `name-1`, …).
    init(count: Int, name: String) {
        for index in 0..<max(1, count) {
            DetachedThread.start(name: "\(name)-\(index)") { [self] in self.work() }
        }
    }

    deinit { shutDown() }

    /// Queues `job` to run on the next free thread.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        precondition(!closed, "submit after shutDown")
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish the queued jobs and exit. Does not wait for them.
    func shutDown() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobStart == jobs.count, !closed { condition.wait() }
            if jobStart == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[jobStart]!
            jobs[jobStart] = nil
            jobStart += 1
            if jobStart > 64, jobStart * 2 > jobs.count {
                jobs.removeFirst(jobStart)
                jobStart = 0
            }
            condition.unlock()
            job()
        }
    }
}
