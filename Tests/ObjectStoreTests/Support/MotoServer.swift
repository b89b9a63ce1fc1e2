import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import Testing
@testable import ObjectStore

/// moto's S3 in server mode on a free port of 127.0.0.1, started for a test and stopped after:
/// the real S3-compatible server the round-trip tests talk to. moto does not check signatures
/// (SigV4DocumentationVectorTests and SigV4BotocoreCrossCheckTests do that).
///
/// moto comes from `scripts/install-deps.sh` (a venv at `CALLPREP_PYENV`, by default
/// `~/.cache/callprep-pyenv`); a missing moto fails the test with what to run.
final class MotoServer: @unchecked Sendable {
    /// Parts below this size are refused, as S3 does for parts under 5 MiB: small enough for
    /// fast multipart tests, still enforced.
    static let minimumPartSize = 65_536

    let port: Int
    private let process: Process

    /// The venv the install script fills.
    static var pythonEnvironment: String {
        ProcessInfo.processInfo.environment["CALLPREP_PYENV"] ?? NSHomeDirectory() + "/.cache/callprep-pyenv"
    }

    /// Starts moto and waits until it answers (at most 60 s).
    static func start() async throws -> MotoServer {
        let executable = pythonEnvironment + "/bin/moto_server"
        try #require(
            FileManager.default.isExecutableFile(atPath: executable),
            "moto_server is not installed at \(executable): run scripts/install-deps.sh")
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
            var environment = ProcessInfo.processInfo.environment
            environment["S3_UPLOAD_PART_MIN_SIZE"] = String(minimumPartSize)
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = MotoServer(port: port, process: process)
            do {
                try await server.waitUntilAnswering()
                return server
            } catch {
                server.stop()
                lastError = error
            }
        }
        throw lastError ?? ObjectStoreError(code: .transport, message: "moto did not start")
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    deinit { stop() }

    /// Stops the server (idempotent). SIGKILL, not SIGTERM: a child started from one of Swift's
    /// worker threads inherits their blocked signals, SIGTERM included, and moto keeps nothing
    /// worth a clean exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var endpointURL: String { "http://127.0.0.1:\(port)" }

    /// A configuration for this server: dummy keys (moto accepts any), path style, http allowed.
    func configuration(multipart: MultipartSettings = MultipartSettings(initialBackoff: .milliseconds(10))) throws -> S3Configuration {
        S3Configuration(
            credentials: try S3Credentials(accessKeyID: "AKIAMOTOTESTKEY", secretAccessKey: "moto-test-secret-never-shown"),
            region: "us-east-1", endpoint: try S3Endpoint(parsing: endpointURL), allowHTTP: true, multipart: multipart)
    }

    /// Creates a bucket with a plain (unsigned) request, as moto allows.
    func createBucket(_ name: String) async throws {
        let response = try await Self.plainRequest(.PUT, url: "\(endpointURL)/\(name)")
        try #require(response.status == 200, "creating bucket \(name) on moto: HTTP \(response.status)")
    }

    /// The upload ids of the bucket's unfinished multipart uploads (ListMultipartUploads).
    func unfinishedUploads(in bucket: String) async throws -> [String] {
        let response = try await Self.plainRequest(.GET, url: "\(endpointURL)/\(bucket)?uploads")
        try #require(response.status == 200)
        return S3XML.values(of: "UploadId", in: response.body)
    }

    /// An answer to ``plainRequest(_:url:)``: the status and the body's bytes.
    struct PlainAnswer {
        let status: Int
        let bytes: [UInt8]

        /// The body as text, decoded only when asked for: turning a large binary body into a
        /// String (`String(buffer:)` over S3LargeMultipartTests' 70 MiB of test bytes, mostly
        /// invalid UTF-8 to repair) took 109 s of that test's 112 s in a debug build.
        var body: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A request without credentials; returns the status and body.
    static func plainRequest(_ method: HTTPMethod, url: String) async throws -> PlainAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 256 << 20)
        return PlainAnswer(status: Int(response.status.code), bytes: Array(body.readableBytesView))
    }

    private func waitUntilAnswering() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw ObjectStoreError(code: .transport, message: "moto_server exited with status \(process.terminationStatus)")
            }
            if let response = try? await Self.plainRequest(.GET, url: endpointURL + "/"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ObjectStoreError(code: .transport, message: "moto_server did not answer on port \(port) within 60 s")
    }

    /// A port the kernel just handed out for 127.0.0.1 (closed again for moto to take).
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        try #require(named == 0)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
