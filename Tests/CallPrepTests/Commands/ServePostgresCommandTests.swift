import CallPrepJobs
import Foundation
import PostgresTestServer
import Testing
@testable import TwilioTestServer
#if canImport(Glibc)
import Glibc
#endif

/// `callprep serve` on PostgreSQL (a throwaway cluster): a signed room-ended callback adds its
/// job there, and `/readyz` answers 503 within its bound once the server stops answering.
@Suite("serve on PostgreSQL", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct ServePostgresCommandTests {
    @Test("/readyz is 200 while PostgreSQL answers, 503 within --ready-timeout when it hangs (SIGSTOP) and when it is stopped")
    func readinessIsBounded() async throws {
        let postgres = try PostgresServer()
        let setup = try await JobsRunCommandTests.Setup.start()
        let server = setup.server
        defer { Task { try? await server.stop() } }
        let serve = try ServeProcess(["--workers", "0", "--db", postgres.url(), "--ready-timeout", "1s"],
                                     environment: setup.environment, folder: setup.scratch.path)
        let ready = try await serve.admin("/readyz")
        #expect(ready.status == 200 && ready.body == "ready\n", "\(ready.body) \(serve.stderr)")
        let room = "RM" + String(repeating: "7", count: 32)
        let added = try await serve.postSigned("/twilio/video", form: ServeProcess.roomCallback("room-ended", room: room))
        #expect(added.0 == 200 && added.1 == "added \(room)\n")
        let store = try await PostgresJobStore(url: postgres.url())
        #expect(try await store.list(state: nil).map(\.id.rawValue) == [room])
        await store.shutdown()

        // A server that stops answering (every process of the cluster stopped): the store's
        // calls hang; /readyz answers 503 at its 1 s bound all the same.
        let pids = try Self.clusterProcesses(postgres)
        try #require(!pids.isEmpty)
        for pid in pids { kill(pid, SIGSTOP) }
        let hung = try await serve.admin("/readyz")
        for pid in pids { kill(pid, SIGCONT) }
        #expect(hung.status == 503, "\(hung.body)")
        #expect(hung.body.contains("did not answer within"), "\(hung.body)")
        #expect(hung.took < .seconds(3), "answered after \(hung.took)")
        #expect((try await serve.admin("/healthz")).status == 200)

        // Stopped for good.
        postgres.stop()
        let down = try await serve.admin("/readyz")
        #expect(down.status == 503, "\(down.body)")
        #expect(down.took < .seconds(3), "answered after \(down.took)")
        #expect(!down.body.contains("password"))
        #expect(serve.stop(), "serve did not stop on SIGTERM: \(serve.stderr)")
        #expect(serve.background.process.terminationStatus == SIGTERM)
    }

    /// The postmaster's pid and its children's (from `postmaster.pid` and /proc).
    static func clusterProcesses(_ postgres: PostgresServer) throws -> [Int32] {
        let text = try String(contentsOfFile: postgres.folder + "/data/postmaster.pid", encoding: .utf8)
        guard let main = text.split(separator: "\n").first.flatMap({ Int32($0) }) else { return [] }
        var pids = [main]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, Int32(fields[1]) == main { pids.append(pid) }
        }
        return pids
    }
}
