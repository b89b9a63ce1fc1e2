import ArgumentParser
import CallPrepJobs

extension CallPrep.Jobs {
    /// `callprep jobs status`: how many jobs are in each state.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Count the jobs in each state; the oldest queued job; jobs done in the last hour.")

        @OptionGroup var database: JobsDatabaseOptions

        func run() async throws {
            try await JobsSession.run(database) {
                let summary = try await database.withStore(create: false) { try await $0.status() }
                if database.json { return Console.printDocument(JobsJSON.status(summary)) }
                Console.table(["STATE", "JOBS"], JobState.allCases.map { [$0.rawValue, "\(summary.counts[$0] ?? 0)"] } + [["total", "\(summary.total)"]])
                print("oldest queued: \(JobsText.time(summary.oldestQueuedAt))")
                print("done in the last hour: \(summary.doneLastHour)")
            }
        }
    }
}
