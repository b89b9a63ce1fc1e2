import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What ``JobStore/add(_:replace:)`` did.
public enum JobAddOutcome: String, Sendable, Hashable {
    /// The job is new.
    case added
    /// A job with that id was there already and was left as it was (re-importing a jobs file is
    /// harmless).
    case exists
    /// A job with that id was there and was replaced (asked for with `replace`): back to
    /// `queued`, its journal cleared.
    case replaced
}

/// The durable record of `callprep jobs`: jobs, their states and leases, and each step's
/// journal. Every operation is one transaction, so several workers (tasks or processes) can
/// share one store; a worker changes a running job only through its ``JobLease``, and an
/// operation under a lease that is no longer valid fails with `lease_lost`.
///
/// `SQLiteJobStore` is the embedded implementation, `PostgresJobStore` the one for workers on
/// many machines; both have the same schema and semantics.
public protocol JobStore: Sendable {
    /// Adds a job. An id that exists is left alone (`.exists`) unless `replace`, which resets it
    /// to `queued` with an empty journal (`.replaced`) — refused for a job running under a valid lease.
    func add(_ spec: JobSpec, replace: Bool) async throws(JobStoreError) -> JobAddOutcome

    /// Claims the oldest runnable job for `workerID` — a `queued` one, or a `running` one whose
    /// lease has run out (its worker is presumed dead) — and leases it for `leaseDuration`.
    /// Nil when nothing is runnable. Two workers never hold the same job.
    func claim(workerID: String, leaseDuration: Duration) async throws(JobStoreError) -> JobLease?

    /// Extends a valid lease to `leaseDuration` from now (a worker's heartbeat).
    func renew(_ lease: JobLease, leaseDuration: Duration) async throws(JobStoreError) -> JobLease

    /// Journals the start of `step` under `lease`: a new row with the next attempt number.
    func startStep(_ step: JobStep, lease: JobLease) async throws(JobStoreError) -> StepRecord

    /// Journals that the started run `record` finished with `outputs`.
    func finishStep(_ record: StepRecord, outputs: JSONValue, lease: JobLease) async throws(JobStoreError) -> StepRecord

    /// Journals that the started run `record` failed with `code` and `message`. The job stays
    /// running; the caller decides whether to retry the step, ``release(_:)`` or ``fail(_:failure:)``.
    func failStep(_ record: StepRecord, code: String, message: String, lease: JobLease) async throws(JobStoreError) -> StepRecord

    /// Marks the job `done` and ends the lease.
    func complete(_ lease: JobLease) async throws(JobStoreError)

    /// Marks the job `failed` with `failure` and ends the lease.
    func fail(_ lease: JobLease, failure: JobFailure) async throws(JobStoreError)

    /// Gives the job back (`queued`, no lease), e.g. when a worker stops on SIGTERM; the next
    /// claim resumes it at its first unfinished step.
    func release(_ lease: JobLease) async throws(JobStoreError)

    /// Records that the lease's job now waits on `key` (the transcript SID its wait step polls),
    /// so that ``wake(waitingOn:)`` can find it; clears an earlier wake.
    func watch(_ key: String, lease: JobLease) async throws(JobStoreError)

    /// Whether the lease's job was woken since it started watching (or since the last call that
    /// answered true): true once per wake, and only to the lease's holder. Cheap while nobody woke
    /// it (nearly every check); the wake is cleared when it is taken.
    func takeWake(_ lease: JobLease) async throws(JobStoreError) -> Bool

    /// Marks the job watching `key` (queued or running) as due now — the Intelligence webhook
    /// saying the transcript is final — so its wait step reads the transcript at its next store
    /// check instead of waiting out its poll interval. One row update, so it works from any
    /// process that opens the store. Returns the job's id, or nil when no job watches `key`.
    func wake(waitingOn key: String) async throws(JobStoreError) -> JobID?

    /// Holds `gate` (a step's name, e.g. `submit`) closed for every worker of every process
    /// sharing the store until `duration` from now (the store's clock), e.g. a server's
    /// Retry-After after an HTTP 429; a later time already set is kept. At most an hour.
    func holdBack(_ gate: String, for duration: Duration) async throws(JobStoreError)

    /// How long `gate` stays closed from now; zero when it is open.
    func holdBackRemaining(_ gate: String) async throws(JobStoreError) -> Duration

    /// Puts a `failed` or `cancelled` job back to `queued` (its journal kept, so it resumes) and
    /// records when (``JobRecord/retriedAt``): its steps get their attempts afresh.
    func retry(_ id: JobID) async throws(JobStoreError)

    /// Cancels a job that is not `done`: no worker claims it again, and a worker running it
    /// loses its lease at its next store operation.
    func cancel(_ id: JobID) async throws(JobStoreError)

    /// Counts per state, the oldest queued job, jobs done in the last hour.
    func status() async throws(JobStoreError) -> JobStatusSummary

    /// Jobs in `state` (all jobs when nil), oldest first.
    func list(state: JobState?) async throws(JobStoreError) -> [JobRecord]

    /// One job and its journal (oldest run first), or nil when no job has that id.
    func show(_ id: JobID) async throws(JobStoreError) -> (job: JobRecord, steps: [StepRecord])?

    /// Applies the schema migrations the store lacks (opening a store does this already).
    func migrate() async throws(JobStoreError)

    /// The schema migrations applied, oldest first.
    func appliedMigrations() async throws(JobStoreError) -> [String]

    /// The schema migrations this version of callprep knows, oldest first: the store's schema is
    /// current when ``appliedMigrations()`` equals them (what `callprep serve`'s `/readyz` checks).
    var knownMigrations: [String] { get }

    /// Where the store is, for messages (a file path, or a URL without its password).
    var location: String { get }

    /// Closes the store's connections (nothing to do for SQLite).
    func shutdown() async
}
