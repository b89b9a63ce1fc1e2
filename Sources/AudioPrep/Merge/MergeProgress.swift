import Synchronization

/// How far a merge has got, reported to a `Merger`'s progress callback.
public struct MergeProgress: Sendable, Hashable {
    /// Output frames encoded so far.
    public var framesDone: Int64
    /// Output frames in all.
    public var totalFrames: Int64
    /// The output sample rate.
    public var sampleRate: Int
    /// Wall-clock seconds since the merge started.
    public var elapsedSeconds: Double

    /// 0…1.
    public var fraction: Double { totalFrames > 0 ? Double(framesDone) / Double(totalFrames) : 1 }
    /// Seconds of audio merged per second of wall time.
    public var speed: Double {
        elapsedSeconds > 0 ? Double(framesDone) / Double(sampleRate) / elapsedSeconds : 0
    }
    /// The estimated seconds left, when a speed is known.
    public var remainingSeconds: Double? {
        let speed = speed
        guard speed > 0 else { return nil }
        return Double(totalFrames - framesDone) / Double(sampleRate) / speed
    }
}

/// A flag a caller sets to stop a running merge; the merge notices between blocks, removes its
/// temporary output and throws `AudioPrepError` with code `cancelled`. Safe to set from any
/// thread (e.g. a SIGINT handler's queue).
public final class MergeCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    public init() {}

    /// Asks the merge to stop.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// Whether `cancel()` has been called.
    public var isCancelled: Bool {
        cancelled.load(ordering: .acquiring)
    }
}
