import ArgumentParser
import CallPrepJSON
import CallPrepJobs

extension CallPrep.Jobs {
    /// `callprep jobs retry ID|--failed`.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Put a failed or cancelled job (or every failed job) back in the queue.",
            discussion: """
                The journal is kept: the next `jobs run` resumes the job at its first step \
                without a finished, verified run, and the failed step gets --max-attempts \
                runs again. Prints ID  queued for each job.
                """)

        @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
        var id: String?

        @Flag(help: "Retry every failed job.")
        var failed = false

        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            guard (id == nil) != !failed else { throw ValidationError("give one job id, or --failed for every failed job.") }
            if let id, let problem = JobID.problem(with: id) { throw ValidationError(problem + ".") }
        }

        func run() async throws {
            try await JobsSession.run(database) {
                let ids = try await database.withStore(create: false) { store in
                    var ids: [JobID] = []
                    if let id {
                        ids = [try JobID(id)]
                    } else {
                        ids = try await store.list(state: .failed).map(\.id)
                    }
                    for id in ids { try await store.retry(id) }
                    return ids
                }
                if database.json {
                    Console.printDocument(.array(ids.map { .object(["id": .string($0.rawValue), "state": .string("queued")]) }))
                } else {
                    for id in ids { print("\(id)  queued") }
                }
            }
        }
    }

    /// `callprep jobs cancel ID`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a job that is not done: no worker claims it again until it is retried.",
            discussion: "A worker running it loses its lease at its next store operation and stops working on it.")

        @OptionGroup var job: JobIDArgument

        @OptionGroup var database: JobsDatabaseOptions

        func run() async throws {
            try await JobsSession.run(database) {
                let jobID = try job.jobID()
                try await database.withStore(create: false) { try await $0.cancel(jobID) }
                if database.json {
                    Console.printDocument(.object(["id": .string(jobID.rawValue), "state": .string("cancelled")]))
                } else {
                    print("\(jobID)  cancelled")
                }
            }
        }
    }

    /// `callprep jobs migrate`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Create the store or bring its schema up to date (every jobs command does this on first use).",
            discussion: "Prints the migrations the store has. A store written by a newer callprep is refused (newer_schema).")

        @OptionGroup var database: JobsDatabaseOptions

        func run() async throws {
            try await JobsSession.run(database) {
                let (location, applied) = try await database.withStore(create: true) { store in
                    try await store.migrate()
                    return (store.location, try await store.appliedMigrations())
                }
                if database.json {
                    Console.printDocument(.object(["store": .string(location), "migrations": .array(applied.map(JSONValue.string))]))
                } else {
                    print("\(location): schema up to date (\(applied.joined(separator: ", ")))")
                }
            }
        }
    }
}
