import GRDB

/// The job store's schema as versioned migrations. Each migration runs once per database, in
/// order, in its own transaction, and is recorded in `grdb_migrations`; opening a store applies
/// the ones missing. A released migration is never edited: a change is a new migration.
enum JobSchema {
    /// The migrations, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and job_steps") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 128),
                    spec TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
                    claims INTEGER NOT NULL DEFAULT 0 CHECK (claims >= 0),
                    worker_id TEXT,
                    leased_until INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    error_step TEXT,
                    error_code TEXT,
                    error_message TEXT
                );
                CREATE INDEX jobs_by_state ON jobs (state, created_at, seq);
                CREATE TABLE job_steps (
                    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    step TEXT NOT NULL CHECK (step IN ('validate', 'merge', 'upload', 'submit', 'wait', 'results')),
                    attempt INTEGER NOT NULL CHECK (attempt >= 1),
                    worker_id TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    outcome TEXT NOT NULL CHECK (outcome IN ('started', 'finished', 'failed')),
                    outputs TEXT,
                    error_code TEXT,
                    error_message TEXT,
                    PRIMARY KEY (job_id, step, attempt)
                );
                """)
        }
        migrator.registerMigration(JobSchemaV2.name) { db in
            // SQLite cannot change a CHECK constraint in place: job_steps is rebuilt with `fetch`
            // among its steps (nothing references it, so dropping the old table is safe).
            try db.execute(sql: """
                CREATE TABLE job_steps_v2 (
                    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    step TEXT NOT NULL CHECK (step IN (\(JobSchemaV2.stepNames))),
                    attempt INTEGER NOT NULL CHECK (attempt >= 1),
                    worker_id TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    outcome TEXT NOT NULL CHECK (outcome IN ('started', 'finished', 'failed')),
                    outputs TEXT,
                    error_code TEXT,
                    error_message TEXT,
                    PRIMARY KEY (job_id, step, attempt)
                );
                INSERT INTO job_steps_v2 SELECT job_id, step, attempt, worker_id, started_at, finished_at, outcome, outputs,
                    error_code, error_message FROM job_steps ORDER BY rowid;
                DROP TABLE job_steps;
                ALTER TABLE job_steps_v2 RENAME TO job_steps;
                ALTER TABLE jobs ADD COLUMN wake_key TEXT;
                ALTER TABLE jobs ADD COLUMN woken_at INTEGER;
                ALTER TABLE jobs ADD COLUMN retried_at INTEGER;
                CREATE INDEX jobs_by_wake_key ON jobs (wake_key) WHERE wake_key IS NOT NULL;
                CREATE TABLE job_gates (
                    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
                    not_before INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}

/// Schema version 2, the same on both stores: the `fetch` step (room and recording jobs), the
/// wake of a waiting job (`wake_key`: the transcript SID its wait step polls; `woken_at`: when
/// a webhook said it is final), `retried_at` (attempts are counted from the last `jobs
/// retry`), and `job_gates` (a step held back for every worker until a server's Retry-After).
enum JobSchemaV2 {
    static let name = "v2: fetch step, wake, retried_at, gates"
    /// The steps a journal row may name, as an SQL list (written out: a released migration
    /// never changes, whatever steps come later).
    static let stepNames = "'validate', 'fetch', 'merge', 'upload', 'submit', 'wait', 'results'"
}
