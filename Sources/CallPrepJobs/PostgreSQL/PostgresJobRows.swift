import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Rows of the PostgreSQL store read into the job model, each value checked as
/// ``SQLiteJobStore`` checks its rows: a damaged value is a `corrupt_row` naming the job and
/// column, never a trap.
enum PostgresJobRows {
    static let jobColumns = "id, spec, state, claims, worker_id, leased_until, created_at, updated_at, error_step, error_code, error_message, retried_at"
    typealias JobTuple = (String, String, String, Int64, String?, Int64?, Int64, Int64, String?, String?, String?, Int64?)

    static let stepColumns = "step, attempt, worker_id, started_at, finished_at, outcome, outputs, error_code, error_message"
    typealias StepTuple = (String, Int64, String, Int64, Int64?, String, String?, String?, String?)

    static func job(_ row: JobTuple) throws(JobStoreError) -> JobRecord {
        let (id, specText, stateText, claims, worker, leasedUntil, created, updated, errorStep, errorCode, errorMessage, retried) = row
        func corrupt(_ column: String, _ problem: String) -> JobStoreError {
            JobStoreError(code: .corruptRow, message: "job \"\(id)\": column \(column) \(problem); repair or remove the row")
        }
        let spec: JobSpec
        do {
            spec = try JobSpecReader.parse(specText)
        } catch {
            throw corrupt("spec", "is not a valid job (\(error))")
        }
        guard spec.id.rawValue == id else { throw corrupt("spec", "names another job, \"\(spec.id)\"") }
        guard let state = JobState(name: stateText) else { throw corrupt("state", "holds \"\(stateText)\"") }
        guard claims >= 0, claims <= Int64(Int32.max) else { throw corrupt("claims", "is \(claims), not a count") }
        func date(_ column: String, _ value: Int64?) throws(JobStoreError) -> Date? {
            guard let value else { return nil }
            guard let date = StoredTime.date(milliseconds: value) else {
                throw corrupt(column, "holds \(value), not a time in milliseconds since 1970")
            }
            return date
        }
        guard let createdAt = try date("created_at", created), let updatedAt = try date("updated_at", updated) else {
            throw corrupt("created_at", "is NULL")
        }
        var failure: JobFailure?
        if let errorCode {
            guard let step = errorStep.flatMap(JobStep.init(name:)) else { throw corrupt("error_step", "is not a step") }
            failure = JobFailure(step: step, code: errorCode, message: errorMessage ?? "")
        }
        return JobRecord(
            spec: spec, state: state, claims: Int(claims), workerID: worker, leasedUntil: try date("leased_until", leasedUntil),
            createdAt: createdAt, updatedAt: updatedAt, error: failure, retriedAt: try date("retried_at", retried))
    }

    static func step(_ row: StepTuple, jobID: JobID) throws(JobStoreError) -> StepRecord {
        let (stepText, attempt, worker, started, finished, outcomeText, outputsText, errorCode, errorMessage) = row
        func corrupt(_ column: String, _ problem: String) -> JobStoreError {
            JobStoreError(code: .corruptRow, message: "a step of job \"\(jobID)\": column \(column) \(problem); repair or remove the row")
        }
        guard let step = JobStep(name: stepText) else { throw corrupt("step", "holds \"\(stepText)\"") }
        guard attempt >= 1, attempt <= Int64(Int32.max) else { throw corrupt("attempt", "is \(attempt)") }
        guard let outcome = StepRecord.Outcome(rawValue: outcomeText) else { throw corrupt("outcome", "holds \"\(outcomeText)\"") }
        guard let startedAt = StoredTime.date(milliseconds: started) else { throw corrupt("started_at", "holds \(started)") }
        var finishedAt: Date?
        if let finished {
            guard let date = StoredTime.date(milliseconds: finished) else { throw corrupt("finished_at", "holds \(finished)") }
            finishedAt = date
        }
        var outputs = JSONValue.null
        if let outputsText {
            do {
                outputs = try JSONDecoder().decode(JSONValue.self, from: Data(outputsText.utf8))
            } catch {
                throw corrupt("outputs", "is not JSON")
            }
        }
        return StepRecord(
            jobID: jobID, step: step, attempt: Int(attempt), workerID: worker, startedAt: startedAt, finishedAt: finishedAt,
            outcome: outcome, outputs: outputs, errorCode: errorCode, errorMessage: errorMessage)
    }
}
