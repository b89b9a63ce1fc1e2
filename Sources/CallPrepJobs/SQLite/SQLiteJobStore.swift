import CallPrepJSON
import GRDB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded ``JobStore``: one SQLite file, shared safely by several worker processes on one
/// machine. Opened in WAL mode (readers never wait for the writer) with a busy timeout (a writer
/// waits for another's transaction instead of failing), migrated to the current schema on open,
/// and every change made in one `BEGIN IMMEDIATE` transaction: the write lock is taken before
/// the runnable job is chosen, so two processes can never claim the same job.
public final class SQLiteJobStore: JobStore {
    /// The longest lease a worker may ask for.
    public static let maximumLease: Duration = .seconds(7 * 24 * 3600)

    /// The database file.
    public let path: String
    private let pool: DatabasePool
    private let now: @Sendable () -> Date

    /// Opens (creating if needed) the store at `path` and applies missing migrations.
    /// - Parameters:
    ///   - busyTimeout: how long a write waits for another process's transaction.
    ///   - now: the clock (tests move it to expire leases).
    public init(path: String, busyTimeout: Duration = .seconds(10), now: @escaping @Sendable () -> Date = { Date() })
        throws(JobStoreError)
    {
        self.path = path
        self.now = now
        var configuration = Configuration()
        let seconds = Double(busyTimeout.components.seconds) + Double(busyTimeout.components.attoseconds) / 1e18
        configuration.busyMode = .timeout(max(0, seconds))
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // A finished step must survive a power cut, not only a crash of the process.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            try Self.switchToWAL(path: path, configuration: configuration, waitingUpTo: busyTimeout)
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB's WAL set-up runs after `prepareDatabase` on the writer and lowers it to
            // `synchronous = NORMAL` (a commit is durable after a crash of the process, not after a
            // power cut); raise it again on the pool's one writer connection, which lives as long
            // as the store.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw Self.storeError(error, path: path, doing: "open")
        }
        try migrate()
    }

    /// Puts the file in WAL mode (a lasting property of the file) before the pool opens it,
    /// retrying while another connection holds the lock, for up to `timeout`.
    ///
    /// Why not leave it to the pool: on a new file, `PRAGMA journal_mode = WAL` reads the header
    /// under a shared lock and then upgrades to an exclusive one to rewrite it. When two
    /// connections do that at once (several stores or processes opening a new file together),
    /// SQLite refuses one of them at once with SQLITE_BUSY ("database is locked") instead of
    /// calling its busy handler, since waiting while holding the shared lock could deadlock; the
    /// busy timeout never applies. The refused statement has to be run again, which is what this
    /// does. Once the file is in WAL mode the pool's own `journal_mode = WAL` changes nothing, and
    /// every later write begins with `BEGIN IMMEDIATE`, which does wait.
    private static func switchToWAL(path: String, configuration: Configuration, waitingUpTo timeout: Duration) throws {
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let deadline = ContinuousClock.now + timeout
        var pauseMicroseconds: UInt32 = 1_000
        while true {
            do {
                let mode = try connection.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                guard mode?.lowercased() == "wal" else {
                    throw JobStoreError(
                        code: .database,
                        message: "could not put the jobs database \(path) in WAL mode (it stays \(mode ?? "unknown")); use a local disk, not a network share")
                }
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                usleep(pauseMicroseconds)
                pauseMicroseconds = min(pauseMicroseconds * 2, 50_000)
            }
        }
    }

    /// The file, for messages.
    public var location: String { path }

    public var knownMigrations: [String] { JobSchema.migrator.migrations }

    /// The writer connection's `PRAGMA synchronous` (2 is FULL), for the tests of durability.
    func writerSynchronousLevel() throws -> Int? {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    /// Nothing to close: the pool closes with the store.
    public func shutdown() async {}

    /// The schema migrations applied to this database, oldest first.
    public func appliedMigrations() throws(JobStoreError) -> [String] {
        do {
            return try pool.read { db in try JobSchema.migrator.appliedMigrations(db) }
        } catch {
            throw Self.storeError(error, path: path, doing: "read")
        }
    }

    /// Applies the migrations this database lacks (nothing when it is current). Safe when several
    /// processes open a new database at once: one applies each migration, the others see it done.
    public func migrate() throws(JobStoreError) {
        let migrator = JobSchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw JobStoreError(
                    code: .newerSchema,
                    message: "\(path) was written by a newer callprep (its schema has migrations this one does not know); use that version")
            }
            try migrator.migrate(pool)
        } catch let error as JobStoreError {
            throw error
        } catch {
            // Another process may have applied the same migration between our look and our write.
            let complete = (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
            if !complete { throw Self.storeError(error, path: path, doing: "migrate") }
        }
    }

    // MARK: - Adding

    public func add(_ spec: JobSpec, replace: Bool) async throws(JobStoreError) -> JobAddOutcome {
        let specText = spec.json.serialized(.compact)
        let id = spec.id.rawValue
        return try await write { db, now in
            let existing = try Row.fetchOne(db, sql: "SELECT state, leased_until FROM jobs WHERE id = ?", arguments: [id])
            guard let existing else {
                try db.execute(
                    sql: "INSERT INTO jobs (id, spec, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)",
                    arguments: [id, specText, now, now])
                return .added
            }
            guard replace else { return .exists }
            let reader = RowReader(row: existing, what: "job \"\(id)\"")
            if try reader.text("state") == JobState.running.rawValue, let until = try reader.optionalInteger("leased_until"), until > now {
                throw JobStoreError(
                    code: .invalidState,
                    message: "job \"\(id)\" is running under a worker's lease; cancel it (or wait for it) before replacing it")
            }
            try db.execute(sql: "DELETE FROM job_steps WHERE job_id = ?", arguments: [id])
            try db.execute(
                sql: """
                    UPDATE jobs SET spec = ?, state = 'queued', claims = 0, worker_id = NULL, leased_until = NULL,
                        created_at = ?, updated_at = ?, finished_at = NULL, error_step = NULL, error_code = NULL, error_message = NULL,
                        wake_key = NULL, woken_at = NULL, retried_at = NULL
                    WHERE id = ?
                    """,
                arguments: [specText, now, now, id])
            return .replaced
        }
    }

    // MARK: - Leases

    public func claim(workerID: String, leaseDuration: Duration) async throws(JobStoreError) -> JobLease? {
        try Self.checkWorkerID(workerID)
        let leaseMilliseconds = try Self.leaseMilliseconds(leaseDuration)
        return try await write { db, now in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM jobs
                        WHERE state = 'queued' OR (state = 'running' AND (leased_until IS NULL OR leased_until <= ?))
                        ORDER BY created_at, seq LIMIT 1
                        """,
                    arguments: [now])
            else { return nil }
            let previous = try Self.jobRecord(row)
            let until = now + leaseMilliseconds
            try db.execute(
                sql: "UPDATE jobs SET state = 'running', claims = claims + 1, worker_id = ?, leased_until = ?, updated_at = ? WHERE id = ?",
                arguments: [workerID, until, now, previous.id.rawValue])
            var job = previous
            job.state = .running
            job.claims += 1
            job.workerID = workerID
            job.leasedUntil = StoredTime.date(milliseconds: until)
            job.updatedAt = StoredTime.date(milliseconds: now) ?? job.updatedAt
            return JobLease(job: job, workerID: workerID, generation: job.claims, leasedUntil: job.leasedUntil ?? job.updatedAt)
        }
    }

    public func renew(_ lease: JobLease, leaseDuration: Duration) async throws(JobStoreError) -> JobLease {
        let leaseMilliseconds = try Self.leaseMilliseconds(leaseDuration)
        return try await write { db, now in
            try Self.requireLease(lease, db: db, now: now)
            let until = now + leaseMilliseconds
            try db.execute(
                sql: "UPDATE jobs SET leased_until = ?, updated_at = ? WHERE id = ?",
                arguments: [until, now, lease.jobID.rawValue])
            var renewed = lease
            renewed.leasedUntil = StoredTime.date(milliseconds: until) ?? lease.leasedUntil
            renewed.job.leasedUntil = renewed.leasedUntil
            return renewed
        }
    }

    public func complete(_ lease: JobLease) async throws(JobStoreError) {
        try await endLease(lease, state: .done, failure: nil)
    }

    public func fail(_ lease: JobLease, failure: JobFailure) async throws(JobStoreError) {
        try await endLease(lease, state: .failed, failure: failure)
    }

    public func release(_ lease: JobLease) async throws(JobStoreError) {
        try await endLease(lease, state: .queued, failure: nil)
    }

    private func endLease(_ lease: JobLease, state: JobState, failure: JobFailure?) async throws(JobStoreError) {
        try await write { db, now in
            try Self.requireLease(lease, db: db, now: now)
            var sql = "UPDATE jobs SET state = ?, worker_id = NULL, leased_until = NULL, updated_at = ?"
            var arguments: StatementArguments = [state.rawValue, now]
            if state.isFinal {
                sql += ", finished_at = ?"
                arguments += [now]
            }
            if let failure {
                sql += ", error_step = ?, error_code = ?, error_message = ?"
                arguments += [failure.step.rawValue, failure.code, failure.message]
            }
            sql += " WHERE id = ?"
            arguments += [lease.jobID.rawValue]
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    // MARK: - The journal

    public func startStep(_ step: JobStep, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await write { db, now in
            try Self.requireLease(lease, db: db, now: now)
            let last = try Int64.fetchOne(
                db, sql: "SELECT MAX(attempt) FROM job_steps WHERE job_id = ? AND step = ?",
                arguments: [lease.jobID.rawValue, step.rawValue]) ?? 0
            guard last >= 0, last < Int64(Int32.max) else {
                throw JobStoreError(code: .corruptRow, message: "job \"\(lease.jobID)\": step \(step) has attempt \(last); the database is damaged")
            }
            let attempt = last + 1
            try db.execute(
                sql: "INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome) VALUES (?, ?, ?, ?, ?, 'started')",
                arguments: [lease.jobID.rawValue, step.rawValue, attempt, lease.workerID, now])
            return StepRecord(
                jobID: lease.jobID, step: step, attempt: Int(attempt), workerID: lease.workerID,
                startedAt: StoredTime.date(milliseconds: now) ?? Date(timeIntervalSince1970: 0), finishedAt: nil,
                outcome: .started, outputs: .null, errorCode: nil, errorMessage: nil)
        }
    }

    public func finishStep(_ record: StepRecord, outputs: JSONValue, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        let outputsText = outputs.serialized(.compact)
        return try await endStep(record, lease: lease, outcome: .finished, outputs: outputs, outputsText: outputsText, code: nil, message: nil)
    }

    public func failStep(_ record: StepRecord, code: String, message: String, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await endStep(record, lease: lease, outcome: .failed, outputs: .null, outputsText: nil, code: code, message: message)
    }

    private func endStep(
        _ record: StepRecord, lease: JobLease, outcome: StepRecord.Outcome, outputs: JSONValue, outputsText: String?,
        code: String?, message: String?
    ) async throws(JobStoreError) -> StepRecord {
        try await write { db, now in
            try Self.requireLease(lease, db: db, now: now)
            try db.execute(
                sql: """
                    UPDATE job_steps SET outcome = ?, finished_at = ?, outputs = ?, error_code = ?, error_message = ?
                    WHERE job_id = ? AND step = ? AND attempt = ? AND worker_id = ? AND outcome = 'started'
                    """,
                arguments: [
                    outcome.rawValue, now, outputsText, code, message, lease.jobID.rawValue, record.step.rawValue,
                    record.attempt, lease.workerID,
                ])
            guard db.changesCount == 1, record.jobID == lease.jobID else {
                throw JobStoreError(
                    code: .stepNotStarted,
                    message: "job \"\(lease.jobID)\": step \(record.step) attempt \(record.attempt) was not started by worker \"\(lease.workerID)\" or has already ended")
            }
            var ended = record
            ended.outcome = outcome
            ended.finishedAt = StoredTime.date(milliseconds: now)
            ended.outputs = outputs
            ended.errorCode = code
            ended.errorMessage = message
            return ended
        }
    }

    // MARK: - Waking a waiting job

    public func watch(_ key: String, lease: JobLease) async throws(JobStoreError) {
        try Self.checkWakeKey(key)
        try await write { db, now in
            try Self.requireLease(lease, db: db, now: now)
            try db.execute(sql: "UPDATE jobs SET wake_key = ?, woken_at = NULL WHERE id = ?", arguments: [key, lease.jobID.rawValue])
        }
    }

    public func takeWake(_ lease: JobLease) async throws(JobStoreError) -> Bool {
        let id = lease.jobID.rawValue
        // A read (no write lock) while nobody woke the job, which is nearly every check.
        let woken = try await read { db in
            try Int64.fetchOne(db, sql: "SELECT woken_at FROM jobs WHERE id = ?", arguments: [id]) != nil
        }
        guard woken else { return false }
        return try await write { db, _ in
            try db.execute(
                sql: "UPDATE jobs SET woken_at = NULL WHERE id = ? AND woken_at IS NOT NULL AND worker_id = ? AND claims = ?",
                arguments: [id, lease.workerID, lease.generation])
            return db.changesCount == 1
        }
    }

    public func wake(waitingOn key: String) async throws(JobStoreError) -> JobID? {
        try Self.checkWakeKey(key)
        return try await write { db, now in
            guard let id = try String.fetchOne(
                db, sql: "SELECT id FROM jobs WHERE wake_key = ? AND state IN ('queued', 'running') ORDER BY seq LIMIT 1", arguments: [key])
            else { return nil }
            try db.execute(sql: "UPDATE jobs SET woken_at = ? WHERE id = ?", arguments: [now, id])
            return try JobID(id)
        }
    }

    // MARK: - Gates

    public func holdBack(_ gate: String, for duration: Duration) async throws(JobStoreError) {
        let milliseconds = try Self.gateMilliseconds(gate, duration)
        try await write { db, now in
            try db.execute(
                sql: """
                    INSERT INTO job_gates (name, not_before) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET not_before = MAX(not_before, excluded.not_before)
                    """,
                arguments: [gate, now + milliseconds])
        }
    }

    public func holdBackRemaining(_ gate: String) async throws(JobStoreError) -> Duration {
        _ = try Self.gateMilliseconds(gate, .zero)
        let now = StoredTime.milliseconds(now())
        let notBefore = try await read { db in
            try Int64.fetchOne(db, sql: "SELECT not_before FROM job_gates WHERE name = ?", arguments: [gate])
        }
        return Self.remaining(until: notBefore, now: now)
    }

    /// The time from `now` to `notBefore` (milliseconds), zero when past, at most an hour (a
    /// damaged row cannot hold a step back for longer).
    static func remaining(until notBefore: Int64?, now: Int64) -> Duration {
        guard let notBefore, notBefore > now else { return .zero }
        return .milliseconds(min(notBefore - now, 3_600_000))
    }

    /// Checks a gate's name and a hold (0 to 1 hour) and gives the hold in milliseconds.
    static func gateMilliseconds(_ gate: String, _ duration: Duration) throws(JobStoreError) -> Int64 {
        guard !gate.isEmpty, gate.utf8.count <= 64 else {
            throw JobStoreError(code: .invalidArgument, message: "a gate's name must have 1 to 64 bytes")
        }
        guard duration >= .zero, duration <= .seconds(3600) else {
            throw JobStoreError(code: .invalidArgument, message: "a step is held back for 0 to 1 hour; got \(duration)")
        }
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    // MARK: - Operator commands

    public func retry(_ id: JobID) async throws(JobStoreError) {
        try await write { db, now in
            let state = try Self.state(of: id, db: db)
            guard state == .failed || state == .cancelled else {
                throw JobStoreError(code: .invalidState, message: "job \"\(id)\" is \(state.rawValue); only failed or cancelled jobs can be retried")
            }
            try db.execute(
                sql: "UPDATE jobs SET state = 'queued', worker_id = NULL, leased_until = NULL, finished_at = NULL, updated_at = ?, retried_at = ? WHERE id = ?",
                arguments: [now, now, id.rawValue])
        }
    }

    public func cancel(_ id: JobID) async throws(JobStoreError) {
        try await write { db, now in
            let state = try Self.state(of: id, db: db)
            guard state != .done else {
                throw JobStoreError(code: .invalidState, message: "job \"\(id)\" is done; there is nothing to cancel")
            }
            guard state != .cancelled else { return }
            try db.execute(
                sql: "UPDATE jobs SET state = 'cancelled', worker_id = NULL, leased_until = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
                arguments: [now, now, id.rawValue])
        }
    }

    // MARK: - Reading

    public func status() async throws(JobStoreError) -> JobStatusSummary {
        let hourAgo = StoredTime.milliseconds(now()) - 3_600_000
        return try await read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM jobs GROUP BY state") {
                let reader = RowReader(row: row, what: "the job counts")
                counts[try reader.value("state", JobState.init(name:))] = try reader.count("count")
            }
            let oldest = try Row.fetchOne(db, sql: "SELECT MIN(created_at) AS oldest FROM jobs WHERE state = 'queued'")
            let oldestQueuedAt = try oldest.map { row throws(JobStoreError) in try RowReader(row: row, what: "the oldest queued job").optionalDate("oldest") } ?? nil
            let done = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND finished_at > ?", arguments: [hourAgo]) ?? 0
            return JobStatusSummary(counts: counts, oldestQueuedAt: oldestQueuedAt, doneLastHour: done)
        }
    }

    public func list(state: JobState?) async throws(JobStoreError) -> [JobRecord] {
        try await read { db in
            let rows: [Row]
            if let state {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE state = ? ORDER BY created_at, seq", arguments: [state.rawValue])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY created_at, seq")
            }
            var jobs: [JobRecord] = []
            jobs.reserveCapacity(rows.count)
            for row in rows { jobs.append(try Self.jobRecord(row)) }
            return jobs
        }
    }

    public func show(_ id: JobID) async throws(JobStoreError) -> (job: JobRecord, steps: [StepRecord])? {
        let found: (JobRecord, [StepRecord])? = try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id.rawValue]) else { return nil }
            let job = try Self.jobRecord(row)
            var steps: [StepRecord] = []
            for stepRow in try Row.fetchAll(
                db, sql: "SELECT * FROM job_steps WHERE job_id = ? ORDER BY started_at, rowid", arguments: [id.rawValue])
            {
                steps.append(try Self.stepRecord(stepRow, jobID: id))
            }
            return (job, steps)
        }
        return found.map { (job: $0.0, steps: $0.1) }
    }

    // MARK: - Transactions

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction with the current time in milliseconds;
    /// a thrown error rolls everything back.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database, Int64) throws -> T) async throws(JobStoreError) -> T {
        let now = now
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db, StoredTime.milliseconds(now()))
                    return .commit
                }
                guard let result else { throw JobStoreError(code: .database, message: "the transaction ended without a result") }
                return result
            }
        } catch {
            throw Self.storeError(error, path: path, doing: "write")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(JobStoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error, path: path, doing: "read")
        }
    }

    // MARK: - Rows and checks

    /// Throws `lease_lost` unless `lease` still holds its job: running, same claim, same worker, not expired.
    private static func requireLease(_ lease: JobLease, db: Database, now: Int64) throws {
        let id = lease.jobID.rawValue
        guard let row = try Row.fetchOne(db, sql: "SELECT state, claims, worker_id, leased_until FROM jobs WHERE id = ?", arguments: [id]) else {
            throw JobStoreError(code: .leaseLost, message: "job \"\(id)\" no longer exists")
        }
        let reader = RowReader(row: row, what: "job \"\(id)\"")
        let state = try reader.text("state")
        let claims = try reader.integer("claims")
        let holder = try reader.optionalText("worker_id")
        let until = try reader.optionalInteger("leased_until")
        guard state == JobState.running.rawValue else {
            throw JobStoreError(code: .leaseLost, message: "job \"\(id)\" is \(state) now; worker \"\(lease.workerID)\" must stop working on it")
        }
        guard claims == Int64(lease.generation), holder == lease.workerID else {
            throw JobStoreError(
                code: .leaseLost,
                message: "job \"\(id)\" was taken over by worker \"\(holder ?? "?")\" after worker \"\(lease.workerID)\"'s lease ran out; its work is refused")
        }
        guard let until, until > now else {
            throw JobStoreError(
                code: .leaseLost,
                message: "worker \"\(lease.workerID)\"'s lease on job \"\(id)\" ran out; renew leases more often than they last")
        }
    }

    private static func state(of id: JobID, db: Database) throws -> JobState {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [id.rawValue]) else {
            throw JobStoreError(code: .notFound, message: "there is no job \"\(id)\"; `callprep jobs list` shows the jobs")
        }
        guard let state = JobState(name: text) else {
            throw JobStoreError(code: .corruptRow, message: "job \"\(id)\" has the unknown state \"\(text)\"")
        }
        return state
    }

    static func jobRecord(_ row: Row) throws(JobStoreError) -> JobRecord {
        let idText = (try? RowReader(row: row, what: "a job").text("id")) ?? "?"
        let reader = RowReader(row: row, what: "job \"\(idText)\"")
        let specText = try reader.text("spec")
        let spec: JobSpec
        do {
            spec = try JobSpecReader.parse(specText)
        } catch {
            throw reader.corrupt("spec", "is not a valid job (\(error))")
        }
        guard spec.id.rawValue == idText else { throw reader.corrupt("spec", "names another job, \"\(spec.id)\"") }
        var failure: JobFailure?
        if let code = try reader.optionalText("error_code") {
            failure = JobFailure(
                step: try reader.value("error_step", JobStep.init(name:)), code: code,
                message: try reader.optionalText("error_message") ?? "")
        }
        return JobRecord(
            spec: spec, state: try reader.value("state", JobState.init(name:)), claims: try reader.count("claims"),
            workerID: try reader.optionalText("worker_id"), leasedUntil: try reader.optionalDate("leased_until"),
            createdAt: try reader.date("created_at"), updatedAt: try reader.date("updated_at"), error: failure,
            retriedAt: try reader.optionalDate("retried_at"))
    }

    static func stepRecord(_ row: Row, jobID: JobID) throws(JobStoreError) -> StepRecord {
        let reader = RowReader(row: row, what: "a step of job \"\(jobID)\"")
        let attempt = try reader.count("attempt")
        guard attempt >= 1 else { throw reader.corrupt("attempt", "is 0") }
        return StepRecord(
            jobID: jobID, step: try reader.value("step", JobStep.init(name:)), attempt: attempt,
            workerID: try reader.text("worker_id"), startedAt: try reader.date("started_at"),
            finishedAt: try reader.optionalDate("finished_at"),
            outcome: try reader.value("outcome", StepRecord.Outcome.init(rawValue:)), outputs: try reader.json("outputs"),
            errorCode: try reader.optionalText("error_code"), errorMessage: try reader.optionalText("error_message"))
    }

    static func checkWakeKey(_ key: String) throws(JobStoreError) {
        guard !key.isEmpty, key.utf8.count <= 256 else {
            throw JobStoreError(code: .invalidArgument, message: "a wake key (a transcript SID) must have 1 to 256 bytes")
        }
    }

    private static func checkWorkerID(_ workerID: String) throws(JobStoreError) {
        guard !workerID.isEmpty, workerID.utf8.count <= 256 else {
            throw JobStoreError(code: .invalidArgument, message: "a worker id must have 1 to 256 bytes")
        }
    }

    private static func leaseMilliseconds(_ duration: Duration) throws(JobStoreError) -> Int64 {
        guard let milliseconds = StoredTime.milliseconds(duration, atMost: maximumLease) else {
            throw JobStoreError(code: .invalidArgument, message: "a lease must last from 1 ms to 7 days; got \(duration)")
        }
        return milliseconds
    }

    private static func storeError(_ error: any Error, path: String, doing action: String) -> JobStoreError {
        if let error = error as? JobStoreError { return error }
        if let error = error as? DatabaseError {
            let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            return JobStoreError(code: .database, message: "could not \(action) the jobs database \(path): \(detail)")
        }
        return JobStoreError(code: .database, message: "could not \(action) the jobs database \(path): \(error)")
    }
}
