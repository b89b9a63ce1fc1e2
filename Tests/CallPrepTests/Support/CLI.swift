import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `callprep` binary, as a user or CI script would.
enum CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout parsed as JSON.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary beside the test bundle (`swift build --build-tests` builds both), else .build/debug.
    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("callprep"),
            Bundle.main.bundleURL.appendingPathComponent("callprep"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("callprep"),
            root.appendingPathComponent(".build/debug/callprep"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    static func audio(_ relative: String) -> String {
        root.appendingPathComponent("TestAudio").appendingPathComponent(relative).path
    }

    /// How long one upload, presign or submit run against the local test servers may take before
    /// it is killed: seconds are normal, two minutes means a hang on a loaded machine.
    static let uploadTimeout: Duration = .seconds(120)

    /// Runs `callprep ARGS` with the working directory at the repository root. With `timeout`,
    /// a run that has not ended by then is killed (SIGKILL) and reported as status -1 with the
    /// reason on stderr, so a hang fails its test instead of hanging the suite.
    static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Duration? = nil) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let timedOut = TimeoutFlag()
        if let timeout {
            let pid = process.processIdentifier
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                guard process.isRunning else { return }
                timedOut.set()
                kill(pid, SIGKILL)
            }
        }
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        if timedOut.isSet {
            return Output(
                status: -1, stdout: String(decoding: outData, as: UTF8.self),
                stderr: "callprep \(arguments.joined(separator: " ")) did not end within \(timeout ?? .zero) and was killed\n"
                    + String(decoding: errData, as: UTF8.self))
        }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Set once, from the timer's thread, read after the process ended.
    private final class TimeoutFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// The keys of each top-level object in a JSON array, in the order they appear in the text.
    static func keyOrder(ofObjectsIn json: String) -> [[String]] {
        var result: [[String]] = []
        var depth = 0
        var current: [String] = []
        var inString = false, escaped = false
        var token = ""
        var chars = Array(json)
        chars.append(" ")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
                    inString = false
                    // A key at object depth 2 (array → object) is followed by a colon.
                    var j = i + 1
                    while j < chars.count, chars[j] == " " { j += 1 }
                    if depth == 2, j < chars.count, chars[j] == ":" { current.append(token) }
                } else { token.append(c) }
            } else if c == "\"" {
                inString = true
                token = ""
            } else if c == "{" || c == "[" {
                depth += 1
            } else if c == "}" || c == "]" {
                if depth == 2, c == "}" { result.append(current); current = [] }
                depth -= 1
            }
            i += 1
        }
        return result
    }
}
