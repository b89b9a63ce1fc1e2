/// The job store's schema on PostgreSQL: the same tables, columns, checks and migration names
/// as SQLite's (``JobSchema``), with BIGINT for integers and BIGSERIAL for the insertion order.
/// Applied migrations are recorded in `callprep_migrations`; a released one is never edited.
enum PostgresJobSchema {
    /// The migrations, oldest first: a name and its statements (one per query: the extended
    /// protocol runs one statement at a time).
    static let migrations: [(name: String, statements: [String])] = [
        ("v1: jobs and job_steps", [
            """
            CREATE TABLE jobs (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 128),
                spec TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
                claims BIGINT NOT NULL DEFAULT 0 CHECK (claims >= 0),
                worker_id TEXT,
                leased_until BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                finished_at BIGINT,
                error_step TEXT,
                error_code TEXT,
                error_message TEXT
            )
            """,
            "CREATE INDEX jobs_by_state ON jobs (state, created_at, seq)",
            """
            CREATE TABLE job_steps (
                job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                step TEXT NOT NULL CHECK (step IN ('validate', 'merge', 'upload', 'submit', 'wait', 'results')),
                attempt BIGINT NOT NULL CHECK (attempt >= 1),
                worker_id TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                outcome TEXT NOT NULL CHECK (outcome IN ('started', 'finished', 'failed')),
                outputs TEXT,
                error_code TEXT,
                error_message TEXT,
                PRIMARY KEY (job_id, step, attempt)
            )
            """,
        ]),
        (JobSchemaV2.name, [
            "ALTER TABLE job_steps DROP CONSTRAINT job_steps_step_check",
            "ALTER TABLE job_steps ADD CONSTRAINT job_steps_step_check CHECK (step IN (\(JobSchemaV2.stepNames)))",
            "ALTER TABLE jobs ADD COLUMN wake_key TEXT",
            "ALTER TABLE jobs ADD COLUMN woken_at BIGINT",
            "ALTER TABLE jobs ADD COLUMN retried_at BIGINT",
            "CREATE INDEX jobs_by_wake_key ON jobs (wake_key) WHERE wake_key IS NOT NULL",
            "CREATE TABLE job_gates (name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64), not_before BIGINT NOT NULL)",
        ]),
    ]

    /// The key of the advisory lock that serializes migrations between processes.
    static let migrationLock: Int64 = 0x6361_6C6C_7072_6570  // "callprep"
}
