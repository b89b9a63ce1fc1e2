import AudioPrep
import CallPrepJobs
import Foundation
import PostgresTestServer
import Testing
@testable import TwilioTestServer

/// Not tests of correctness but the measurements of scripts/bench-jobs.sh (which makes the
/// inputs in `CALLPREP_BENCH_JOBS` and names the release binary in `CALLPREP_BENCH_BINARY`;
/// reported as skipped otherwise). Results go to `$CALLPREP_BENCH_JOBS/*.txt` (and stdout).
/// - `jobsAgainstALoop…`: 200 jobs of two 2-second tracks, merged, uploaded to moto, submitted
///   to the strict Intelligence server, waited for and their sentences fetched — by `jobs add` +
///   `jobs run --until-done` (one worker, then two), against a bash loop of single commands
///   (`merge`, `submit --upload --wait`, `transcripts sentences`) doing the same for each call.
///   The server completes a transcript at its first poll, on both sides, so neither waits out a
///   poll interval.
/// - `twoWorkersAgainstOne`: 8 jobs of two 60-minute tracks (`media_url` on the test server, so
///   the merge is the only heavy step), `--workers 1` against `--workers 2`; and one
///   `callprep merge` of the same pair under `/usr/bin/time -v` for its CPU use.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CALLPREP_BENCH_JOBS"] != nil, "a benchmark: run scripts/bench-jobs.sh"))
struct JobsBenchmarkTests {
    static var work: String { ProcessInfo.processInfo.environment["CALLPREP_BENCH_JOBS"] ?? "" }
    static var binary: String { ProcessInfo.processInfo.environment["CALLPREP_BENCH_BINARY"] ?? CLI.binary.path }

    /// Runs `executable arguments` to its end, output to files in `folder`; the wall time in
    /// seconds and the exit status.
    @discardableResult
    static func timed(_ executable: String, _ arguments: [String], environment: [String: String], log: String,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: log + ".err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log + ".err"))
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        let stderr = (try? String(contentsOfFile: log + ".err", encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(arguments.prefix(3)): \(stderr.suffix(2000))", sourceLocation: sourceLocation)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func fresh(_ folder: String) throws -> String {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func uptime() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static let calls = 200

    static func id(_ number: Int) -> String { String(format: "call-%05d", number) }

    /// The bash loop of single commands: for each call, merge with the job's names, submit with
    /// upload and wait, and fetch the sentences.
    static let loop = """
        set -euo pipefail
        bin="$1"; agent="$2"; customer="$3"; out="$4"; calls="$5"; service="$6"
        for n in $(seq 1 "$calls"); do
          id=$(printf 'call-%05d' "$n")
          "$bin" merge "$agent" "$customer" -o "$out/$id.flac" --quiet \\
            --participant "1:role=Agent,full_name=Agent $id" --participant "2:role=Customer,full_name=Customer $id"
          sid=$("$bin" submit --manifest "$out/$id.manifest.json" --upload s3://calls/hand/ --service "$service" \\
            --customer-key "hand-$id" --allow-http --wait | awk 'NR == 1 { print $1 }')
          "$bin" transcripts sentences "$sid" --format json > "$out/$id.sentences.json"
        done

        """

    /// Fresh test servers for one measured run: submit looks for an earlier transcript with
    /// its CustomerKey by listing the service's transcripts, so a server still holding the
    /// previous run's transcripts would make every later run's submits slower.
    struct Servers {
        let moto: MotoServer
        let server: StrictTwilioServer
        let scratch: ScratchFolder
        var environment: [String: String] { SubmitUploadCommandTests.environment(moto, server, home: scratch.path) }

        static func start() async throws -> Servers {
            let servers = Servers(moto: try await MotoServer(buckets: ["calls"]), server: try await StrictTwilioServer.start(), scratch: try ScratchFolder())
            servers.server.state.configure { $0.pollsToComplete = 1 }
            return servers
        }

        func stop() async {
            try? await server.stop()
            moto.stop()
        }
    }

    func jobsAgainstALoop(postgres: Bool) async throws {
        let agent = Self.work + "/agent-2s.wav", customer = Self.work + "/customer-2s.wav"
        let cluster = postgres ? try PostgresServer(durable: true) : nil
        let kind = postgres ? "postgres" : "sqlite"
        let load = Self.uptime()

        // By hand.
        let handServers = try await Servers.start()
        let hand = try Self.fresh(Self.work + "/loop-hand")
        let script = hand + "/loop.sh"
        try Self.loop.write(toFile: script, atomically: true, encoding: .utf8)
        let loopSeconds = try Self.timed("/bin/bash", [script, Self.binary, agent, customer, hand, String(Self.calls), StrictTwilioServer.serviceSID],
                                         environment: handServers.environment, log: hand + "/loop")
        #expect(handServers.server.state.allTranscripts.count == Self.calls)
        await handServers.stop()

        // Jobs: add + run, with one worker and then with two (fresh servers, store and folder each).
        var jobsSeconds: [Int: Double] = [:], addSeconds: [Int: Double] = [:]
        for workers in [1, 2] {
            let servers = try await Servers.start()
            let environment = servers.environment
            let folder = try Self.fresh(Self.work + "/loop-jobs-\(workers)")
            let db: String
            if let cluster {
                let name = "bench_\(workers)"
                try PostgresServer.run(PostgresServer.binaries + "/psql", [
                    "-h", "127.0.0.1", "-p", String(cluster.port), "-U", PostgresServer.user, "-d", "postgres", "-c", "CREATE DATABASE \(name)",
                ])
                db = cluster.url(database: name)
            } else {
                db = "sqlite:" + folder + "/jobs.sqlite"
            }
            let lines = (1...Self.calls).map { number in
                let id = Self.id(number)
                return #"{"id": "\#(id)", "tracks": ["\#(agent)", "\#(customer)"], "participants": [{"channel": 1, "role": "Agent", "full_name": "Agent \#(id)"}, {"channel": 2, "role": "Customer", "full_name": "Customer \#(id)"}], "upload": "s3://calls/jobs/"}"#
            }
            let file = folder + "/jobs.jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let add = try Self.timed(Self.binary, ["jobs", "add", "--file", file, "--db", db], environment: environment, log: folder + "/add")
            let run = try Self.timed(Self.binary, ["jobs", "run", "--until-done", "--workers", String(workers), "--out", folder + "/out", "--allow-http",
                                                   "--service", StrictTwilioServer.serviceSID, "--db", db],
                                     environment: environment, log: folder + "/run")
            jobsSeconds[workers] = add + run
            addSeconds[workers] = add
            #expect(servers.server.state.allTranscripts.count == Self.calls)
            let summary = (try? String(contentsOfFile: folder + "/run.out", encoding: .utf8)) ?? ""
            #expect(summary.hasPrefix("done \(Self.calls), failed 0"), "\(summary)")
            #expect(FileManager.default.fileExists(atPath: folder + "/out/\(Self.id(Self.calls))/transcript.json"))
            await servers.stop()
        }
        let one = try #require(jobsSeconds[1]), two = try #require(jobsSeconds[2])
        let result = """
            \(kind): \(Self.calls) jobs of two 2-s WAV tracks (merge, upload to moto, submit, wait, sentences); load before: \(load), after: \(Self.uptime())
              bash loop of single commands: \(String(format: "%.2f", loopSeconds)) s
              jobs add + run --workers 1: \(String(format: "%.2f", one)) s (add \(String(format: "%.2f", addSeconds[1] ?? .nan)) s), ratio to the loop \(String(format: "%.3f", one / loopSeconds))
              jobs add + run --workers 2: \(String(format: "%.2f", two)) s (add \(String(format: "%.2f", addSeconds[2] ?? .nan)) s), ratio to the loop \(String(format: "%.3f", two / loopSeconds))

            """
        print(result, terminator: "")
        try Data(result.utf8).write(to: URL(fileURLWithPath: Self.work + "/loop-\(kind).txt"))
    }

    @Test func jobsAgainstALoopOnSQLite() async throws { try await jobsAgainstALoop(postgres: false) }

    @Test func jobsAgainstALoopOnPostgreSQL() async throws { try await jobsAgainstALoop(postgres: true) }

    @Test func twoWorkersAgainstOne() async throws {
        let agent = Self.work + "/agent-60m.wav", customer = Self.work + "/customer-60m.wav"
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        server.state.configure { $0.pollsToComplete = 1 }
        let environment = IntelligenceCLITests.environment(server)
        let load = Self.uptime()

        // One merge under /usr/bin/time -v: its CPU use, and the size the media URL must report.
        let single = try Self.fresh(Self.work + "/workers-single")
        try Self.timed("/usr/bin/time", ["-v", Self.binary, "merge", agent, customer, "-o", single + "/merged.flac", "--quiet"],
                       environment: environment, log: single + "/merge")
        let timeReport = try String(contentsOfFile: single + "/merge.err", encoding: .utf8)
        func field(_ name: String) -> String? {
            timeReport.split(separator: "\n").first { $0.contains(name) }.map { String($0.split(separator: ": ").last ?? "") }
        }
        let user = Double(field("User time (seconds)") ?? "") ?? .nan, system = Double(field("System time (seconds)") ?? "") ?? .nan
        let wallParts = (field("Elapsed (wall clock) time") ?? "").split(separator: ":").compactMap { Double($0) }
        let wall = wallParts.reduce(0) { $0 * 60 + $1 }
        let size = Int(try FileDigest.size(path: single + "/merged.flac"))
        server.state.configure { $0.mediaSizeBytes = size }

        let jobs = 8
        var seconds: [Int: Double] = [:]
        for workers in [1, 2] {
            let folder = try Self.fresh(Self.work + "/workers-\(workers)")
            let db = "sqlite:" + folder + "/jobs.sqlite"
            let lines = (1...jobs).map { number in
                #"{"id": "long-\#(number)", "tracks": ["\#(agent)", "\#(customer)"], "media_url": "\#(server.baseURL)/media/long-\#(number).flac"}"#
            }
            let file = folder + "/jobs.jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            try Self.timed(Self.binary, ["jobs", "add", "--file", file, "--db", db], environment: environment, log: folder + "/add")
            seconds[workers] = try Self.timed(
                Self.binary, ["jobs", "run", "--until-done", "--workers", String(workers), "--out", folder + "/out", "--allow-http",
                              "--service", StrictTwilioServer.serviceSID, "--db", db], environment: environment, log: folder + "/run")
            let summary = (try? String(contentsOfFile: folder + "/run.out", encoding: .utf8)) ?? ""
            #expect(summary.hasPrefix("done \(jobs), failed 0"), "\(summary)")
            try? FileManager.default.removeItem(atPath: folder + "/out")
        }
        let one = try #require(seconds[1]), two = try #require(seconds[2])
        let result = """
            \(jobs) jobs of two 60-minute WAV tracks (merge to 16 kHz FLAC, \(size) bytes each; submit of a media_url, wait, results); load before: \(load), after: \(Self.uptime())
              one callprep merge: wall \(String(format: "%.2f", wall)) s, user \(String(format: "%.2f", user)) s + sys \(String(format: "%.2f", system)) s = \(String(format: "%.2f", (user + system) / wall)) cores
              jobs run --workers 1: \(String(format: "%.2f", one)) s (\(String(format: "%.3f", Double(jobs) / one)) jobs/s)
              jobs run --workers 2: \(String(format: "%.2f", two)) s (\(String(format: "%.3f", Double(jobs) / two)) jobs/s), throughput ×\(String(format: "%.2f", one / two))

            """
        print(result, terminator: "")
        try Data(result.utf8).write(to: URL(fileURLWithPath: Self.work + "/workers.txt"))
    }
}
