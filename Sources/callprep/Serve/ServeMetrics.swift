import CallPrepJobs
import Prometheus
import Synchronization

/// The metrics of `GET /metrics` (Prometheus text format): jobs by state (read from the store
/// at each scrape), step durations, webhook verdicts, the workers' requests to Twilio.
final class ServeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// When each running step started, to time it when it ends.
    private let started = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Step durations: 0.1 s to an hour (a wait step can last that long).
    static let stepBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
        .seconds(300), .seconds(900), .seconds(3600),
    ]

    /// Counts one webhook request by endpoint (`video`, `intelligence`) and verdict
    /// (`accepted`, `ignored`, `missing_signature`, `invalid_signature`, `too_large`, `unreadable`, `store_error`).
    func webhook(_ endpoint: String, verdict: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "callprep", metricName: "webhook_requests", unitName: "total",
                              helpText: "Twilio callbacks received, by endpoint and verdict."),
            labels: [("endpoint", endpoint), ("verdict", verdict)]
        ).increment()
    }

    /// Counts one request of the workers to Twilio (Intelligence, Video, Voice, media) by
    /// method and status (`error`: no response).
    func twilioRequest(method: String, status: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "callprep", metricName: "twilio_requests", unitName: "total",
                              helpText: "Requests of this process's workers to Twilio, by method and status."),
            labels: [("method", method), ("status", status)]
        ).increment()
    }

    /// Counts one request of the workers to S3 by bucket (`upload`: the bucket of `--upload`;
    /// `recordings`: the account's own bucket Twilio stores room recordings in), method and
    /// status (`error`: no response).
    func s3Request(bucket: S3BucketRole, method: String, status: Int?) {
        registry.makeCounter(
            descriptor: .init(namespace: "callprep", metricName: "s3_requests", unitName: "total",
                              helpText: "Requests of this process's workers to S3, by bucket (upload, recordings), method and status."),
            labels: [("bucket", bucket.rawValue), ("method", method), ("status", status.map(String.init) ?? "error")]
        ).increment()
    }

    /// Sets the jobs-by-state gauges from a store summary.
    func jobs(_ summary: JobStatusSummary) {
        for state in JobState.allCases {
            registry.makeGauge(
                descriptor: .init(namespace: "callprep", metricName: "jobs", unitName: "",
                                  helpText: "Jobs in the store, by state (read at each scrape)."),
                labels: [("state", state.rawValue)]
            ).set(Double(summary.counts[state] ?? 0))
        }
    }

    /// Times steps from the runner's events: a step's duration is recorded with its outcome
    /// (`finished`, `failed`) when it ends.
    func record(_ event: JobRunEvent) {
        let now = ContinuousClock.now
        switch event {
        case .stepStarted(let id, let step, _):
            started.withLock { $0[Self.key(id, step)] = now }
        case .stepFinished(let id, let step, _):
            observe(id, step, outcome: "finished", at: now)
        case .stepFailed(let id, let step, _, _, _, _):
            observe(id, step, outcome: "failed", at: now)
        case .released(let id), .leaseLost(let id, _):
            started.withLock { running in running = running.filter { !$0.key.hasPrefix(id.rawValue + " ") } }
        default:
            break
        }
        if case .jobDone = event { counter("done").increment() }
        if case .jobFailed = event { counter("failed").increment() }
    }

    /// The metrics in Prometheus text format.
    func text() -> String { registry.emitToString() }

    private func observe(_ id: JobID, _ step: JobStep, outcome: String, at now: ContinuousClock.Instant) {
        guard let start = started.withLock({ $0.removeValue(forKey: Self.key(id, step)) }) else { return }
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "callprep", metricName: "step_duration", unitName: "seconds",
                              helpText: "How long job steps ran in this process, by step and outcome."),
            labels: [("step", step.rawValue), ("outcome", outcome)], buckets: Self.stepBuckets
        ).record(now - start)
    }

    private func counter(_ outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "callprep", metricName: "jobs_finished", unitName: "total",
                              helpText: "Jobs this process's workers finished, by outcome."),
            labels: [("outcome", outcome)])
    }

    private static func key(_ id: JobID, _ step: JobStep) -> String { id.rawValue + " " + step.rawValue }
}
