#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable (POSIX threads), for threads that wait for one another:
/// the merge's track prefetchers, the FLAC encoder's workers and its MD5 hand-off.
///
/// It stands in for Foundation's `NSCondition`, the same calls under the same names: any use of
/// the full Foundation links all of it, ICU's 34 MB of data included, into the static binary
/// (Docs/Benchmarks.md, "Binary size"). The mutex and condition live at fixed addresses, as
/// pthreads requires.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        precondition(pthread_cond_init(condition, nil) == 0, "pthread_cond_init failed")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Takes the mutex, waiting for it if another thread holds it.
    func lock() { precondition(pthread_mutex_lock(mutex) == 0, "pthread_mutex_lock failed") }

    /// Releases the mutex taken by `lock()`.
    func unlock() { precondition(pthread_mutex_unlock(mutex) == 0, "pthread_mutex_unlock failed") }

    /// Releases the mutex, sleeps until `signal()` or `broadcast()` (or a spurious wake-up: call
    /// it in a loop that checks the condition) and takes the mutex again. Call it holding the lock.
    func wait() { precondition(pthread_cond_wait(condition, mutex) == 0, "pthread_cond_wait failed") }

    /// Wakes one waiting thread.
    func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiting thread.
    func broadcast() { pthread_cond_broadcast(condition) }
}
