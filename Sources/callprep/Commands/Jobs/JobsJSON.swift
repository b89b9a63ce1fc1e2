import CallPrepJSON
import CallPrepJobs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `jobs` commands' JSON documents: jobs, journal rows and the status summary, members in
/// a fixed order, times as ISO 8601 UTC with milliseconds.
enum JobsJSON {
    static func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    static func job(_ job: JobRecord) -> JSONValue {
        .object([
            "id": .string(job.id.rawValue),
            "state": .string(job.state.rawValue),
            "claims": .int(Int64(job.claims)),
            "worker_id": job.workerID.map(JSONValue.string) ?? .null,
            "leased_until": time(job.leasedUntil),
            "created_at": time(job.createdAt),
            "updated_at": time(job.updatedAt),
            "error": job.error.map(failure) ?? .null,
            "spec": job.spec.json,
        ])
    }

    static func failure(_ failure: JobFailure) -> JSONValue {
        .object(["step": .string(failure.step.rawValue), "code": .string(failure.code), "message": .string(failure.message)])
    }

    static func step(_ step: StepRecord) -> JSONValue {
        .object([
            "step": .string(step.step.rawValue),
            "attempt": .int(Int64(step.attempt)),
            "worker_id": .string(step.workerID),
            "started_at": time(step.startedAt),
            "finished_at": time(step.finishedAt),
            "outcome": .string(step.outcome.rawValue),
            "outputs": step.outputs,
            "error_code": step.errorCode.map(JSONValue.string) ?? .null,
            "error_message": step.errorMessage.map(JSONValue.string) ?? .null,
        ])
    }

    static func status(_ summary: JobStatusSummary) -> JSONValue {
        .object([
            "counts": .object(JobState.allCases.map { JSONValue.Member($0.rawValue, .int(Int64(summary.counts[$0] ?? 0))) }),
            "total": .int(Int64(summary.total)),
            "oldest_queued_at": time(summary.oldestQueuedAt),
            "done_last_hour": .int(Int64(summary.doneLastHour)),
        ])
    }
}

/// Times in the `jobs` commands' text output: ISO 8601 UTC to the second, `-` for none.
enum JobsText {
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        return date.formatted(Date.ISO8601FormatStyle())
    }
}
