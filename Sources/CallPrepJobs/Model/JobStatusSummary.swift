#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `jobs status` shows: how many jobs are in each state, and since when the oldest
/// queued job has waited.
public struct JobStatusSummary: Sendable, Hashable {
    /// Every state, with 0 for states no job is in.
    public var counts: [JobState: Int]
    /// When the oldest job still `queued` was added; nil when none is.
    public var oldestQueuedAt: Date?
    /// How many jobs became `done` in the hour before the summary was taken.
    public var doneLastHour: Int

    public init(counts: [JobState: Int], oldestQueuedAt: Date?, doneLastHour: Int) {
        self.counts = counts
        self.oldestQueuedAt = oldestQueuedAt
        self.doneLastHour = doneLastHour
    }

    /// All jobs.
    public var total: Int { counts.values.reduce(0, +) }
}
