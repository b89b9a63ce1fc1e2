import AudioPrep
import Dispatch

/// Runs synchronous, CPU- or disk-bound work (probing, merging, hashing) on a dispatch thread,
/// not on Swift's cooperative pool: two merges must not starve the workers' lease heartbeats.
enum BlockingWork {
    /// Runs `body` and returns its result; cancelling the calling task calls `onCancel` (a merge
    /// stops at its next block).
    static func run<T: Sendable>(
        onCancel: @escaping @Sendable () -> Void = {}, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.resume(with: Result { try body() })
                }
            }
        } onCancel: {
            onCancel()
        }
    }
}
