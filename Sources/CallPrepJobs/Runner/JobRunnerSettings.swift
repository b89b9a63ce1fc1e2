/// How ``JobRunner`` works: how many workers, how long a lease lasts, how often a transient
/// failure is retried, and whether it stops when nothing is left to do.
public struct JobRunnerSettings: Sendable, Hashable {
    /// Concurrent workers (tasks) in this process, 1…64.
    public var workers: Int
    /// How long a claim lasts without a heartbeat; the heartbeat renews it every third of it.
    public var lease: Duration
    /// Failed runs of one step before the job fails, 1…100 — counted across claims (a run whose
    /// worker died counts) since the step last finished and the job was last retried.
    public var maxAttempts: Int
    /// Keep polling for new jobs until stopped (`--follow`), instead of ending when every job in
    /// the store is done, failed or cancelled (`--until-done`).
    public var follow: Bool
    /// How long an idle worker waits before looking for work again.
    public var pollInterval: Duration
    /// The wait before the second attempt of a step; it doubles with each failure…
    public var retryBaseDelay: Duration
    /// …up to this.
    public var retryMaxDelay: Duration
    /// Worker ids are `PREFIX-N` (N = 1…workers): e.g. the host name and process id.
    public var workerPrefix: String
    /// At most this many runs of a step at once among this runner's workers (one process), e.g.
    /// `[.submit: 4]` for `--max-in-flight-submits 4`; a step not named is not limited.
    public var maxInFlight: [JobStep: Int] = [:]

    public init(
        workers: Int = 1, lease: Duration = .seconds(60), maxAttempts: Int = 5, follow: Bool = false,
        pollInterval: Duration = .seconds(1), retryBaseDelay: Duration = .seconds(1), retryMaxDelay: Duration = .seconds(60),
        workerPrefix: String = "worker"
    ) {
        self.workers = workers
        self.lease = lease
        self.maxAttempts = maxAttempts
        self.follow = follow
        self.pollInterval = pollInterval
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
        self.workerPrefix = workerPrefix
    }

    /// The wait before attempt `failures + 1`: base × 2^(failures − 1), at most the maximum, at
    /// least the server's Retry-After; `unit` (0…1) spreads workers over the upper half.
    public func retryDelay(afterFailures failures: Int, retryAfter: Duration?, unit: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 20)
        var delay = retryBaseDelay * (1 << exponent)
        if delay > retryMaxDelay { delay = retryMaxDelay }
        delay = delay * (0.5 + 0.5 * min(max(unit, 0), 1))
        if let retryAfter, retryAfter > delay { delay = min(retryAfter, retryMaxDelay * 2) }
        return delay
    }
}
