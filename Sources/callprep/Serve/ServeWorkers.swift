import CallPrepJobs
import Logging
import ServiceLifecycle

/// The job workers of `serve` as a service of its group: the runner of `jobs run --follow`,
/// stopped at graceful shutdown — running steps are cancelled, journaled as interrupted and
/// their jobs given back (`queued`), so another process or a later start resumes them.
struct ServeWorkers: Service {
    let runner: JobRunner
    let logger: Logger

    func run() async throws {
        let runner = runner
        let task = Task { try await runner.run() }
        try await withTaskCancellationOrGracefulShutdownHandler {
            let summary = try await task.value
            logger.info("workers stopped", metadata: [
                "done": .stringConvertible(summary.done), "failed": .stringConvertible(summary.failed),
                "released": .stringConvertible(summary.released), "leases_lost": .stringConvertible(summary.leasesLost),
            ])
        } onCancelOrGracefulShutdown: {
            task.cancel()
        }
    }
}

/// The runner's events as log lines (one per event, with the job id) and step metrics.
enum JobEventLog {
    static func record(_ event: JobRunEvent, logger: Logger, metrics: ServeMetrics) {
        metrics.record(event)
        switch event {
        case .claimed(let id, let worker, let claim):
            logger.info("job claimed", metadata: ["job_id": .string(id.rawValue), "worker": .string(worker), "claim": .stringConvertible(claim)])
        case .stepVerified(let id, let step):
            logger.info("step done before, verified", metadata: ["job_id": .string(id.rawValue), "step": .string(step.rawValue)])
        case .stepStarted(let id, let step, let attempt):
            logger.info("step started", metadata: ["job_id": .string(id.rawValue), "step": .string(step.rawValue), "attempt": .stringConvertible(attempt)])
        case .stepFinished(let id, let step, let attempt):
            logger.info("step finished", metadata: ["job_id": .string(id.rawValue), "step": .string(step.rawValue), "attempt": .stringConvertible(attempt)])
        case .stepFailed(let id, let step, let attempt, let failure, let willRetry, _):
            logger.warning("step failed: \(failure.message)", metadata: [
                "job_id": .string(id.rawValue), "step": .string(step.rawValue), "attempt": .stringConvertible(attempt),
                "code": .string(failure.code), "will_retry": .stringConvertible(willRetry),
            ])
        case .stepHeldBack(let id, let step, let wait):
            logger.info("step held back (a server's Retry-After)", metadata: [
                "job_id": .string(id.rawValue), "step": .string(step.rawValue), "wait": .string(JobsRunProgress.seconds(wait)),
            ])
        case .jobDone(let id):
            logger.info("job done", metadata: ["job_id": .string(id.rawValue)])
        case .jobFailed(let id, let failure):
            logger.error("job failed: \(failure.message)", metadata: [
                "job_id": .string(id.rawValue), "step": .string(failure.step.rawValue), "code": .string(failure.code),
            ])
        case .leaseLost(let id, let reason):
            logger.warning("stopped working on the job: \(reason)", metadata: ["job_id": .string(id.rawValue)])
        case .released(let id):
            logger.info("job given back (queued)", metadata: ["job_id": .string(id.rawValue)])
        case .storeProblem(let text):
            logger.error("job store: \(text)")
        }
    }
}
