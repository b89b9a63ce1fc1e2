#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A job as the store holds it: its description, where it stands, who holds it and, for a
/// failed job, which step failed and why.
public struct JobRecord: Sendable, Hashable {
    /// The job's description, as it was added.
    public var spec: JobSpec
    public var state: JobState
    /// How many times a worker has claimed the job (1 after the first claim). It is also the
    /// lease's generation: a worker whose job was taken over holds an older number.
    public var claims: Int
    /// The worker holding the lease while `running`, else nil.
    public var workerID: String?
    /// When the lease runs out while `running`, else nil.
    public var leasedUntil: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// The failure of a `failed` job (and the last failure of a job retried since).
    public var error: JobFailure?
    /// When `jobs retry` last put the job back to `queued`: the runner counts a step's failed
    /// runs from then on.
    public var retriedAt: Date?

    public var id: JobID { spec.id }

    public init(
        spec: JobSpec, state: JobState, claims: Int, workerID: String?, leasedUntil: Date?, createdAt: Date,
        updatedAt: Date, error: JobFailure?, retriedAt: Date? = nil
    ) {
        self.spec = spec
        self.state = state
        self.claims = claims
        self.workerID = workerID
        self.leasedUntil = leasedUntil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.error = error
        self.retriedAt = retriedAt
    }
}

/// Why a step (and with it, perhaps, the job) failed: the step, a stable code and a message
/// for a person.
public struct JobFailure: Sendable, Hashable {
    public var step: JobStep
    /// Stable and machine-readable, e.g. `file_not_found`, `http_429`.
    public var code: String
    public var message: String

    public init(step: JobStep, code: String, message: String) {
        self.step = step
        self.code = code
        self.message = message
    }
}
