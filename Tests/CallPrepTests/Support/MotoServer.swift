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
/// what callprep sent. Stopped when released.
final class MotoServer {
    let port: Int
    let endpoint: String
    private let process: Process
    private let logPath: String

    /// The access key the tests configure; the secret is distinctive so output can be searched for it.
    static let accessKeyID = "AKIAMOTOTESTKEY00001"
    static let secretAccessKey = "moto-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"

    /// The `moto_server` executable: $CALLPREP_PYENV's, the default venv's, or one on PATH.
    static let executable: String? = {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let venv = environment["CALLPREP_PYENV"], !venv.isEmpty { candidates.append(venv + "/bin/moto_server") }
        if let home = environment["HOME"] { candidates.append(home + "/.cache/callprep-pyenv/bin/moto_server") }
        for folder in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(folder)/moto_server") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts moto and waits until it answers (at most 30 s); creates `buckets`.
    init(buckets: [String]) async throws {
        let executable = try #require(Self.executable, "moto_server is missing: run scripts/install-deps.sh (it installs moto[server] into ~/.cache/callprep-pyenv)")
        port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while true {
            if let (_, status) = try? await Self.send("GET", endpoint + "/"), status == 200 { break }
            guard process.isRunning, Date() < deadline else {
                stop()
                throw MotoFailure(text: "moto_server did not answer on port \(port): " + (try String(contentsOfFile: logPath, encoding: .utf8)))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        for bucket in buckets {
            let (_, status) = try await Self.send("PUT", endpoint + "/" + bucket)
            guard status == 200 else { throw MotoFailure(text: "creating bucket \(bucket) answered HTTP \(status)") }
        }
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
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

    /// The request lines moto logged so far, e.g. `PUT /calls/call.flac` (method and path, query dropped).
    func requestLines() throws -> [String] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let open = line.firstIndex(of: "\""), let close = line[line.index(after: open)...].firstIndex(of: "\"") else { return nil }
            // Strip terminal colours moto adds to some lines.
            let request = line[line.index(after: open)..<close].replacingOccurrences(of: "\u{1B}[[0-9;]*m", with: "", options: .regularExpression)
            let parts = request.split(separator: " ")
            guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
            return "\(parts[0]) \(parts[1].split(separator: "?", maxSplits: 1).first ?? "")"
        }
    }

    /// One plain HTTP request (no signature: moto accepts that for bucket creation), body and status.
    static func send(_ method: String, _ url: String, body: Data? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: url)!)
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
