/// Why one run of a step did not finish: a stable code, a message for a person, and whether
/// trying again can help. A transient failure (the network, HTTP 429 or 5xx, a full disk) is
/// retried with backoff up to the runner's attempt limit; a permanent one (an unreadable input,
/// a refusal by Intelligence) fails the job at once.
public struct JobStepFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable and machine-readable, e.g. `file_not_found`, `rate_limited`.
    public var code: String
    public var message: String
    /// True when running the step again may succeed.
    public var isTransient: Bool
    /// The least time to wait before the next attempt (a server's Retry-After), if any.
    public var retryAfter: Duration?

    public init(code: String, message: String, isTransient: Bool, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.isTransient = isTransient
        self.retryAfter = retryAfter
    }

    /// A failure that fails the job at once.
    public static func permanent(_ code: String, _ message: String) -> JobStepFailure {
        JobStepFailure(code: code, message: message, isTransient: false)
    }

    /// A failure worth another attempt.
    public static func transient(_ code: String, _ message: String, retryAfter: Duration? = nil) -> JobStepFailure {
        JobStepFailure(code: code, message: message, isTransient: true, retryAfter: retryAfter)
    }

    /// The journal code of a run stopped because the worker was stopped (SIGINT/SIGTERM): not
    /// counted as an attempt.
    public static let interruptedCode = "interrupted"

    /// The code of a job failed because the runs of a step kept ending with their worker dead
    /// (each run left `started`), up to the attempt limit.
    public static let workerLostCode = "worker_lost"

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
