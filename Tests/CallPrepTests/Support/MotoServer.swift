import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// moto's S3 server (`moto_server`, from PyPI: scripts/install-deps.sh puts it in
/// ~/.cache/callprep-pyenv) on a free port of 127.0.0.1, for the end-to-end upload tests: a
/// real S3 wire protocol (XML errors, multipart, presigned GETs) that does not check signatures.
/// Its request log (one line per request, e.g. `"PUT /calls/call.flac HTTP/1.1" 200`) shows
/// what callprep sent. Every wait is bounded, and the server is killed when released.
final class MotoServer: @unchecked Sendable {
    let port: Int
    let endpoint: String
    private let process: Process
    private let logPath: String

    /// The access key the tests configure; the secret is distinctive so output can be searched for it.
    static let accessKeyID = "AKIAMOTOTESTKEY00001"
    static let secretAccessKey = "moto-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"

    /// The `moto_server` executable: $CALLPREP_PYENV's, else the default venv's.
    static var executable: String {
        let environment = ProcessInfo.processInfo.environment
        let venv = environment["CALLPREP_PYENV"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache/callprep-pyenv"
        return venv + "/bin/moto_server"
    }

    /// Starts moto, waits until it answers (at most 60 s) and creates `buckets`. moto's log goes
    /// to a file, not a pipe: nobody has to drain it for moto to keep answering.
    init(buckets: [String]) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.executable),
            "moto_server is missing at \(Self.executable): run scripts/install-deps.sh (it installs moto[server] into ~/.cache/callprep-pyenv)")
        port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while true {
            if let (_, status) = try? await Self.send("GET", endpoint + "/"), status == 200 { break }
            guard process.isRunning, Date() < deadline else {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                stop()
                throw MotoFailure(text: "moto_server did not answer on port \(port) within 60 s: " + log)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        for bucket in buckets {
            let (_, status) = try await Self.send("PUT", endpoint + "/" + bucket)
            guard status == 200 else { throw MotoFailure(text: "creating bucket \(bucket) answered HTTP \(status)") }
        }
    }

    /// Freezes the server (SIGSTOP): connections are accepted by the kernel and then nothing is
    /// answered, so a client hangs in the middle of its request until ``resume()``.
    func pause() { kill(process.processIdentifier, SIGSTOP) }

    /// Lets a paused server go on (SIGCONT).
    func resume() { kill(process.processIdentifier, SIGCONT) }

    deinit {
        resume()
        stop()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Stops the server (idempotent). SIGKILL, not SIGTERM: a child started from one of Swift's
    /// worker threads inherits their blocked signals, SIGTERM included, so moto never sees a
    /// SIGTERM and `waitUntilExit()` after one waits forever. moto keeps nothing worth a clean exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The environment that points callprep at this server with the test key, and HOME at an
    /// empty folder so no ~/.aws file of the machine takes part.
    func environment(home: String, adding extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "AWS_ACCESS_KEY_ID": Self.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.secretAccessKey,
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint, "HOME": home,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    /// The request lines moto logged so far, e.g. `PUT /calls/call.flac` (method and path, query
    /// dropped), read from werkzeug's access log (`… "PUT /calls/call.flac HTTP/1.1" 200 -`,
    /// some lines wrapped in terminal colour codes, which are dropped first).
    func requestLines() throws -> [String] {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: logPath)))
        var lines: [String] = []
        for rawLine in bytes.split(separator: 0x0A) {
            // Drop ESC [ … m colour sequences and carriage returns.
            var plain: [UInt8] = []
            var index = rawLine.startIndex
            while index < rawLine.endIndex {
                if rawLine[index] == 0x1B {
                    while index < rawLine.endIndex, rawLine[index] != UInt8(ascii: "m") { index += 1 }
                    index += 1
                    continue
                }
                if rawLine[index] != 0x0D { plain.append(rawLine[index]) }
                index += 1
            }
            let quoted = plain.split(separator: UInt8(ascii: "\""), omittingEmptySubsequences: false)
            guard quoted.count >= 3 else { continue }
            let parts = quoted[1].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { continue }
            lines.append("\(parts[0]) \(parts[1].split(separator: "?", maxSplits: 1).first ?? "")")
        }
        return lines
    }

    /// One plain HTTP request (no signature: moto accepts that for bucket creation), body and
    /// status; gives up after 30 s.
    static func send(_ method: String, _ url: String, body: Data? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 30)
        request.httpMethod = method
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    /// A port nothing listens on right now (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MotoFailure(text: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw MotoFailure(text: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct MotoFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
