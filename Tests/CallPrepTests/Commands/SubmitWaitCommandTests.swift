import Foundation
import Testing
@testable import TwilioTestServer

/// `submit --wait` shows status changes on a terminal only, and `--dry-run` applies the real
/// run's media URL rules.
@Suite("submit --wait progress and --dry-run URL rules", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from bsdutils for a pseudo-terminal"))
struct SubmitWaitCommandTests {
    /// Runs callprep under script(1), so its stdout and stderr are a terminal; returns what the
    /// terminal showed (both streams) and the exit status.
    static func runOnTerminal(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, screen: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([CLI.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-qefc", command, "/dev/null"]
        process.environment = environment
        process.currentDirectoryURL = CLI.root
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
    }

    func submitArguments(_ server: StrictTwilioServer) -> [String] {
        ["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/call.flac",
         "--allow-http", "--skip-url-check", "--participant", "1:role=Agent", "--wait"]
    }

    @Test func statusChangesWithElapsedTimeOnATerminal() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let run = try Self.runOnTerminal(submitArguments(server), environment: IntelligenceCLITests.environment(server))
        #expect(run.status == 0, "\(run.screen)")
        let sid = try #require(server.state.allTranscripts.first?["sid"] as? String)
        #expect(run.screen.contains("\(sid): in-progress after 0 s\n"), "\(run.screen)")
        #expect(run.screen.contains("\(sid): in-progress → completed after 2 s\n"), "\(run.screen)")
    }

    @Test func noProgressWithoutATerminalOrWithQuietOrJSON() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let environment = IntelligenceCLITests.environment(server)
        let piped = try CLI.run(submitArguments(server) + ["--customer-key", "piped"], environment: environment)
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains(" after "), "\(piped.stderr)")
        for flag in ["--quiet", "--json"] {
            let run = try Self.runOnTerminal(submitArguments(server) + ["--customer-key", "k\(flag)", flag], environment: environment)
            #expect(run.status == 0)
            #expect(!run.screen.contains(" after "), "\(flag): \(run.screen)")
        }
    }

    @Test func dryRunRefusesAnHTTPMediaURLLikeTheRealRun() throws {
        let arguments = ["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", "http://example.com/call.flac", "--dry-run"]
        let refused = try CLI.run(arguments, environment: IntelligenceCLITests.environment(nil))
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("invalid --media-url: is http; Twilio needs a public https URL"))
        let allowed = try CLI.run(arguments + ["--allow-http"], environment: IntelligenceCLITests.environment(nil))
        #expect(allowed.status == 0)
        #expect(allowed.stdout.hasPrefix("POST "))
    }

    @Test("a duration too large for the clock is a usage error, not a crash")
    func hugeTimeoutIsRefused() throws {
        let sid = "GT" + String(repeating: "0", count: 32)
        for value in ["1e300s", "99999999999h", "1e20"] {
            let out = try CLI.run(["transcripts", "wait", sid, "--timeout", value], environment: IntelligenceCLITests.environment(nil))
            #expect(out.status == 2, "\(value): \(out.stderr)")
            #expect(out.stderr.contains("not a duration up to a year"))
        }
    }
}
