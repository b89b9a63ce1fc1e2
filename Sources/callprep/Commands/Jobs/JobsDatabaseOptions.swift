import ArgumentParser
import CallPrepJobs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `--db` and `--json`, shared by the `jobs` commands, and opening the store they name.
struct JobsDatabaseOptions: ParsableArguments {
    /// The store used when neither `--db` nor `$CALLPREP_DB` names one.
    static let defaultURL = "sqlite:callprep-jobs.sqlite"

    @Option(help: ArgumentHelp("The job store: sqlite:PATH (default: $CALLPREP_DB, else sqlite:callprep-jobs.sqlite). PostgreSQL is not supported yet.", valueName: "url"))
    var db: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    /// A `--db` that is neither `sqlite:PATH` nor PostgreSQL is a usage error (status 2).
    func validate() throws {
        let lower = url.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return }
        _ = try sqlitePath()
    }

    /// The store's location as given (flag, then environment, then default).
    var url: String {
        if let db { return db }
        if let value = getenv("CALLPREP_DB"), let text = String(validatingCString: value), !text.isEmpty { return text }
        return Self.defaultURL
    }

    /// The SQLite file `url` names; a usage error for anything else.
    func sqlitePath() throws -> String {
        let url = url
        let lower = url.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            throw JobStoreError(
                code: .invalidArgument,
                message: "PostgreSQL job stores are not supported yet; use --db sqlite:PATH")
        }
        guard lower.hasPrefix("sqlite:") else {
            throw ValidationError("--db (or $CALLPREP_DB) must be sqlite:PATH, e.g. sqlite:callprep-jobs.sqlite; got '\(url)'.")
        }
        var path = String(url.dropFirst("sqlite:".count))
        // sqlite:///abs/path and sqlite://rel are URL spellings of the same thing.
        if path.hasPrefix("//") { path.removeFirst(2) }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw ValidationError("--db sqlite:PATH needs a file path after 'sqlite:'.")
        }
        return path
    }

    /// Opens the store, creating the file when `create`; else a missing file is an error that
    /// says how jobs get added (reading commands do not leave empty databases behind).
    func openStore(create: Bool) throws -> SQLiteJobStore {
        let path = try sqlitePath()
        if !create, access(path, F_OK) != 0 {
            throw JobStoreError(
                code: .notFound,
                message: "there is no job store at \(path); add jobs first (callprep jobs add --file jobs.jsonl), or name the store with --db sqlite:PATH")
        }
        return try SQLiteJobStore(path: path)
    }
}
