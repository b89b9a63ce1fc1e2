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

    @Option(help: ArgumentHelp("The job store: sqlite:PATH or postgres://USER:PASSWORD@HOST:5432/DATABASE[?sslmode=require] (default: $CALLPREP_DB, else sqlite:callprep-jobs.sqlite).", valueName: "url"))
    var db: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    /// A `--db` that is neither `sqlite:PATH` nor `postgres://…` is a usage error (status 2).
    func validate() throws {
        if isPostgres {
            do {
                _ = try PostgresURL(url)
            } catch {
                throw ValidationError("--db (or $CALLPREP_DB): \(error.message)")
            }
            return
        }
        _ = try sqlitePath()
    }

    /// The store's location as given (flag, then environment, then default).
    var url: String {
        if let db { return db }
        if let value = getenv("CALLPREP_DB"), let text = String(validatingCString: value), !text.isEmpty { return text }
        return Self.defaultURL
    }

    /// True for `postgres://…` and `postgresql://…`.
    var isPostgres: Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The SQLite file `url` names; a usage error for anything else.
    func sqlitePath() throws -> String {
        let url = url
        guard url.lowercased().hasPrefix("sqlite:") else {
            throw ValidationError("--db (or $CALLPREP_DB) must be sqlite:PATH (e.g. sqlite:callprep-jobs.sqlite) or postgres://USER:PASSWORD@HOST:5432/DATABASE; got '\(PostgresURLText.redacted(url))'.")
        }
        var path = String(url.dropFirst("sqlite:".count))
        // sqlite:///abs/path and sqlite://rel are URL spellings of the same thing.
        if path.hasPrefix("//") { path.removeFirst(2) }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw ValidationError("--db sqlite:PATH needs a file path after 'sqlite:'.")
        }
        return path
    }

    /// Opens the store, runs `body` with it and closes it. A SQLite file is created when
    /// `create`; else a missing file is an error that says how jobs get added (reading commands
    /// do not leave empty databases behind). A PostgreSQL database must exist; its tables are
    /// created (migrated) on first use.
    func withStore<T>(create: Bool, _ body: (any JobStore) async throws -> T) async throws -> T {
        let store: any JobStore
        if isPostgres {
            var parsed = try PostgresURL(url)
            // A password in $PGPASSWORD keeps it out of the URL (and process listings).
            if parsed.password == nil, let value = getenv("PGPASSWORD"), let text = String(validatingCString: value), !text.isEmpty {
                parsed.password = text
            }
            store = try await PostgresJobStore(parsed: parsed)
        } else {
            let path = try sqlitePath()
            if !create, access(path, F_OK) != 0 {
                throw JobStoreError(
                    code: .notFound,
                    message: "there is no job store at \(path); add jobs first (callprep jobs add --file jobs.jsonl), or name the store with --db sqlite:PATH")
            }
            store = try SQLiteJobStore(path: path)
        }
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Database URLs in messages: the password of a `scheme://user:password@host` replaced.
enum PostgresURLText {
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
