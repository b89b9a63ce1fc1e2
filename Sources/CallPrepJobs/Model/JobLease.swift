#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A worker's hold on a claimed job, handed out by ``JobStore/claim(workerID:leaseDuration:)``.
/// Every operation that changes a running job takes it, and the store refuses the operation
/// (``JobStoreError/Code/leaseLost``) when the lease ran out, was taken over by another worker
/// (the job's claim count moved on), or the job was cancelled meanwhile.
public struct JobLease: Sendable, Hashable {
    /// The claimed job, as it was when claimed.
    public var job: JobRecord
    /// The worker holding it.
    public var workerID: String
    /// The claim count when this lease was given: the lease's generation.
    public var generation: Int
    /// When the lease runs out unless renewed.
    public var leasedUntil: Date

    public var jobID: JobID { job.id }

    public init(job: JobRecord, workerID: String, generation: Int, leasedUntil: Date) {
        self.job = job
        self.workerID = workerID
        self.generation = generation
        self.leasedUntil = leasedUntil
    }
}
