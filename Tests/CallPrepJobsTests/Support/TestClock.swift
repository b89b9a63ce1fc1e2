import Foundation
import Synchronization

/// A clock the tests move by hand, so a lease expires without waiting for it.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_796_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The closure a store takes as its clock.
    var reading: @Sendable () -> Date { { [self] in now } }
}
