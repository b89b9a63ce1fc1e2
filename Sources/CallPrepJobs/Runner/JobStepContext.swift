/// What a running step may ask of the store through the runner, under the job's lease: to be
/// woken. The wait step watches its transcript SID (``watch(_:)``) and, between its long polls
/// of Twilio, checks ``woken()`` often — so a webhook that calls ``JobStore/wake(waitingOn:)``
/// (from any process) makes it read the transcript at once instead of waiting out its interval.
public struct JobStepContext: Sendable {
    private let watchKey: @Sendable (String) async throws(JobStoreError) -> Void
    private let takeWake: @Sendable () async throws(JobStoreError) -> Bool

    public init(
        watch: @escaping @Sendable (String) async throws(JobStoreError) -> Void,
        woken: @escaping @Sendable () async throws(JobStoreError) -> Bool
    ) {
        watchKey = watch
        takeWake = woken
    }

    /// A context for a store and lease.
    init(store: any JobStore, lease: JobLease) {
        self.init(
            watch: { key throws(JobStoreError) in try await store.watch(key, lease: lease) },
            woken: { () throws(JobStoreError) in try await store.takeWake(lease) })
    }

    /// A context that is never woken (tests, and steps that do not wait).
    public static let never = JobStepContext(watch: { _ in }, woken: { false })

    /// Records that the job waits on `key` (a transcript SID); clears an earlier wake.
    public func watch(_ key: String) async throws(JobStoreError) { try await watchKey(key) }

    /// True once after each wake of the job.
    public func woken() async throws(JobStoreError) -> Bool { try await takeWake() }
}
