import ArgumentParser
import CallPrepJSON
import CallPrepJobs

extension CallPrep.Jobs {
    /// `callprep jobs add (--file F | -)`: reads job lines and adds the good ones.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add jobs from a JSONL file (one JSON object a line) or standard input.",
            discussion: """
                Each line is checked on its own: a line with an unknown key, a missing or bad \
                value, or a room/recording source (not supported yet) is reported with its line \
                number and key, and the other lines are still added. A job whose id is already \
                in the store is left as it is and reported as 'exists' (re-adding a file is \
                harmless), unless --replace, which resets it to queued with an empty journal \
                (refused while a worker holds it).

                Prints one line per job: ID and added, exists or replaced (--json: an array of \
                {"line", "id", "outcome"} and {"line", "error"} objects). Exit status 1 when any \
                line was refused.
                """)

        @Option(name: .customLong("file"), help: ArgumentHelp("The jobs file; '-' is standard input.", valueName: "jobs.jsonl"), completion: .file())
        var file: String?

        @Argument(help: ArgumentHelp("'-' to read the jobs from standard input (same as --file -).", valueName: "-"))
        var standardInput: String?

        @Flag(help: "Replace jobs whose id exists (back to queued, journal cleared).")
        var replace = false

        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            if let standardInput, standardInput != "-" {
                throw ValidationError("jobs add reads --file PATH or '-' (standard input); got '\(standardInput)'.")
            }
            if file != nil, standardInput != nil {
                throw ValidationError("give --file PATH or '-', not both.")
            }
            if file == nil, standardInput == nil {
                throw ValidationError("jobs add needs the jobs: --file jobs.jsonl, or '-' to read standard input.")
            }
        }

        func run() async throws {
            var reported: [JSONValue] = []
            var refused = 0
            do {
                let store = try database.openStore(create: true)
                var lines = try JobsFileLines(path: file ?? "-", limit: JobSpecReader.maximumLineBytes)
                defer { lines.closeFile() }
                while let line = try lines.next() {
                    let result = Self.parse(line)
                    guard let result else { continue }
                    switch result {
                    case .failure(let error):
                        refused += 1
                        Terminal.printError(error.description)
                        reported.append(.object(["line": .int(Int64(line.number)), "error": ErrorJSON.object(for: error)]))
                    case .success(let spec):
                        let outcome = try await store.add(spec, replace: replace)
                        if !database.json { print("\(spec.id)  \(outcome.rawValue)") }
                        reported.append(.object([
                            "line": .int(Int64(line.number)), "id": .string(spec.id.rawValue), "outcome": .string(outcome.rawValue),
                        ]))
                    }
                }
            } catch {
                if database.json { Console.printDocument(ErrorJSON.document(for: error)) }
                Terminal.printError(ErrorText.describe(error))
                throw ExitCode(1)
            }
            if database.json { Console.printDocument(.array(reported)) }
            if refused > 0 {
                Terminal.printError("\(refused) of \(reported.count) job lines refused; fix them and add the file again (jobs already added are reported as exists)")
                throw ExitCode(1)
            }
        }

        /// The job on `line`, its error, or nil for a blank line.
        static func parse(_ line: JobsFileLines.Line) -> Result<JobSpec, JobSpecError>? {
            guard let text = line.text else {
                return .failure(JobSpecError(
                    code: .invalidJSON, line: line.number,
                    message: "the line has \(line.byteCount) bytes, more than the \(JobSpecReader.maximumLineBytes) a job line may have"))
            }
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            do throws(JobSpecError) {
                return .success(try JobSpecReader.parse(trimmed))
            } catch {
                return .failure(error.at(line: line.number))
            }
        }
    }
}
