import ArgumentParser

/// Runs one `jobs` command: a failure is printed on stderr (and with `--json` as the
/// `{"error": …}` object on stdout) and ends with status 1; usage errors stay status 2.
enum JobsSession {
    static func run(_ options: JobsDatabaseOptions, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            if options.json { Console.printDocument(ErrorJSON.document(for: error)) }
            Terminal.printError(ErrorText.describe(error))
            throw ExitCode(1)
        }
    }
}
