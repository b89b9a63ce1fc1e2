import Foundation
import GRDB
import Testing
@testable import CallPrepJobs

@Suite struct JobSchemaTests {
    static let migrations = ["v1: jobs and job_steps", "v2: fetch step, wake, retried_at, gates"]

    @Test func migrationsApplyOnceAndReopeningKeepsTheData() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        #expect(try store.appliedMigrations() == Self.migrations)
        _ = try await store.add(try trackJob("kept"), replace: false)
        try store.migrate()
        try store.migrate()
        let reopened = try SQLiteJobStore(path: database.path)
        #expect(try reopened.appliedMigrations() == Self.migrations)
        #expect(try await reopened.list(state: nil).map(\.id.rawValue) == ["kept"])
        let queue = try DatabaseQueue(path: database.path)
        let recorded = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") }
        #expect(recorded == 2)
    }

    /// Several workers starting at once on a new file: each opens it, one migration is applied.
    @Test func storesOpenedTogetherOnANewFileAllSucceed() async throws {
        let database = try TemporaryDatabase()
        let path = database.path
        let opened = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<6 {
                group.addTask { try SQLiteJobStore(path: path).appliedMigrations() }
            }
            var all: [[String]] = []
            for try await applied in group { all.append(applied) }
            return all
        }
        #expect(opened == Array(repeating: Self.migrations, count: 6))
    }

    /// The race behind storesOpenedTogetherOnANewFileAllSucceed, made certain: while another
    /// connection holds the write lock of a new (rollback-journal) file, switching it to WAL is
    /// refused at once with SQLITE_BUSY, busy timeout or not. The store waits for the lock
    /// instead and opens once the other connection commits.
    @Test func aStoreOpenedWhileAnotherConnectionWritesANewFileWaitsForIt() async throws {
        let database = try TemporaryDatabase()
        let other = try DatabaseQueue(path: database.path)
        let committed = ManagedAtomicFlag()
        let writer = Task.detached {
            try other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "CREATE TABLE other_tool (id INTEGER PRIMARY KEY)")
                Thread.sleep(forTimeInterval: 0.5)
                committed.set()
                try db.execute(sql: "COMMIT")
            }
        }
        // Let the other connection take the lock first.
        try await Task.sleep(for: .milliseconds(100))
        let opened = ContinuousClock.now
        let store = try SQLiteJobStore(path: database.path)
        #expect(committed.isSet)
        #expect(ContinuousClock.now - opened >= .milliseconds(200))
        #expect(try store.appliedMigrations() == Self.migrations)
        try await writer.value
        let mode = try await DatabaseQueue(path: database.path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func walModeAndBusyTimeout() async throws {
        let database = try TemporaryDatabase()
        _ = try SQLiteJobStore(path: database.path)
        let queue = try DatabaseQueue(path: database.path)
        let mode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// Every commit of a step is on disk before it counts as done: FULL, not the NORMAL that
    /// GRDB's WAL set-up picks, which can lose the last commits in a power cut.
    @Test func theWriterSyncsEveryCommit() throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        #expect(try store.writerSynchronousLevel() == 2)
        let reopened = try SQLiteJobStore(path: database.path)
        #expect(try reopened.writerSynchronousLevel() == 2)
    }

    @Test func aDatabaseFromANewerCallprepIsRefused() async throws {
        let database = try TemporaryDatabase()
        _ = try SQLiteJobStore(path: database.path)
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        do {
            _ = try SQLiteJobStore(path: database.path)
            Issue.record("a newer schema was accepted")
        } catch {
            #expect(error.code == .newerSchema)
        }
    }

    /// A store written by a callprep with schema version 1 (its journal rows included) is
    /// migrated in place: the rows kept, the `fetch` step accepted, the new columns empty.
    @Test func aVersionOneDatabaseIsMigratedWithItsJournal() async throws {
        let database = try TemporaryDatabase()
        let queue = try DatabaseQueue(path: database.path)
        try JobSchema.migrator.migrate(queue, upTo: "v1: jobs and job_steps")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO jobs (id, spec, state, claims, created_at, updated_at)
                    VALUES ('old', '{"id": "old", "room": "RM0123456789abcdef0123456789abcdef"}', 'failed', 2, 1000, 2000);
                INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, finished_at, outcome, outputs)
                    VALUES ('old', 'validate', 1, 'w', 1000, 1500, 'finished', '{"source":"room"}');
                INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome)
                    VALUES ('old', 'merge', 1, 'w', 1600, 'started');
                """)
        }
        let store = try SQLiteJobStore(path: database.path)
        #expect(try store.appliedMigrations() == Self.migrations)
        let (job, steps) = try #require(try await store.show(JobID("old")))
        #expect(job.state == .failed && job.claims == 2 && job.retriedAt == nil)
        #expect(steps.map(\.step) == [.validate, .merge] && steps.map(\.outcome) == [.finished, .started])
        #expect(steps[0].outputs == .object(["source": .string("room")]))
        try await store.retry(JobID("old"))
        let lease = try #require(try await store.claim(workerID: "w2", leaseDuration: .seconds(10)))
        let fetch = try await store.startStep(.fetch, lease: lease)
        #expect(fetch.step == .fetch && fetch.attempt == 1)
        #expect(try await store.show(JobID("old"))?.job.retriedAt != nil)
        // The check still refuses a step that is none.
        await #expect(throws: (any Error).self) {
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome) VALUES ('old', 'dance', 1, 'w', 1, 'started')")
            }
        }
    }

    @Test func damagedRowsAreReportedNotTrappedOn() async throws {
        let database = try TemporaryDatabase()
        let store = try SQLiteJobStore(path: database.path)
        _ = try await store.add(try trackJob("a"), replace: false)
        _ = try await store.add(try trackJob("b"), replace: false)
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE jobs SET created_at = 'soon' WHERE id = 'a'")
            try db.execute(sql: "UPDATE jobs SET spec = '{\"id\": \"b\", \"tracks\": [\"x\"]}' WHERE id = 'b'")
        }
        let a = try JobID("a"), b = try JobID("b")
        do {
            _ = try await store.show(a)
            Issue.record("a text created_at was read")
        } catch {
            #expect(error.code == .corruptRow)
            #expect(error.message == "job \"a\": column created_at is not an integer; the database was changed outside callprep or is damaged")
        }
        do {
            _ = try await store.show(b)
            Issue.record("a damaged spec was read")
        } catch {
            #expect(error.code == .corruptRow)
            #expect(error.message.hasPrefix("job \"b\": column spec is not a valid job (invalid_value \"tracks\""))
        }
        try await queue.write { db in
            try db.execute(sql: "UPDATE jobs SET created_at = 99999999999999999 WHERE id = 'a'")
        }
        await #expect(throws: JobStoreError.self) { try await store.list(state: nil) }
    }

    @Test func aFileThatIsNotADatabaseIsATypedError() throws {
        let database = try TemporaryDatabase()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: database.path))
        do {
            _ = try SQLiteJobStore(path: database.path)
            Issue.record("a file of A's opened as a database")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains(database.path))
        }
    }
}

/// A flag one thread sets and another reads.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
