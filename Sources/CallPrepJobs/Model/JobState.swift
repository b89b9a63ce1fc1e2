/// Where a job stands. A job is added `queued`, becomes `running` while a worker holds its
/// lease, and ends `done`, `failed` (a step failed for good) or `cancelled`. `retry` puts a
/// failed or cancelled job back to `queued`; a running job whose lease expires is claimed again
/// by another worker without passing through `queued`.
public enum JobState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for a worker.
    case queued
    /// A worker holds its lease and runs its steps.
    case running
    /// Every step finished.
    case done
    /// A step failed permanently (or ran out of attempts); the job's error says which and why.
    case failed
    /// Cancelled by `jobs cancel`; no worker will pick it up until it is retried.
    case cancelled

    /// The state named by `text` (`queued`, `running`, `done`, `failed`, `cancelled`), else nil.
    public init?(name text: String) { self.init(rawValue: text) }

    /// True for `done`, `failed` and `cancelled`: no worker touches such a job.
    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
}
