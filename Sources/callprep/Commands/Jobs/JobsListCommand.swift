import ArgumentParser
import CallPrepJobs

extension CallPrep.Jobs {
    /// `callprep jobs list [--state S]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, oldest first.")

        @Option(help: ArgumentHelp("Only jobs in this state.", valueName: "queued|running|done|failed|cancelled"),
                completion: .list(JobState.allCases.map(\.rawValue)))
        var state: String?

        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            if let state, JobState(name: state) == nil {
                throw ValidationError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")); got '\(state)'.")
            }
        }

        func run() async throws {
            try await JobsSession.run(database) {
                let jobs = try await database.withStore(create: false) { try await $0.list(state: state.flatMap(JobState.init(name:))) }
                if database.json { return Console.printDocument(.array(jobs.map(JobsJSON.job))) }
                Console.table(["ID", "STATE", "CLAIMS", "UPDATED", "ERROR"], jobs.map { job in
                    [job.id.rawValue, job.state.rawValue, "\(job.claims)", JobsText.time(job.updatedAt),
                     job.error.map { "\($0.step.rawValue): \($0.code)" } ?? "-"]
                })
            }
        }
    }
}
