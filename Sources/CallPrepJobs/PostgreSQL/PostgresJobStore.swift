import CallPrepJSON
import Logging
import NIOSSL
import PostgresNIO
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ``JobStore`` on PostgreSQL, for workers on many machines: the same schema and semantics
/// as ``SQLiteJobStore``, through PostgresNIO's connection pool. A claim takes the oldest
/// runnable job with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claims never wait for each
/// other and never take the same job; every other change locks the job's row (`FOR UPDATE`) and
/// checks the lease in the same transaction. Times are the database server's clock (one clock
/// for every machine), whole milliseconds in BIGINT columns.
///
/// Call ``shutdown()`` when done: it closes the pool's connections.
public final class PostgresJobStore: JobStore {
    /// The server and database, without the password.
    public let location: String

    public var knownMigrations: [String] { PostgresJobSchema.migrations.map(\.name) }
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    private let now: (@Sendable () -> Date)?

    /// Connects to `url` (see ``PostgresURL``) and applies missing migrations.
    /// - Parameter now: a clock for tests; nil uses the server's `clock_timestamp()`.
    public convenience init(url: String, now: (@Sendable () -> Date)? = nil) async throws(JobStoreError) {
        try await self.init(parsed: try PostgresURL(url), now: now)
    }

    /// Connects to the server `parsed` names (its password set from elsewhere, e.g. `PGPASSWORD`).
    public init(parsed: PostgresURL, now: (@Sendable () -> Date)? = nil) async throws(JobStoreError) {
        location = parsed.redacted
        self.now = now
        var logger = Logger(label: "callprep.jobs.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let tlsConfiguration = Self.tlsConfiguration(parsed)
        let tls: PostgresClient.Configuration.TLS = switch parsed.tls {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
        var configuration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password, database: parsed.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 16
        // One connection first, so an unreachable server or a refused login is an error at once
        // with the server's reason (the pool would keep retrying).
        do {
            var probe = PostgresConnection.Configuration(
                host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password, database: parsed.database,
                tls: .disable)
            switch parsed.tls {
            case .disable: break
            case .prefer: probe.tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyCA, .verifyFull: probe.tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
            probe.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw Self.storeError(error, location: parsed.redacted)
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            await shutdown()
            throw error
        }
    }

    /// The TLS settings for `sslmode`, as libpq reads it: `prefer` and `require` encrypt without
    /// checking the certificate, `verify-ca` checks it against `sslrootcert` (else the system's
    /// roots), `verify-full` also checks that it names the host.
    static func tlsConfiguration(_ url: PostgresURL) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let path = url.rootCertificatePath { configuration.trustRoots = .file(path) }
        return configuration
    }

    /// Closes the connections. The store cannot be used afterwards.
    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    // MARK: - Migrations

    /// The schema migrations applied to this database, oldest first.
    public func appliedMigrations() async throws(JobStoreError) -> [String] {
        try await transaction { connection, _ in try await Self.applied(connection, logger: self.logger) }
    }

    /// Applies the migrations this database lacks, under an advisory lock so that processes
    /// starting together apply each once; refuses a database with a migration this build does
    /// not know (`newer_schema`).
    public func migrate() async throws(JobStoreError) {
        let location = location
        try await transaction { connection, now in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresJobSchema.migrationLock))", logger: self.logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS callprep_migrations (identifier TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                logger: self.logger)
            let applied = try await Self.applied(connection, logger: self.logger)
            let known = PostgresJobSchema.migrations.map(\.name)
            if applied.contains(where: { !known.contains($0) }) {
                throw JobStoreError(
                    code: .newerSchema,
                    message: "\(location) was written by a newer callprep (its schema has migrations this one does not know); use that version")
            }
            for migration in PostgresJobSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO callprep_migrations (identifier, applied_at) VALUES (\(migration.name), \(now))", logger: self.logger)
            }
        }
    }

    private static func applied(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let exists = try await connection.query("SELECT to_regclass('callprep_migrations') IS NOT NULL", logger: logger)
        for try await (present) in exists.decode(Bool.self) where !present { return [] }
        var names: [String] = []
        let rows = try await connection.query("SELECT identifier FROM callprep_migrations ORDER BY applied_at, identifier", logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    // MARK: - Adding

    public func add(_ spec: JobSpec, replace: Bool) async throws(JobStoreError) -> JobAddOutcome {
        let specText = spec.json.serialized(.compact)
        let id = spec.id.rawValue
        return try await transaction { connection, now in
            let inserted = try await connection.query(
                """
                INSERT INTO jobs (id, spec, state, created_at, updated_at) VALUES (\(id), \(specText), 'queued', \(now), \(now))
                ON CONFLICT (id) DO NOTHING RETURNING seq
                """, logger: self.logger)
            for try await _ in inserted.decode(Int64.self) { return .added }
            guard replace else { return .exists }
            let rows = try await connection.query("SELECT state, leased_until FROM jobs WHERE id = \(id) FOR UPDATE", logger: self.logger)
            for try await (state, until) in rows.decode((String, Int64?).self) {
                if state == JobState.running.rawValue, let until, until > now {
                    throw JobStoreError(
                        code: .invalidState,
                        message: "job \"\(id)\" is running under a worker's lease; cancel it (or wait for it) before replacing it")
                }
            }
            try await connection.query("DELETE FROM job_steps WHERE job_id = \(id)", logger: self.logger)
            try await connection.query(
                """
                UPDATE jobs SET spec = \(specText), state = 'queued', claims = 0, worker_id = NULL, leased_until = NULL,
                    created_at = \(now), updated_at = \(now), finished_at = NULL, error_step = NULL, error_code = NULL, error_message = NULL,
                    wake_key = NULL, woken_at = NULL, retried_at = NULL
                WHERE id = \(id)
                """, logger: self.logger)
            return .replaced
        }
    }

    // MARK: - Leases

    public func claim(workerID: String, leaseDuration: Duration) async throws(JobStoreError) -> JobLease? {
        guard !workerID.isEmpty, workerID.utf8.count <= 256 else {
            throw JobStoreError(code: .invalidArgument, message: "a worker id must have 1 to 256 bytes")
        }
        let lease = try Self.leaseMilliseconds(leaseDuration)
        return try await transaction { connection, now in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: PostgresJobRows.jobColumns) FROM jobs
                WHERE state = 'queued' OR (state = 'running' AND (leased_until IS NULL OR leased_until <= \(now)))
                ORDER BY created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED
                """, logger: self.logger)
            var found: JobRecord?
            for try await row in rows.decode(PostgresJobRows.JobTuple.self) { found = try PostgresJobRows.job(row) }
            guard var job = found else { return nil }
            let until = now + lease
            try await connection.query(
                """
                UPDATE jobs SET state = 'running', claims = claims + 1, worker_id = \(workerID), leased_until = \(until), updated_at = \(now)
                WHERE id = \(job.id.rawValue)
                """, logger: self.logger)
            job.state = .running
            job.claims += 1
            job.workerID = workerID
            job.leasedUntil = StoredTime.date(milliseconds: until)
            job.updatedAt = StoredTime.date(milliseconds: now) ?? job.updatedAt
            return JobLease(job: job, workerID: workerID, generation: job.claims, leasedUntil: job.leasedUntil ?? job.updatedAt)
        }
    }

    public func renew(_ lease: JobLease, leaseDuration: Duration) async throws(JobStoreError) -> JobLease {
        let milliseconds = try Self.leaseMilliseconds(leaseDuration)
        return try await transaction { connection, now in
            try await self.requireLease(lease, connection, now: now)
            let until = now + milliseconds
            try await connection.query(
                "UPDATE jobs SET leased_until = \(until), updated_at = \(now) WHERE id = \(lease.jobID.rawValue)", logger: self.logger)
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
        try await transaction { connection, now in
            try await self.requireLease(lease, connection, now: now)
            let finished: Int64? = state.isFinal ? now : nil
            let id = lease.jobID.rawValue
            if let failure {
                try await connection.query(
                    """
                    UPDATE jobs SET state = \(state.rawValue), worker_id = NULL, leased_until = NULL, updated_at = \(now),
                        finished_at = \(finished), error_step = \(failure.step.rawValue), error_code = \(failure.code),
                        error_message = \(failure.message)
                    WHERE id = \(id)
                    """, logger: self.logger)
            } else {
                try await connection.query(
                    """
                    UPDATE jobs SET state = \(state.rawValue), worker_id = NULL, leased_until = NULL, updated_at = \(now),
                        finished_at = COALESCE(\(finished), finished_at)
                    WHERE id = \(id)
                    """, logger: self.logger)
            }
        }
    }

    // MARK: - The journal

    public func startStep(_ step: JobStep, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await transaction { connection, now in
            try await self.requireLease(lease, connection, now: now)
            let id = lease.jobID.rawValue
            var last: Int64 = 0
            let rows = try await connection.query(
                "SELECT COALESCE(MAX(attempt), 0) FROM job_steps WHERE job_id = \(id) AND step = \(step.rawValue)", logger: self.logger)
            for try await value in rows.decode(Int64.self) { last = value }
            guard last >= 0, last < Int64(Int32.max) else {
                throw JobStoreError(code: .corruptRow, message: "job \"\(id)\": step \(step) has attempt \(last); the database is damaged")
            }
            let attempt = last + 1
            try await connection.query(
                """
                INSERT INTO job_steps (job_id, step, attempt, worker_id, started_at, outcome)
                VALUES (\(id), \(step.rawValue), \(attempt), \(lease.workerID), \(now), 'started')
                """, logger: self.logger)
            return StepRecord(
                jobID: lease.jobID, step: step, attempt: Int(attempt), workerID: lease.workerID,
                startedAt: StoredTime.date(milliseconds: now) ?? Date(timeIntervalSince1970: 0), finishedAt: nil,
                outcome: .started, outputs: .null, errorCode: nil, errorMessage: nil)
        }
    }

    public func finishStep(_ record: StepRecord, outputs: JSONValue, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await endStep(record, lease: lease, outcome: .finished, outputs: outputs, code: nil, message: nil)
    }

    public func failStep(_ record: StepRecord, code: String, message: String, lease: JobLease) async throws(JobStoreError) -> StepRecord {
        try await endStep(record, lease: lease, outcome: .failed, outputs: .null, code: code, message: message)
    }

    private func endStep(
        _ record: StepRecord, lease: JobLease, outcome: StepRecord.Outcome, outputs: JSONValue, code: String?, message: String?
    ) async throws(JobStoreError) -> StepRecord {
        let outputsText: String? = outcome == .finished ? outputs.serialized(.compact) : nil
        return try await transaction { connection, now in
            try await self.requireLease(lease, connection, now: now)
            let rows = try await connection.query(
                """
                UPDATE job_steps SET outcome = \(outcome.rawValue), finished_at = \(now), outputs = \(outputsText),
                    error_code = \(code), error_message = \(message)
                WHERE job_id = \(lease.jobID.rawValue) AND step = \(record.step.rawValue) AND attempt = \(Int64(record.attempt))
                    AND worker_id = \(lease.workerID) AND outcome = 'started'
                RETURNING attempt
                """, logger: self.logger)
            var changed = 0
            for try await _ in rows.decode(Int64.self) { changed += 1 }
            guard changed == 1, record.jobID == lease.jobID else {
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
        try SQLiteJobStore.checkWakeKey(key)
        try await transaction { connection, now in
            try await self.requireLease(lease, connection, now: now)
            try await connection.query(
                "UPDATE jobs SET wake_key = \(key), woken_at = NULL WHERE id = \(lease.jobID.rawValue)", logger: self.logger)
        }
    }

    public func takeWake(_ lease: JobLease) async throws(JobStoreError) -> Bool {
        let id = lease.jobID.rawValue
        // One statement, no row lock while nobody woke the job (nearly every check).
        return try await transaction { connection, _ in
            var cleared = false
            for try await _ in try await connection.query(
                "UPDATE jobs SET woken_at = NULL WHERE id = \(id) AND woken_at IS NOT NULL AND worker_id = \(lease.workerID) AND claims = \(Int64(lease.generation)) RETURNING seq",
                logger: self.logger
            ).decode(Int64.self) {
                cleared = true
            }
            return cleared
        }
    }

    public func wake(waitingOn key: String) async throws(JobStoreError) -> JobID? {
        try SQLiteJobStore.checkWakeKey(key)
        return try await transaction { connection, now in
            var woken: String?
            for try await id in try await connection.query(
                """
                UPDATE jobs SET woken_at = \(now)
                WHERE seq = (SELECT seq FROM jobs WHERE wake_key = \(key) AND state IN ('queued', 'running') ORDER BY seq LIMIT 1)
                RETURNING id
                """, logger: self.logger
            ).decode(String.self) {
                woken = id
            }
            return try woken.map { try JobID($0) }
        }
    }

    // MARK: - Gates

    public func holdBack(_ gate: String, for duration: Duration) async throws(JobStoreError) {
        let milliseconds = try SQLiteJobStore.gateMilliseconds(gate, duration)
        try await transaction { connection, now in
            try await connection.query(
                """
                INSERT INTO job_gates (name, not_before) VALUES (\(gate), \(now + milliseconds))
                ON CONFLICT (name) DO UPDATE SET not_before = GREATEST(job_gates.not_before, excluded.not_before)
                """, logger: self.logger)
        }
    }

    public func holdBackRemaining(_ gate: String) async throws(JobStoreError) -> Duration {
        _ = try SQLiteJobStore.gateMilliseconds(gate, .zero)
        return try await transaction { connection, now in
            var notBefore: Int64?
            for try await value in try await connection.query(
                "SELECT not_before FROM job_gates WHERE name = \(gate)", logger: self.logger).decode(Int64.self)
            {
                notBefore = value
            }
            return SQLiteJobStore.remaining(until: notBefore, now: now)
        }
    }

    // MARK: - Operator commands

    public func retry(_ id: JobID) async throws(JobStoreError) {
        try await transaction { connection, now in
            let state = try await self.lockedState(of: id, connection)
            guard state == .failed || state == .cancelled else {
                throw JobStoreError(code: .invalidState, message: "job \"\(id)\" is \(state.rawValue); only failed or cancelled jobs can be retried")
            }
            try await connection.query(
                """
                UPDATE jobs SET state = 'queued', worker_id = NULL, leased_until = NULL, finished_at = NULL, updated_at = \(now),
                    retried_at = \(now)
                WHERE id = \(id.rawValue)
                """,
                logger: self.logger)
        }
    }

    public func cancel(_ id: JobID) async throws(JobStoreError) {
        try await transaction { connection, now in
            let state = try await self.lockedState(of: id, connection)
            guard state != .done else {
                throw JobStoreError(code: .invalidState, message: "job \"\(id)\" is done; there is nothing to cancel")
            }
            guard state != .cancelled else { return }
            try await connection.query(
                "UPDATE jobs SET state = 'cancelled', worker_id = NULL, leased_until = NULL, finished_at = \(now), updated_at = \(now) WHERE id = \(id.rawValue)",
                logger: self.logger)
        }
    }

    // MARK: - Reading

    public func status() async throws(JobStoreError) -> JobStatusSummary {
        try await transaction { connection, now in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for try await (name, count) in try await connection.query(
                "SELECT state, COUNT(*) FROM jobs GROUP BY state", logger: self.logger).decode((String, Int64).self)
            {
                guard let state = JobState(name: name) else {
                    throw JobStoreError(code: .corruptRow, message: "a job has the unknown state \"\(name)\"")
                }
                counts[state] = Int(clamping: count)
            }
            var oldest: Date?
            for try await value in try await connection.query(
                "SELECT MIN(created_at) FROM jobs WHERE state = 'queued'", logger: self.logger).decode(Int64?.self)
            {
                oldest = value.flatMap { StoredTime.date(milliseconds: $0) }
            }
            var done = 0
            let hourAgo = now - 3_600_000
            for try await value in try await connection.query(
                "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND finished_at > \(hourAgo)", logger: self.logger).decode(Int64.self)
            {
                done = Int(clamping: value)
            }
            return JobStatusSummary(counts: counts, oldestQueuedAt: oldest, doneLastHour: done)
        }
    }

    public func list(state: JobState?) async throws(JobStoreError) -> [JobRecord] {
        try await transaction { connection, _ in
            let rows = if let state {
                try await connection.query(
                    "SELECT \(unescaped: PostgresJobRows.jobColumns) FROM jobs WHERE state = \(state.rawValue) ORDER BY created_at, seq",
                    logger: self.logger)
            } else {
                try await connection.query("SELECT \(unescaped: PostgresJobRows.jobColumns) FROM jobs ORDER BY created_at, seq", logger: self.logger)
            }
            var jobs: [JobRecord] = []
            for try await row in rows.decode(PostgresJobRows.JobTuple.self) { jobs.append(try PostgresJobRows.job(row)) }
            return jobs
        }
    }

    public func show(_ id: JobID) async throws(JobStoreError) -> (job: JobRecord, steps: [StepRecord])? {
        let found: (JobRecord, [StepRecord])? = try await transaction { connection, _ in
            var job: JobRecord?
            for try await row in try await connection.query(
                "SELECT \(unescaped: PostgresJobRows.jobColumns) FROM jobs WHERE id = \(id.rawValue)", logger: self.logger
            ).decode(PostgresJobRows.JobTuple.self) {
                job = try PostgresJobRows.job(row)
            }
            guard let job else { return nil }
            var steps: [StepRecord] = []
            for try await row in try await connection.query(
                """
                SELECT \(unescaped: PostgresJobRows.stepColumns) FROM job_steps WHERE job_id = \(id.rawValue)
                ORDER BY started_at, array_position(ARRAY[\(unescaped: JobSchemaV2.stepNames)], step), attempt
                """,
                logger: self.logger
            ).decode(PostgresJobRows.StepTuple.self) {
                steps.append(try PostgresJobRows.step(row, jobID: id))
            }
            return (job, steps)
        }
        return found.map { (job: $0.0, steps: $0.1) }
    }

    // MARK: - Transactions and checks

    /// Runs `body` in one transaction with the current time in milliseconds (the server's clock,
    /// or the test clock); a thrown error rolls it back.
    private func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Int64) async throws -> T
    ) async throws(JobStoreError) -> T {
        let clock = now
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var milliseconds: Int64
                if let clock {
                    milliseconds = StoredTime.milliseconds(clock())
                } else {
                    milliseconds = 0
                    for try await value in try await connection.query(
                        "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT", logger: self.logger).decode(Int64.self)
                    {
                        milliseconds = value
                    }
                }
                return try await body(connection, milliseconds)
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Locks the job's row and throws `lease_lost` unless `lease` still holds it.
    private func requireLease(_ lease: JobLease, _ connection: PostgresConnection, now: Int64) async throws {
        let id = lease.jobID.rawValue
        var row: (String, Int64, String?, Int64?)?
        for try await found in try await connection.query(
            "SELECT state, claims, worker_id, leased_until FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((String, Int64, String?, Int64?).self) {
            row = found
        }
        guard let (state, claims, holder, until) = row else {
            throw JobStoreError(code: .leaseLost, message: "job \"\(id)\" no longer exists")
        }
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
                code: .leaseLost, message: "worker \"\(lease.workerID)\"'s lease on job \"\(id)\" ran out; renew leases more often than they last")
        }
    }

    private func lockedState(of id: JobID, _ connection: PostgresConnection) async throws -> JobState {
        var text: String?
        for try await value in try await connection.query(
            "SELECT state FROM jobs WHERE id = \(id.rawValue) FOR UPDATE", logger: logger).decode(String.self)
        {
            text = value
        }
        guard let text else {
            throw JobStoreError(code: .notFound, message: "there is no job \"\(id)\"; `callprep jobs list` shows the jobs")
        }
        guard let state = JobState(name: text) else {
            throw JobStoreError(code: .corruptRow, message: "job \"\(id)\" has the unknown state \"\(text)\"")
        }
        return state
    }

    private static func leaseMilliseconds(_ duration: Duration) throws(JobStoreError) -> Int64 {
        guard let milliseconds = StoredTime.milliseconds(duration, atMost: SQLiteJobStore.maximumLease) else {
            throw JobStoreError(code: .invalidArgument, message: "a lease must last from 1 ms to 7 days; got \(duration)")
        }
        return milliseconds
    }

    private func storeError(_ error: any Error) -> JobStoreError {
        Self.storeError(error, location: location)
    }

    private static func storeError(_ error: any Error, location: String) -> JobStoreError {
        if let error = error as? JobStoreError { return error }
        // An error thrown inside a transaction comes back wrapped, with the rollback's.
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.beginError ?? error.commitError {
            return storeError(inner, location: location)
        }
        if let error = error as? PSQLError {
            if error.code == .sslUnsupported {
                return JobStoreError(
                    code: .database,
                    message: "the PostgreSQL server \(location) does not offer TLS, but the URL asks for it (sslmode=require, verify-ca or verify-full); turn on ssl in the server's postgresql.conf, or use sslmode=prefer or disable on a network you trust")
            }
            if error.code == .failedToAddSSLHandler || error.underlying is NIOSSLError || error.underlying is BoringSSLError {
                return JobStoreError(
                    code: .database,
                    message: "the TLS connection to \(location) failed: \(error.underlying.map { "\($0)" } ?? "\(error.code)"); check sslmode and sslrootcert (verify-ca and verify-full need the server's CA)")
            }
            let detail = error.serverInfo?[.message] ?? "\(error.code)"
            if error.code == .server, error.serverInfo?[.sqlState] == "40001" || error.serverInfo?[.sqlState] == "40P01" {
                return JobStoreError(code: .database, message: "the jobs database \(location) aborted a transaction (\(detail)); try again")
            }
            return JobStoreError(code: .database, message: "the jobs database \(location): \(detail)")
        }
        if error is DecodingError || error is PostgresDecodingError {
            return JobStoreError(code: .corruptRow, message: "a row of the jobs database \(location) holds a value of the wrong type: \(error)")
        }
        return JobStoreError(code: .database, message: "the jobs database \(location): \(error)")
    }
}
