import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import TwilioIntelligence
@testable import TwilioTestServer

/// A `callprep serve` process for one test, on free loopback ports (`--listen 127.0.0.1:0`,
/// read back from its `listening` log lines), and requests to it signed as Twilio signs them.
final class ServeProcess {
    /// The public URL the tests' Twilio was given (a proxy in front would map it to the listener).
    static let publicURL = "https://prep.example.com"

    let background: CLI.Background
    let port: Int
    let adminPort: Int

    /// Starts `callprep serve ARGS --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 --public-url …`
    /// and waits (at most 60 s) until both listeners are bound.
    init(_ arguments: [String], environment: [String: String], folder: String) throws {
        let background = try CLI.Background(
            ["serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--public-url", Self.publicURL] + arguments,
            environment: environment, folder: folder)
        var ports: [String: Int] = [:]
        let bound = CLI.waitFor(.seconds(60)) {
            ports = Self.listeners(in: background.stderr)
            return ports.count == 2 || !background.process.isRunning
        }
        guard bound, let port = ports["callbacks"], let adminPort = ports["admin"] else {
            let text = background.stderr
            background.killHard()
            throw ServeProcessFailure(text: "serve did not start listening: \(text)")
        }
        self.background = background
        self.port = port
        self.adminPort = adminPort
    }

    /// The ports named by `listening listener=NAME address=127.0.0.1:PORT` lines (or their
    /// JSON form, with `--log-format json`).
    static func listeners(in log: String) -> [String: Int] {
        var found: [String: Int] = [:]
        for line in log.split(separator: "\n") where line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["message"] as? String == "listening", let name = object["listener"] as? String,
                  let port = (object["address"] as? String)?.split(separator: ":").last.flatMap({ Int($0) }) else { continue }
            found[name] = port
        }
        for line in log.split(separator: "\n") where line.contains(" listening ") {
            let fields = line.split(separator: " ")
            guard let name = fields.first(where: { $0.hasPrefix("listener=") })?.dropFirst("listener=".count),
                  let address = fields.first(where: { $0.hasPrefix("address=") }),
                  let port = address.split(separator: ":").last.flatMap({ Int($0) }) else { continue }
            found[String(name)] = port
        }
        return found
    }

    var stderr: String { background.stderr }

    /// The signature Twilio sends for form `parameters` posted to `publicURL + path`.
    static func signature(path: String, parameters: [(String, String)], publicURL: String = publicURL,
                          authToken: String = StrictTwilioServer.authToken) -> String {
        WebhookSignatureValidator(authToken: authToken).signature(url: publicURL + path, parameters: parameters)
    }

    /// A Video Room status callback's form parameters.
    static func roomCallback(_ event: String, room: String, recording: String? = nil) -> [(String, String)] {
        var parameters = [
            ("AccountSid", StrictTwilioServer.accountSID), ("RoomSid", room), ("RoomName", "call"),
            ("RoomStatus", event == "room-ended" ? "completed" : "in-progress"), ("StatusCallbackEvent", event),
            ("Timestamp", "2026-12-01T12:30:00.000Z"), ("RoomType", "group"),
        ]
        if let recording { parameters.append(("RecordingSid", recording)) }
        return parameters
    }

    /// POSTs form `parameters` to `path` with `signature` (nil: no header); status and body.
    func post(_ path: String, form parameters: [(String, String)], signature: String?) async throws -> (Int, String) {
        let body = FormEncoding.encode(parameters)
        return try await send(path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", signature: signature)
    }

    /// POSTs a signed form callback to `path`.
    func postSigned(_ path: String, form parameters: [(String, String)]) async throws -> (Int, String) {
        try await post(path, form: parameters, signature: Self.signature(path: path, parameters: parameters))
    }

    /// POSTs a JSON body to `path` with `bodySHA256` added to the query, signed as Twilio signs it.
    func postSignedJSON(_ path: String, body: Data, bodySHA256: String? = nil) async throws -> (Int, String) {
        let digest = bodySHA256 ?? SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let full = path + (path.contains("?") ? "&" : "?") + "bodySHA256=" + digest
        let signature = Self.signature(path: full, parameters: [])
        return try await send(full, body: body, contentType: "application/json", signature: signature)
    }

    func send(_ path: String, body: Data, contentType: String, signature: String?) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let signature { request.setValue(signature, forHTTPHeaderField: "X-Twilio-Signature") }
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// GET of an admin path; status, body and how long it took.
    func admin(_ path: String) async throws -> (status: Int, body: String, took: Duration) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(adminPort)\(path)")!)
        request.timeoutInterval = 30
        let clock = ContinuousClock()
        let start = clock.now
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self), clock.now - start)
    }

    /// Sends `signal` and waits (at most `timeout`) for the process to end; false when it did not.
    func stop(_ signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) -> Bool {
        kill(background.process.processIdentifier, signal)
        return CLI.waitFor(timeout) { !background.process.isRunning }
    }
}

struct ServeProcessFailure: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
