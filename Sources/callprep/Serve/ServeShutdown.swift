import Dispatch
import ServiceLifecycle
import Synchronization

/// What SIGTERM or SIGINT does to `serve`: a graceful shutdown of its services (the listeners
/// stop accepting and finish the requests they hold; the workers give their jobs back), and a
/// deadline: when the services have not ended within `grace`, the process ends by the signal
/// anyway (a job whose release did not happen is taken over when its lease runs out).
final class ServeShutdown: Sendable {
    private let grace: Duration
    private let state = Mutex<(group: ServiceGroup?, signal: Int32?)>((nil, nil))

    init(grace: Duration) {
        self.grace = grace
    }

    /// The group to shut down.
    func attach(_ group: ServiceGroup) {
        state.withLock { $0.group = group }
    }

    /// The first signal received, or nil.
    var signal: Int32? { state.withLock { $0.signal } }

    /// Starts the shutdown (the first signal only) and its deadline.
    func begin(signal number: Int32) {
        let group: ServiceGroup? = state.withLock { state in
            guard state.signal == nil else { return nil }
            state.signal = number
            return state.group
        }
        guard let group else { return }
        Task { await group.triggerGracefulShutdown() }
        let nanoseconds = grace.components.seconds * 1_000_000_000 + grace.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
            ProcessExit.terminate(bySignal: number)
        }
    }
}
