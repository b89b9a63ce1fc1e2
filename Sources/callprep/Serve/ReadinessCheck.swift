import CallPrepJobs
import Synchronization

/// `GET /readyz`: the store answers and its schema is current, within a bounded time. A store
/// call can hang (a PostgreSQL server that stopped answering keeps its connections open), so
/// the check runs in a task of its own and the answer is "not ready" when `timeout` passes
/// first; the hung call is left to end by itself.
struct ReadinessCheck: Sendable {
    let store: any JobStore
    let timeout: Duration

    /// Ready, or why not (a sentence for the response body and the log).
    enum Verdict: Sendable, Equatable {
        case ready
        case notReady(String)
    }

    func check() async -> Verdict {
        let store = store
        let timeout = timeout
        return await Self.first(within: timeout, otherwise: .notReady("the job store did not answer within \(timeout)")) {
            do {
                let applied = try await store.appliedMigrations()
                let known = store.knownMigrations
                guard applied == known else {
                    let missing = known.filter { !applied.contains($0) }
                    return .notReady(missing.isEmpty
                        ? "the job store has migrations this callprep does not know (a newer version wrote it)"
                        : "the job store lacks the migrations \(missing.joined(separator: ", ")); run `callprep jobs status` to apply them")
                }
                _ = try await store.status()
                return .ready
            } catch {
                return .notReady("the job store cannot be read: \(ErrorText.describe(error))")
            }
        }
    }

    /// The result of `work`, or `fallback` when `limit` passes first. Returns at the limit even
    /// when `work` ignores cancellation.
    static func first<T: Sendable>(within limit: Duration, otherwise fallback: T, _ work: @escaping @Sendable () async -> T) async -> T {
        let once = Mutex<CheckedContinuation<T, Never>?>(nil)
        let finish: @Sendable (T) -> Void = { value in
            once.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
        var tasks: [Task<Void, Never>] = []
        let value = await withCheckedContinuation { continuation in
            once.withLock { $0 = continuation }
            tasks.append(Task { finish(await work()) })
            tasks.append(Task {
                try? await Task.sleep(for: limit)
                finish(fallback)
            })
        }
        tasks.forEach { $0.cancel() }
        return value
    }
}
