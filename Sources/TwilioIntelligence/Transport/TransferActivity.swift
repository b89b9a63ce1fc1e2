#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// When a streamed exchange last made progress, shared between the task reading the body and
/// the watchdog that ends a stalled transfer.
final class TransferActivity: Sendable {
    private let last = Mutex(ContinuousClock.now)

    /// Records progress now.
    func touch() {
        last.withLock { $0 = ContinuousClock.now }
    }

    /// Time since the last progress.
    var idleFor: Duration {
        ContinuousClock.now - last.withLock { $0 }
    }
}

/// A failure of the body receiver (e.g. writing the file), carried through the transport
/// unchanged so it is not mistaken for a network failure.
struct BodySinkFailure: Error {
    let underlying: any Error
}
