import CallPrepJSON
import CallPrepJobs
import Foundation
import Testing

/// `callprep jobs add/status/list/show` through the built binary, on a SQLite store in a
/// temporary folder; the journal is advanced through the library on the same file, as a worker
/// process would, and read back through the CLI.
@Suite struct JobsCommandTests {
    let folder: URL
    var database: String { folder.appendingPathComponent("jobs.sqlite").path }
    var db: [String] { ["--db", "sqlite:" + database] }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-jobs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let goodLines = (1...3).map { #"{"id": "call-\#($0)", "tracks": ["a\#($0).wav", "b\#($0).wav"], "participants": [{"channel": 1, "full_name": "Alex"}]}"# }

    @Test func addReportsEachLineAddsTheGoodOnesAndIsIdempotent() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("jobs.jsonl", [
            Self.goodLines[0], "", #"{"id": "call-x", "tracks": ["a.wav", "b.wav"], "colour": "red"}"#, Self.goodLines[1],
            #"{"id": "r1", "room": "RM0123456789abcdef"}"#, Self.goodLines[2],
        ])
        let first = try CLI.run(["jobs", "add", "--file", file] + db)
        #expect(first.status == 1)
        #expect(first.stdout == "call-1  added\ncall-2  added\ncall-3  added\n")
        #expect(first.stderr.contains(#"callprep: line 3: unknown_key "colour": there is no "colour" here"#))
        #expect(first.stderr.contains(#"callprep: line 5: invalid_value "room": "RM0123456789abcdef" is not a SID"#), "\(first.stderr)")
        #expect(first.stderr.contains("2 of 5 job lines refused"))

        let again = try CLI.run(["jobs", "add", "--file", file, "--json"] + db)
        #expect(again.status == 1)
        let reported = try #require(try again.json() as? [[String: Any]])
        #expect(reported.compactMap { $0["outcome"] as? String } == ["exists", "exists", "exists"])
        #expect(reported.compactMap { $0["line"] as? Int } == [1, 3, 4, 5, 6])
        let errors = reported.compactMap { $0["error"] as? [String: Any] }
        #expect(errors.compactMap { $0["code"] as? String } == ["unknown_key", "invalid_value"])
        #expect(errors.compactMap { $0["field"] as? String } == ["colour", "room"])

        let list = try CLI.run(["jobs", "list", "--json"] + db)
        #expect(list.status == 0)
        let jobs = try #require(try list.json() as? [[String: Any]])
        #expect(jobs.compactMap { $0["id"] as? String } == ["call-1", "call-2", "call-3"])
        #expect(jobs.compactMap { $0["state"] as? String } == ["queued", "queued", "queued"])
        let spec = try #require(jobs[0]["spec"] as? [String: Any])
        #expect(spec["tracks"] as? [String] == ["a1.wav", "b1.wav"])
    }

    @Test func addReadsStandardInputAndReplacesOnRequest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("jobs.jsonl", Self.goodLines)
        #expect(try CLI.run(["jobs", "add", "-"] + db, stdinFile: file).stdout == "call-1  added\ncall-2  added\ncall-3  added\n")
        let changed = try write("changed.jsonl", [#"{"id": "call-2", "tracks": ["new1.wav", "new2.wav"]}"#])
        let replaced = try CLI.run(["jobs", "add", "--file", "-", "--replace"] + db, stdinFile: changed)
        #expect(replaced.status == 0)
        #expect(replaced.stdout == "call-2  replaced\n")
        let shown = try CLI.run(["jobs", "show", "call-2", "--json"] + db)
        let job = try #require(try shown.json() as? [String: Any])
        #expect((job["spec"] as? [String: Any])?["tracks"] as? [String] == ["new1.wav", "new2.wav"])
    }

    @Test func anOverlongLineIsRefusedAndTheRestAdded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = #"{"id": "long", "tracks": [""# + String(repeating: "a", count: 200_000) + #"", "b"]}"#
        let file = try write("jobs.jsonl", [Self.goodLines[0], long, Self.goodLines[1]])
        let out = try CLI.run(["jobs", "add", "--file", file] + db)
        #expect(out.status == 1)
        #expect(out.stdout == "call-1  added\ncall-2  added\n")
        #expect(out.stderr.contains("line 2: invalid_json: the line has 200035 bytes, more than the 65536 a job line may have"))
    }

    @Test func statusListAndShowFollowTheJournal() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("jobs.jsonl", Self.goodLines)
        #expect(try CLI.run(["jobs", "add", "--file", file] + db).status == 0)

        // A worker (here: the library on the same file) runs call-1 to the end and fails call-2.
        let store = try SQLiteJobStore(path: database)
        let first = try #require(try await store.claim(workerID: "worker-7", leaseDuration: .seconds(60)))
        let validate = try await store.startStep(.validate, lease: first)
        _ = try await store.finishStep(validate, outputs: .object(["frames": .int(32_000), "sha256": .string("ab")]), lease: first)
        try await store.complete(first)
        let second = try #require(try await store.claim(workerID: "worker-7", leaseDuration: .seconds(60)))
        let merge = try await store.startStep(.merge, lease: second)
        _ = try await store.failStep(merge, code: "file_not_found", message: "a2.wav: no such file", lease: second)
        try await store.fail(second, failure: JobFailure(step: .merge, code: "file_not_found", message: "a2.wav: no such file"))

        let status = try CLI.run(["jobs", "status", "--json"] + db)
        #expect(status.status == 0)
        let summary = try #require(try status.json() as? [String: Any])
        #expect(summary["counts"] as? [String: Int] == ["queued": 1, "running": 0, "done": 1, "failed": 1, "cancelled": 0])
        #expect(summary["total"] as? Int == 3)
        #expect(summary["done_last_hour"] as? Int == 1)
        let text = try CLI.run(["jobs", "status"] + db)
        #expect(text.stdout.hasPrefix("STATE      JOBS\nqueued     1\nrunning    0\ndone       1\nfailed     1\ncancelled  0\ntotal      3\noldest queued: "))
        #expect(text.stdout.hasSuffix("done in the last hour: 1\n"))

        let failed = try CLI.run(["jobs", "list", "--state", "failed"] + db)
        #expect(failed.stdout.split(separator: "\n").count == 2)
        #expect(failed.stdout.contains("call-2  failed  1"))
        #expect(failed.stdout.hasSuffix("merge: file_not_found\n"))

        let shown = try CLI.run(["jobs", "show", "call-1", "--json"] + db)
        #expect(shown.status == 0)
        let job = try #require(try shown.json() as? [String: Any])
        #expect(job["state"] as? String == "done")
        #expect(job["claims"] as? Int == 1)
        let steps = try #require(job["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        #expect(steps[0]["step"] as? String == "validate")
        #expect(steps[0]["attempt"] as? Int == 1)
        #expect(steps[0]["worker_id"] as? String == "worker-7")
        #expect(steps[0]["outcome"] as? String == "finished")
        let outputs = try #require(steps[0]["outputs"] as? [String: Any])
        #expect(outputs.keys.sorted() == ["frames", "sha256"])
        #expect(outputs["frames"] as? Int == 32_000)
        #expect(outputs["sha256"] as? String == "ab")
        let failedText = try CLI.run(["jobs", "show", "call-2"] + db)
        #expect(failedText.stdout.contains("  error:        merge file_not_found: a2.wav: no such file\n"))
        #expect(failedText.stdout.contains("file_not_found: a2.wav: no such file"))
    }

    @Test func theStoreComesFromTheEnvironmentUnlessNamed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("jobs.jsonl", [Self.goodLines[0]])
        var environment = ProcessInfo.processInfo.environment
        environment["CALLPREP_DB"] = "sqlite:" + database
        #expect(try CLI.run(["jobs", "add", "--file", file], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: database))
        let other = folder.appendingPathComponent("other.sqlite").path
        let named = try CLI.run(["jobs", "status", "--json", "--db", "sqlite:" + other], environment: environment)
        #expect(named.status == 1)
        #expect(try (named.json() as? [String: Any])?["error"] as? [String: String] == [
            "code": "not_found",
            "message": "there is no job store at \(other); add jobs first (callprep jobs add --file jobs.jsonl), or name the store with --db sqlite:PATH",
        ])
        // Reading commands do not create a store.
        #expect(!FileManager.default.fileExists(atPath: other))
        let fromEnvironment = try CLI.run(["jobs", "list"], environment: environment)
        #expect(fromEnvironment.stdout.contains("call-1  queued"))
    }

    @Test func refusals() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLI.run(["jobs", "list", "--db", "jobs.sqlite"]).status == 2)
        #expect(try CLI.run(["jobs", "list", "--state", "paused"] + db).status == 2)
        #expect(try CLI.run(["jobs", "show", "bad/id"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add"] + db).status == 2)
        #expect(try CLI.run(["jobs", "add", "jobs.jsonl"] + db).status == 2)
        // A PostgreSQL URL is tried (nothing listens on port 1) and the failure names it without its password.
        let postgres = try CLI.run(["jobs", "status", "--db", "postgres://user:hunter2@127.0.0.1:1/jobs?sslmode=disable"], timeout: .seconds(60))
        #expect(postgres.status == 1)
        #expect(postgres.stderr.hasPrefix("callprep: database_error: the jobs database postgres://user@127.0.0.1:1/jobs: "), "\(postgres.stderr)")
        #expect(!postgres.stderr.contains("hunter2"))
        #expect(try CLI.run(["jobs", "status", "--db", "postgres://127.0.0.1/jobs"]).status == 2, "no user")
        let missing = folder.appendingPathComponent("missing.jsonl").path
        let noFile = try CLI.run(["jobs", "add", "--file", missing, "--json"] + db)
        #expect(noFile.status == 1)
        #expect(try (noFile.json() as? [String: Any])?["error"] as? [String: String] == [
            "code": "file_not_found", "message": "\(missing): no such file; check the path", "path": missing,
        ])
        let notADatabase = try write("text.sqlite", [String(repeating: "not a database ", count: 300)])
        let damaged = try CLI.run(["jobs", "status", "--db", "sqlite:" + notADatabase])
        #expect(damaged.status == 1)
        #expect(damaged.stderr.hasPrefix("callprep: database_error: could not open the jobs database \(notADatabase):"))
    }
}
