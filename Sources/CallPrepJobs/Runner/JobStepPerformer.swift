import CallPrepJSON

/// What a job's steps do: ``JobRunner`` decides when a step runs (in order, resuming after the
/// last verified one, retrying transient failures, journaling every run, holding the lease), a
/// performer decides what running and verifying it means. `callprep jobs run` performs them
/// with the merge, the object store and the Intelligence client; this library knows none of them.
public protocol JobStepPerformer: Sendable {
    /// The steps `job` goes through, in order (for example without `upload` when the job has
    /// no upload location).
    func steps(for job: JobRecord) -> [JobStep]

    /// Whether a step that finished earlier (its journaled `outputs`) still holds: its files are
    /// there with the SHA-256 the journal recorded. When false, the step and every step after it
    /// run again.
    func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool

    /// Runs `step` for `job`; `earlier` holds the outputs of the steps before it. Returns the
    /// outputs to journal (paths, sizes, SHA-256, SIDs; never a secret). A run must be safe to
    /// repeat: after a crash the same step runs again. Task cancellation means stop now (the
    /// lease was lost or the worker is stopping). `context` lets a waiting step be woken.
    func perform(
        _ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext
    ) async throws(JobStepFailure) -> JSONValue
}
