import ArgumentParser

extension CallPrep {
    /// `callprep jobs …`: durable jobs in a job store (Docs/Jobs.md). For now adding and
    /// looking; running them comes with the step runner.
    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add jobs to the durable job store and look at them (running them is not implemented yet).",
            discussion: """
                The store is a SQLite file: --db sqlite:PATH, else $CALLPREP_DB, else \
                ./callprep-jobs.sqlite. A job is one JSON line: {"id": "call-1", "tracks": \
                ["agent.wav", "customer.wav"], …} (Docs/Jobs.md lists every key).

                Exit status: 0 success, 1 a job line or the store refused, 2 usage error.
                """,
            subcommands: [Add.self, Status.self, List.self, Show.self])
    }
}
