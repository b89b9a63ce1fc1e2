import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension CLI {
    /// A `callprep` process started in the background (output to files, not pipes, so nobody
    /// has to drain them), for tests that kill it mid-run.
    final class Background {
        let process: Process
        let stderrPath: String

        init(_ arguments: [String], environment: [String: String], folder: String) throws {
            process = Process()
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.currentDirectoryURL = CLI.root
            process.environment = environment
            stderrPath = folder + "/background-\(UUID().uuidString).stderr"
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            defer { try? err.close() }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        deinit { killHard() }

        /// SIGKILL (as a crash or a pulled plug would end it), then waits for the exit.
        func killHard() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; false on timeout.
    static func waitFor(_ timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}
