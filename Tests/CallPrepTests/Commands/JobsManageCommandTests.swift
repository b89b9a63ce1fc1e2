import CallPrepJobs
import Foundation
import Testing

/// `jobs add --id`, `jobs retry`, `jobs cancel` and `jobs migrate` through the built binary, on a
/// SQLite store in a temporary folder; failures are made through the library on the same file.
@Suite final class JobsManageCommandTests {
    let folder: URL
    var database: String { folder.appendingPathComponent("jobs.sqlite").path }
    var db: [String] { ["--db", "sqlite:" + database] }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-jobs-manage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static let service = "GA" + String(repeating: "b", count: 32)

    @Test func addOneJobFromFlags() throws {
        let added = try CLI.run(["jobs", "add", "--id", "call-9", "agent.wav", "customer.mp3",
                                 "--participant", "1:role=Agent,full_name=Smith\\, Alex", "--participant", "2:full_name=Bo",
                                 "--sample-rate", "8k", "--align", "end", "--service", Self.service,
                                 "--upload", "s3://calls/2026/", "--media-start-time", "2026-12-05T09:30:00Z"] + db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "call-9  added\n")
        let again = try CLI.run(["jobs", "add", "--id", "call-9", "agent.wav", "customer.mp3", "--json"] + db)
        #expect(again.stdout == #"{"id": "call-9", "outcome": "exists"}"# + "\n" || (try? again.json() as? [String: String]) == ["id": "call-9", "outcome": "exists"], "\(again.stdout)")
        let shown = try CLI.run(["jobs", "show", "call-9", "--json"] + db)
        let spec = try #require((try shown.json() as? [String: Any])?["spec"] as? [String: Any])
        #expect(spec["tracks"] as? [String] == ["agent.wav", "customer.mp3"])
        let participants = try #require(spec["participants"] as? [[String: Any]])
        #expect(participants.count == 2)
        #expect(participants[0]["channel"] as? Int == 1 && participants[0]["full_name"] as? String == "Smith, Alex" && participants[0]["role"] as? String == "Agent")
        #expect(participants[1]["channel"] as? Int == 2 && participants[1]["full_name"] as? String == "Bo")
        let merge = try #require(spec["merge"] as? [String: Any])
        #expect(merge["sample_rate"] as? Int == 8000 && merge["align"] as? String == "end" && merge.count == 2)
        #expect(spec["service"] as? String == Self.service)
        #expect(spec["upload"] as? String == "s3://calls/2026/")
        #expect(spec["media_start_time"] as? String == "2026-12-05T09:30:00Z")

        // The job line's rules apply: a bad value is refused by key (status 1).
        let badUpload = try CLI.run(["jobs", "add", "--id", "call-10", "a.wav", "b.wav", "--upload", "https://calls/", "--json"] + db)
        #expect(badUpload.status == 1)
        let error = try #require((try badUpload.json() as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_value")
        #expect(error["field"] as? String == "upload")
        // Usage errors (status 2).
        #expect(try CLI.run(["jobs", "add", "--id", "call-11", "a.wav"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "bad/id", "a.wav", "b.wav"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "-", "--service", Self.service] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "call-12", "a.wav", "b.wav", "--sample-rate", "fast"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "call-13", "a.wav", "b.wav", "--participant", "3:role=Agent"] + db).status == 2)
        #expect(try CLI.run(["jobs", "list", "--json"] + db).json() as? [[String: Any]] != nil)
        #expect(try (CLI.run(["jobs", "list", "--json"] + db).json() as? [[String: Any]])?.count == 1)
    }

    @Test func addRoomAndRecordingJobsFromFlags() throws {
        let room = "RM" + String(repeating: "1", count: 32), recording = "RE" + String(repeating: "e", count: 32)
        let added = try CLI.run(["jobs", "add", "--id", "room-1", "--room", room, "--channel", "1=agent", "--channel", "2=alice, bob",
                                 "--participant", "1:role=Agent"] + db)
        #expect(added.status == 0, "\(added.stderr)")
        let shown = try CLI.run(["jobs", "show", "room-1", "--json"] + db)
        let spec = try #require((try shown.json() as? [String: Any])?["spec"] as? [String: Any])
        #expect(spec["room"] as? String == room && spec["tracks"] == nil)
        #expect(spec["channels"] as? [String: [String]] == ["1": ["agent"], "2": ["alice", "bob"]])
        #expect(try CLI.run(["jobs", "add", "--id", "voice-1", "--recording", recording] + db).status == 0)
        let voice = try #require((try CLI.run(["jobs", "show", "voice-1", "--json"] + db).json() as? [String: Any])?["spec"] as? [String: Any])
        #expect(voice["recording"] as? String == recording)
        // Usage errors (status 2): tracks with a room, --channel without one, a bad --channel.
        #expect(try CLI.run(["jobs", "add", "--id", "x1", "a.wav", "b.wav", "--room", room] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "x2", "a.wav", "b.wav", "--channel", "1=agent"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "x3", "--room", room, "--channel", "3=agent"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "--id", "x4", "--room", room, "--recording", recording] + db).status == 2)
        // A malformed SID is the job line's refusal (status 1, by key).
        let bad = try CLI.run(["jobs", "add", "--id", "x5", "--room", "RM12", "--json"] + db)
        #expect(bad.status == 1)
        #expect(((try bad.json() as? [String: Any])?["error"] as? [String: Any])?["field"] as? String == "room")
    }

    @Test func retryAndCancel() async throws {
        for id in ["a", "b", "c"] {
            #expect(try CLI.run(["jobs", "add", "--id", id, "x.wav", "y.wav"] + db).status == 0)
        }
        let store = try SQLiteJobStore(path: database)
        // A worker fails a and b.
        for _ in 0..<2 {
            let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(60)))
            let run = try await store.startStep(.validate, lease: lease)
            _ = try await store.failStep(run, code: "file_not_found", message: "x.wav: no such file", lease: lease)
            try await store.fail(lease, failure: JobFailure(step: .validate, code: "file_not_found", message: "x.wav: no such file"))
        }
        let queuedRetry = try CLI.run(["jobs", "retry", "c"] + db)
        #expect(queuedRetry.status == 1)
        #expect(queuedRetry.stderr.contains("invalid_state: job \"c\" is queued; only failed or cancelled jobs can be retried"), "\(queuedRetry.stderr)")
        let one = try CLI.run(["jobs", "retry", "a"] + db)
        #expect(one.status == 0 && one.stdout == "a  queued\n")
        #expect(try await store.show(JobID("a"))?.job.state == .queued)
        #expect(try await store.show(JobID("a"))?.steps.count == 1, "the journal is kept")

        let cancelled = try CLI.run(["jobs", "cancel", "c", "--json"] + db)
        #expect(cancelled.status == 0)
        #expect(try cancelled.json() as? [String: String] == ["id": "c", "state": "cancelled"])
        #expect(try await store.show(JobID("c"))?.job.state == .cancelled)
        // --failed takes every failed job (b), not the cancelled one.
        let all = try CLI.run(["jobs", "retry", "--failed"] + db)
        #expect(all.status == 0 && all.stdout == "b  queued\n", "\(all.stdout)")
        #expect(try CLI.run(["jobs", "retry", "c"] + db).stdout == "c  queued\n")
        #expect(try await store.status().counts[.queued] == 3)

        let lease = try #require(try await store.claim(workerID: "w", leaseDuration: .seconds(60)))
        try await store.complete(lease)
        let doneCancel = try CLI.run(["jobs", "cancel", lease.jobID.rawValue] + db)
        #expect(doneCancel.status == 1)
        #expect(doneCancel.stderr.contains("is done; there is nothing to cancel"))
        #expect(try CLI.run(["jobs", "cancel", "nobody"] + db).status == 1)
        #expect(try CLI.run(["jobs", "retry"] + db).status == 2)
        #expect(try CLI.run(["jobs", "retry", "a", "--failed"] + db).status == 2)
    }

    /// `show` and `cancel` check the id while parsing (JobIDArgument): a usage error naming the
    /// bad character, before any store is opened or created.
    @Test(arguments: ["show", "cancel"]) func aBadJobIDIsAUsageError(command: String) throws {
        let run = try CLI.run(["jobs", command, "bad id!"] + db)
        #expect(run.status == 2)
        #expect(run.stderr.contains("the job id \"bad id!\" contains U+0020"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    /// `sslrootcert` with an `sslmode` that does not verify (none, `prefer`, `require`) would be
    /// ignored, as libpq ignores it for `require`: a usage error naming both modes that use it,
    /// before anything connects (nothing listens on port 1).
    @Test(arguments: ["", "sslmode=prefer&", "sslmode=require&", "sslmode=disable&"])
    func aRootCertificateWithoutVerificationIsAUsageError(mode: String) throws {
        let url = "postgres://callprep:hunter2@127.0.0.1:1/jobs?\(mode)sslrootcert=/etc/ssl/certs/ca.pem"
        let run = try CLI.run(["jobs", "status", "--db", url], timeout: .seconds(60))
        #expect(run.status == 2)
        #expect(run.stderr.contains("sslrootcert is used by sslmode=verify-ca or verify-full only"), "\(run.stderr)")
        #expect(!run.stderr.contains("hunter2"))
        // The same through $CALLPREP_DB.
        var environment = ProcessInfo.processInfo.environment
        environment["CALLPREP_DB"] = url
        let fromEnvironment = try CLI.run(["jobs", "list"], environment: environment, timeout: .seconds(60))
        #expect(fromEnvironment.status == 2)
        #expect(fromEnvironment.stderr.contains("verify-ca or verify-full"), "\(fromEnvironment.stderr)")
    }

    /// `--max-in-flight-submits` outside 1…64 is a usage error naming the range; no store is
    /// opened or created.
    @Test(arguments: ["0", "65"]) func maxInFlightSubmitsOutOfRangeIsAUsageError(value: String) throws {
        let run = try CLI.run(["jobs", "run", "--max-in-flight-submits", value] + db)
        #expect(run.status == 2)
        #expect(run.stderr.contains("--max-in-flight-submits must be 1 to 64; got \(value)."), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    /// `--workers` is shared by `jobs run` (1…64) and `serve` (0…64: 0 is a front door only);
    /// each out-of-range value is a usage error naming that command's range, and no store is
    /// created.
    @Test(arguments: [(["jobs", "run"], "0", "--workers must be 1 to 64; got 0."),
                      (["jobs", "run"], "65", "--workers must be 0 to 64 (1 to 64 for jobs run); got 65."),
                      (["serve", "--public-url", "https://prep.example.com"], "65", "--workers must be 0 to 64 (1 to 64 for jobs run); got 65."),
                      (["serve", "--public-url", "https://prep.example.com"], "-1", "--workers must be 0 to 64 (1 to 64 for jobs run); got -1.")])
    func workersOutOfRangeIsAUsageError(command: [String], value: String, message: String) throws {
        let run = try CLI.run(command + ["--workers=\(value)"] + db)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func migrateCreatesTheStoreAndSaysWhatItHas() throws {
        let first = try CLI.run(["jobs", "migrate"] + db)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "\(database): schema up to date (v1: jobs and job_steps, v2: fetch step, wake, retried_at, gates)\n")
        let again = try CLI.run(["jobs", "migrate", "--json"] + db)
        let document = try #require(try again.json() as? [String: Any])
        #expect(document["store"] as? String == database)
        #expect(document["migrations"] as? [String] == ["v1: jobs and job_steps", "v2: fetch step, wake, retried_at, gates"])
        #expect(try CLI.run(["jobs", "status", "--json"] + db).status == 0)
    }
}
