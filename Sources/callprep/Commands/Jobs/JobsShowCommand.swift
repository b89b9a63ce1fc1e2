import ArgumentParser
import CallPrepJSON
import CallPrepJobs

extension CallPrep.Jobs {
    /// `callprep jobs show ID`: one job and its journal.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one job: its state, its description and each run of each step.")

        @OptionGroup var job: JobIDArgument

        @OptionGroup var database: JobsDatabaseOptions

        func run() async throws {
            try await JobsSession.run(database) {
                let jobID = try job.jobID()
                guard let (job, steps) = try await database.withStore(create: false, { try await $0.show(jobID) }) else {
                    throw JobStoreError(code: .notFound, message: "there is no job \"\(jobID)\"; `callprep jobs list` shows the jobs")
                }
                if database.json {
                    guard case .object(var members) = JobsJSON.job(job) else { return }
                    members.append(.init("steps", .array(steps.map(JobsJSON.step))))
                    return Console.printDocument(.object(members))
                }
                print("\(job.id)  \(job.state.rawValue)")
                print("  claims:       \(job.claims)")
                print("  worker:       \(job.workerID ?? "-")  (lease until \(JobsText.time(job.leasedUntil)))")
                print("  created:      \(JobsText.time(job.createdAt))")
                print("  updated:      \(JobsText.time(job.updatedAt))")
                if let error = job.error { print("  error:        \(error.step.rawValue) \(error.code): \(error.message)") }
                print("  job:          \(job.spec.json.serialized(.compact))")
                guard !steps.isEmpty else { return print("  steps:        none run yet") }
                Console.table(["  STEP", "ATTEMPT", "OUTCOME", "WORKER", "STARTED", "FINISHED", "OUTPUTS / ERROR"], steps.map { step in
                    ["  " + step.step.rawValue, "\(step.attempt)", step.outcome.rawValue, step.workerID, JobsText.time(step.startedAt),
                     JobsText.time(step.finishedAt),
                     step.errorCode.map { "\($0): \(step.errorMessage ?? "")" } ?? (step.outputs == .null ? "-" : step.outputs.serialized(.compact))]
                })
            }
        }
    }
}
