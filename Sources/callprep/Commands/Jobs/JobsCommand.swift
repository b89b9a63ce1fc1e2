import ArgumentParser

extension CallPrep {
    /// `callprep jobs …`: durable jobs in a job store (Docs/Jobs.md): adding, running and
    /// looking at them.
    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jobs",
            abstract: "Durable jobs: add them, run them (validate, merge, upload, submit, wait, results), look at them.",
            discussion: """
                The store is a SQLite file (--db sqlite:PATH) or a PostgreSQL database \
                (--db postgres://USER@HOST:5432/DATABASE, password in $PGPASSWORD), else \
                $CALLPREP_DB, else ./callprep-jobs.sqlite. A job is one JSON line: {"id": "call-1", "tracks": \
                ["agent.wav", "customer.wav"], …} (Docs/Jobs.md lists every key).

                Exit status: 0 success, 1 a job line or the store refused (jobs run: a job failed), 2 usage error.
                """,
            subcommands: [Add.self, Run.self, Status.self, List.self, Show.self, Retry.self, Cancel.self, Migrate.self])
    }
}
