import CallPrepJSON
import Foundation
import PostgresTestServer
import Testing
@testable import CallPrepJobs

/// Not a test of correctness but the store measurements of scripts/bench-jobs.sh (which sets
/// `CALLPREP_BENCH_JOBS` to its work folder; reported as skipped otherwise):
/// - the store time per job: 200 jobs run by ``JobRunner`` (one worker) with steps that do
///   nothing, every store call timed (``TimedJobStore``) and added up per job;
/// - claims per second: 1000 no-op jobs claimed and completed by N = 1, 2, 4, 8 workers, each
///   with its own store (as N processes or machines would have).
/// Each on SQLite (a file in the work folder, WAL, `synchronous = FULL`) and on PostgreSQL (a
/// throwaway cluster with `fsync = on`, and for comparison one with `fsync = off` as the tests
/// run it). The figures go to `$CALLPREP_BENCH_JOBS/store-*.txt` (and stdout).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CALLPREP_BENCH_JOBS"] != nil, "a benchmark: run scripts/bench-jobs.sh"))
struct JobStoreBenchmarkTests {
    /// The steps of a tracks job with an upload, each finished at once with a small output.
    struct NoOpSteps: JobStepPerformer {
        func steps(for job: JobRecord) -> [JobStep] { [.validate, .merge, .upload, .submit, .wait, .results] }
        func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool { true }
        func perform(
            _ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext
        ) async throws(JobStepFailure) -> JSONValue {
            .object(["path": .string("out/\(job.id.rawValue)/\(job.id.rawValue).flac"), "size": .int(64_000),
                     "sha256": .string(String(repeating: "ab", count: 32))])
        }
    }

    enum Backend: String, CaseIterable {
        case sqlite
        case postgres = "postgres (fsync on)"
        case postgresNoFsync = "postgres (fsync off)"
    }

    static var work: String { ProcessInfo.processInfo.environment["CALLPREP_BENCH_JOBS"] ?? "" }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    static func ms(_ value: Double) -> String { String(format: "%.2f", value * 1000) }

    static func job(_ number: Int) throws -> JobSpec {
        var spec = JobSpec(id: try JobID(String(format: "call-%05d", number)), source: .tracks(["agent.wav", "customer.wav"]))
        spec.upload = "s3://calls/bench/"
        return spec
    }

    /// The stores of one measurement: a fresh SQLite file, or a fresh database on the cluster.
    final class Place: @unchecked Sendable {
        let backend: Backend
        let server: PostgresServer?
        let folder: String
        private var databases = 0

        init(_ backend: Backend) throws {
            self.backend = backend
            folder = JobStoreBenchmarkTests.work + "/store-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            switch backend {
            case .sqlite: server = nil
            case .postgres: server = try PostgresServer(durable: true)
            case .postgresNoFsync: server = try PostgresServer(durable: false)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        /// A new, empty database; `open` opens a store on it (call it once per worker).
        func fresh() throws -> @Sendable () async throws -> any JobStore {
            databases += 1
            if let server {
                let name = "bench_\(databases)"
                try PostgresServer.run(PostgresServer.binaries + "/psql", [
                    "-h", "127.0.0.1", "-p", String(server.port), "-U", PostgresServer.user, "-d", "postgres", "-c", "CREATE DATABASE \(name)",
                ])
                let url = server.url(database: name)
                return { try await PostgresJobStore(url: url) }
            }
            let path = folder + "/jobs-\(databases).sqlite"
            return { try SQLiteJobStore(path: path) }
        }
    }

    @Test func storeTimePerJob() async throws {
        var report = "store time per job: 200 jobs, one worker (JobRunner), six no-op steps each; every store call timed\n"
        for backend in Backend.allCases {
            let place = try Place(backend)
            let open = try place.fresh()
            let store = TimedJobStore(try await open())
            for number in 1...200 { #expect(try await store.add(try Self.job(number), replace: false) == .added) }
            let runner = JobRunner(store: store, performer: NoOpSteps(), settings: JobRunnerSettings(workers: 1, lease: .seconds(60)))
            let started = ContinuousClock.now
            let summary = try await runner.run()
            let wall = Self.seconds(ContinuousClock.now - started)
            #expect(summary.done == 200 && summary.failed == 0)
            let calls = store.calls
            let perJob = Dictionary(grouping: calls.filter { $0.job != nil }, by: { $0.job! }).mapValues { $0.reduce(0) { $0 + $1.seconds } }
            #expect(perJob.count == 200)
            let jobs = Array(perJob.values)
            report += "\(backend.rawValue): per job median \(Self.ms(Self.percentile(jobs, 0.5))) ms, "
                + "p10 \(Self.ms(Self.percentile(jobs, 0.1))) ms, p90 \(Self.ms(Self.percentile(jobs, 0.9))) ms "
                + "(run of the 200 jobs without the adds: \(String(format: "%.2f", wall)) s)\n"
            var byName: [String: [Double]] = [:]
            for call in calls { byName[call.name, default: []].append(call.seconds) }
            let counts = byName.keys.sorted().map { name in
                "\(name) ×\(Double(byName[name]!.count) / 200) \(Self.ms(Self.percentile(byName[name]!, 0.5)))"
            }
            report += "  calls per job and median ms: " + counts.joined(separator: ", ") + "\n"
            await store.shutdown()
        }
        print(report, terminator: "")
        try Data(report.utf8).write(to: URL(fileURLWithPath: Self.work + "/store-overhead.txt"))
    }

    @Test func claimsPerSecond() async throws {
        let jobs = 1000
        var report = "claims per second: \(jobs) no-op jobs, each claimed and completed (two transactions); N workers, each with its own store\n"
        for backend in Backend.allCases {
            let place = try Place(backend)
            var line = "\(backend.rawValue):"
            for workers in [1, 2, 4, 8] {
                let open = try place.fresh()
                let loader = try await open()
                for number in 1...jobs { _ = try await loader.add(try Self.job(number), replace: false) }
                var stores: [any JobStore] = []
                for _ in 0..<workers { stores.append(try await open()) }
                let started = ContinuousClock.now
                let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, store) in stores.enumerated() {
                        group.addTask {
                            var count = 0
                            while let lease = try await store.claim(workerID: "worker-\(index)", leaseDuration: .seconds(300)) {
                                try await store.complete(lease)
                                count += 1
                            }
                            return count
                        }
                    }
                    var total = 0
                    for try await count in group { total += count }
                    return total
                }
                let elapsed = Self.seconds(ContinuousClock.now - started)
                #expect(claimed == jobs)
                #expect(try await loader.status().counts[.done] == jobs)
                line += " N=\(workers) \(String(format: "%.0f", Double(jobs) / elapsed))/s (\(String(format: "%.2f", elapsed)) s);"
                for store in stores { await store.shutdown() }
                await loader.shutdown()
            }
            report += line + "\n"
        }
        print(report, terminator: "")
        try Data(report.utf8).write(to: URL(fileURLWithPath: Self.work + "/store-claims.txt"))
    }
}
