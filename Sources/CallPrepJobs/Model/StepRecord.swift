import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run of one step of one job: a row of the job's journal. A step that is started again
/// (after a crash, a lost lease or a transient failure) gets a new row with the next attempt
/// number, so the journal tells every run.
public struct StepRecord: Sendable, Hashable {
    /// How the run ended, or that it has not.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Started and not finished: running now, or its worker died.
        case started
        case finished
        case failed
    }

    public var jobID: JobID
    public var step: JobStep
    /// 1 for the step's first run, 2 for the next, …
    public var attempt: Int
    /// The worker that ran it.
    public var workerID: String
    public var startedAt: Date
    /// When it finished or failed; nil while `started`.
    public var finishedAt: Date?
    public var outcome: Outcome
    /// What a finished step produced (paths, sizes, sha256, SIDs), for the steps after it and
    /// for verifying it on resume; `null` until it finishes.
    public var outputs: JSONValue
    /// The failure of a `failed` run.
    public var errorCode: String?
    public var errorMessage: String?

    public init(
        jobID: JobID, step: JobStep, attempt: Int, workerID: String, startedAt: Date, finishedAt: Date?,
        outcome: Outcome, outputs: JSONValue, errorCode: String?, errorMessage: String?
    ) {
        self.jobID = jobID
        self.step = step
        self.attempt = attempt
        self.workerID = workerID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.outputs = outputs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}
