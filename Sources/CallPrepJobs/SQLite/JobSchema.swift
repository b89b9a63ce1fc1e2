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
        return migrator
    }
}
