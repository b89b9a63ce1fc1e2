import CallPrepJSON
import Foundation
@testable import CallPrepJobs

/// A ``JobStore`` that forwards every call to another store and records how long each took and
/// for which job: a call that names a job (by its lease, spec or id) counts for it; the others
/// (`holdBackRemaining`, `status`, a claim that found nothing) count for the job the last claim
/// returned, which is exact with one worker. For JobStoreBenchmarkTests.
final class TimedJobStore: JobStore, @unchecked Sendable {
    struct Call: Sendable {
        var name: String
        var job: String?
        var seconds: Double
    }

    let store: any JobStore
    private let lock = NSLock()
    private var recorded: [Call] = []
    private var current: String?

    init(_ store: any JobStore) { self.store = store }

    /// Every call so far, in order.
    var calls: [Call] { lock.withLock { recorded } }

    private func timed<T>(_ name: String, job: String?, _ body: () async throws(JobStoreError) -> T) async throws(JobStoreError) -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            lock.withLock { recorded.append(Call(name: name, job: job ?? current, seconds: seconds)) }
        }
        return try await body()
    }

    func add(_ spec: JobSpec, replace: Bool) async throws(JobStoreError) -> JobAddOutcome {
        try await timed("add", job: spec.id.rawValue) { () async throws(JobStoreError) in try await store.add(spec, replace: replace) }
    }

    func claim(workerID: String, leaseDuration: Duration) async throws(JobStoreError) -> JobLease? {
        let start = ContinuousClock.now
        let lease = try await store.claim(workerID: workerID, leaseDuration: leaseDuration)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        lock.withLock {
            if let lease { current = lease.jobID.rawValue }
            recorded.append(Call(name: lease == nil ? "claim (none)" : "claim", job: lease?.jobID.rawValue ?? current, seconds: seconds))
        }
        return lease
    }

    func renew(_ lease: JobLease, leaseDuration: Duration) async throws(JobStoreError) -> JobLease {
        try await timed("renew", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.renew(lease, leaseDuration: leaseDuration) }
    }

    func startStep(_ step: JobStep, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await timed("startStep", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.startStep(step, lease: lease) }
    }

    func finishStep(_ record: StepRecord, outputs: JSONValue, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await timed("finishStep", job: lease.jobID.rawValue) { () async throws(JobStoreError) in
            try await store.finishStep(record, outputs: outputs, lease: lease)
        }
    }

    func failStep(_ record: StepRecord, code: String, message: String, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await timed("failStep", job: lease.jobID.rawValue) { () async throws(JobStoreError) in
            try await store.failStep(record, code: code, message: message, lease: lease)
        }
    }

    func complete(_ lease: JobLease) async throws(JobStoreError) {
        try await timed("complete", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.complete(lease) }
    }

    func fail(_ lease: JobLease, failure: JobFailure) async throws(JobStoreError) {
        try await timed("fail", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.fail(lease, failure: failure) }
    }

    func release(_ lease: JobLease) async throws(JobStoreError) {
        try await timed("release", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.release(lease) }
    }

    func watch(_ key: String, lease: JobLease) async throws(JobStoreError) {
        try await timed("watch", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.watch(key, lease: lease) }
    }

    func takeWake(_ lease: JobLease) async throws(JobStoreError) -> Bool {
        try await timed("takeWake", job: lease.jobID.rawValue) { () async throws(JobStoreError) in try await store.takeWake(lease) }
    }

    func wake(waitingOn key: String) async throws(JobStoreError) -> JobID? {
        try await timed("wake", job: nil) { () async throws(JobStoreError) in try await store.wake(waitingOn: key) }
    }

    func holdBack(_ gate: String, for duration: Duration) async throws(JobStoreError) {
        try await timed("holdBack", job: nil) { () async throws(JobStoreError) in try await store.holdBack(gate, for: duration) }
    }

    func holdBackRemaining(_ gate: String) async throws(JobStoreError) -> Duration {
        try await timed("holdBackRemaining", job: nil) { () async throws(JobStoreError) in try await store.holdBackRemaining(gate) }
    }

    func retry(_ id: JobID) async throws(JobStoreError) {
        try await timed("retry", job: id.rawValue) { () async throws(JobStoreError) in try await store.retry(id) }
    }

    func cancel(_ id: JobID) async throws(JobStoreError) {
        try await timed("cancel", job: id.rawValue) { () async throws(JobStoreError) in try await store.cancel(id) }
    }

    func status() async throws(JobStoreError) -> JobStatusSummary {
        try await timed("status", job: nil) { () async throws(JobStoreError) in try await store.status() }
    }

    func list(state: JobState?) async throws(JobStoreError) -> [JobRecord] {
        try await timed("list", job: nil) { () async throws(JobStoreError) in try await store.list(state: state) }
    }

    func show(_ id: JobID) async throws(JobStoreError) -> (job: JobRecord, steps: [StepRecord])? {
        try await timed("show", job: id.rawValue) { () async throws(JobStoreError) in try await store.show(id) }
    }

    func migrate() async throws(JobStoreError) { try await store.migrate() }

    func appliedMigrations() async throws(JobStoreError) -> [String] { try await store.appliedMigrations() }

    var knownMigrations: [String] { store.knownMigrations }

    var location: String { store.location }

    func shutdown() async { await store.shutdown() }
}
