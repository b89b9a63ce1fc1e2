import AudioPrep
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT (Ctrl-C), SIGTERM (`kill`, a service manager stopping) and SIGHUP (the terminal closed)
/// turned into a merge cancellation, so the merge can remove its temporary output before the
/// process ends by the same signal (`ProcessExit.terminate(bySignal:)`).
///
/// A signal that was already ignored when callprep started (as `nohup` does for SIGHUP, or a
/// non-interactive shell for SIGINT of a background job) stays ignored.
final class TerminationSignals {
    /// The signals handled, in the order they are installed.
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let firstReceived: Received
    private let sources: [any DispatchSourceSignal]

    /// Starts handling the signals: the first one received calls `cancellation.cancel()`, then
    /// `also` (e.g. cancelling the task that downloads a room's recordings).
    convenience init(cancelling cancellation: MergeCancellation, also: @escaping @Sendable () -> Void = {}) {
        self.init(cancelling: cancellation, onSignal: { _ in also() })
    }

    /// Starts handling the signals: each one received calls `cancellation.cancel()`, then
    /// `onSignal` with its number (`serve` starts its shutdown with it).
    init(cancelling cancellation: MergeCancellation, onSignal: @escaping @Sendable (Int32) -> Void) {
        let received = Received()
        firstReceived = received
        sources = Self.handled.compactMap { number in
            // Ignored, so the default action no longer ends the process; the dispatch source still
            // reports it. An ignored signal stays that way.
            let previous = signal(number, SIG_IGN)
            if Self.isIgnore(previous) { return nil }
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                received.record(number)
                cancellation.cancel()
                onSignal(number)
            }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    /// The first signal received, or nil.
    var received: Int32? { firstReceived.value }

    /// Ends the process by the signal received, if any (after the caller cleaned up); returns
    /// when none was.
    func terminateIfReceived() {
        guard let number = received else { return }
        sources.forEach { $0.cancel() }
        ProcessExit.terminate(bySignal: number)
    }

    /// Whether a handler returned by `signal(3)` is `SIG_IGN` (C function pointers compare by address).
    private static func isIgnore<Handler>(_ handler: Handler) -> Bool {
        unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// The first signal number, kept safely across the dispatch queue and the merge thread.
    private final class Received: Sendable {
        private let number = Atomic<Int32>(0)
        func record(_ signal: Int32) { _ = number.compareExchange(expected: 0, desired: signal, ordering: .relaxed) }
        var value: Int32? {
            let value = number.load(ordering: .relaxed)
            return value == 0 ? nil : value
        }
    }
}
