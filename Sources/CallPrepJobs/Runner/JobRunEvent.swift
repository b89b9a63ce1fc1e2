/// What ``JobRunner`` reports while it works, for progress lines and logs.
public enum JobRunEvent: Sendable, Hashable {
    /// A worker claimed a job (its `claims`-th claim).
    case claimed(JobID, worker: String, claim: Int)
    /// A step that finished before was verified and is not run again.
    case stepVerified(JobID, JobStep)
    /// A step started (attempt n).
    case stepStarted(JobID, JobStep, attempt: Int)
    case stepFinished(JobID, JobStep, attempt: Int)
    /// A step failed; `willRetry` after `delay` when transient and attempts remain.
    case stepFailed(JobID, JobStep, attempt: Int, failure: JobStepFailure, willRetry: Bool, delay: Duration?)
    /// The store holds the step back for every worker (a server's Retry-After) for this long.
    case stepHeldBack(JobID, JobStep, Duration)
    case jobDone(JobID)
    case jobFailed(JobID, JobFailure)
    /// The worker lost the job's lease (it ran out, or the job was cancelled) and stopped working on it.
    case leaseLost(JobID, String)
    /// The worker was stopped and gave the job back (`queued`).
    case released(JobID)
    /// A store operation failed; the worker waits and goes on.
    case storeProblem(String)
}

/// What one ``JobRunner/run()`` did.
public struct JobRunSummary: Sendable, Hashable {
    /// Jobs this run completed, failed, lost or gave back.
    public var done = 0
    public var failed = 0
    public var leasesLost = 0
    public var released = 0
    /// True when the run ended because it was cancelled (a signal), not because the work ran out.
    public var interrupted = false

    public init() {}
}
