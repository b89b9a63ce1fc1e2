import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// One S3 request on the wire, signed afresh for each attempt, retried with exponential backoff
/// and jitter on what is worth retrying (no answer, HTTP 500/502/503/504, `SlowDown`,
/// `RequestTimeout`, `InternalError`); anything else is answered at once.
struct S3Transport: Sendable {
    /// Largest answer body read into memory (S3's XML answers are a few kilobytes).
    static let maxAnswerBytes = 1 << 20

    let client: HTTPClient
    let configuration: S3Configuration
    let signer: SigV4Signer
    let addressing: S3Addressing
    /// Told of every exchange on the wire: the method, and the status (nil when no response came).
    let observe: S3ObjectStore.RequestObserver?

    /// A request's body.
    enum Body: Sendable {
        case empty
        case bytes([UInt8])
        /// Bytes already in memory whose SHA-256 (lowercase hex) is known: a multipart part,
        /// read from the file once, hashed as it was read, and sent (and re-sent) from memory.
        case hashedBytes(ByteBuffer, sha256: String)
        /// A byte range of a file, with the SHA-256 of that range in lowercase hex.
        case file(LocalFile, offset: Int64, length: Int64, sha256: String)

        var payloadHash: String {
            switch self {
            case .empty: SigV4Signer.emptyPayloadHash
            case .bytes(let bytes): SHA256Text.hex(of: bytes)
            case .hashedBytes(_, let sha256): sha256
            case .file(_, _, _, let sha256): sha256
            }
        }
    }

    /// An answer: status, lower-cased headers, the body as text (at most ``maxAnswerBytes``).
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    /// Sends the request (retrying transient failures) and returns the answer when its status is
    /// 2xx; any other answer becomes an ``ObjectStoreError`` from S3's error body.
    func send(
        _ method: HTTPMethod, _ location: ObjectLocation, operation: String,
        query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [], body: Body = .empty
    ) async throws(ObjectStoreError) -> Answer {
        let answer = try await withRetries(operation: operation, location: location) { () throws(ObjectStoreError) -> Answer in
            try await once(method, location, query: query, headers: headers, body: body)
        }
        guard (200..<300).contains(answer.status) else {
            throw S3ErrorResponse(status: answer.status, headers: answer.headers, body: answer.body)
                .error(operation: operation, location: location, credentials: configuration.credentials)
        }
        return answer
    }

    /// Runs `attempt` up to the configured number of times while its outcome is transient.
    func withRetries<Value: Sendable>(
        operation: String, location: ObjectLocation, _ attempt: () async throws(ObjectStoreError) -> Value
    ) async throws(ObjectStoreError) -> Value {
        let attempts = configuration.multipart.maxAttempts
        var lastError: ObjectStoreError?
        for number in 1...attempts {
            if number > 1 {
                let base = configuration.multipart.initialBackoff * (1 << min(number - 2, 10))
                let jittered = base * Double.random(in: 0.5...1.0)
                do { try await Task.sleep(for: jittered) } catch {
                    throw ObjectStoreError(code: .transport, message: "\(operation) \(location) was cancelled")
                }
            }
            do {
                let value = try await attempt()
                if let answer = value as? Answer, Self.isTransient(answer), number < attempts { continue }
                return value
            } catch {
                guard error.code == .transport, number < attempts, !Task.isCancelled else { throw error }
                lastError = error
            }
        }
        throw lastError ?? ObjectStoreError(code: .transport, message: "\(operation) \(location) failed")
    }

    /// One attempt: signs and sends the request and reads the answer.
    func once(
        _ method: HTTPMethod, _ location: ObjectLocation,
        query: [(name: String, value: String)], headers: [(name: String, value: String)], body: Body
    ) async throws(ObjectStoreError) -> Answer {
        let (request, stream) = prepare(method, location, query: query, headers: headers, body: body)
        do {
            let response = try await execute(request, method: method)
            let buffer = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return Answer(status: Int(response.status.code), headers: Self.headers(response.headers), body: String(buffer: buffer))
        } catch {
            throw stream?.failure.withLockedValue({ $0 }) ?? Self.transportError(error, operation: method.rawValue, location: location)
        }
    }

    /// Sends a prepared request on the connection pool within the request timeout, telling
    /// `observe` of the exchange (the status, or nil when no answer came).
    func execute(_ request: HTTPClientRequest, method: HTTPMethod) async throws -> HTTPClientResponse {
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
            observe?(method.rawValue, Int(response.status.code))
            return response
        } catch {
            observe?(method.rawValue, nil)
            throw error
        }
    }

    /// A signed request ready to send (and the file stream of its body, if any).
    func prepare(
        _ method: HTTPMethod, _ location: ObjectLocation,
        query: [(name: String, value: String)], headers: [(name: String, value: String)], body: Body
    ) -> (HTTPClientRequest, FileByteStream?) {
        let target = addressing.target(bucket: location.bucket, key: location.key)
        let signingRequest = SigV4Signer.Request(
            method: method.rawValue, host: target.host, path: target.path, query: query, headers: headers,
            payloadHash: body.payloadHash)
        var request = HTTPClientRequest(
            url: addressing.url(host: target.host, path: target.path, query: SigV4Signer.canonicalQuery(query)))
        request.method = method
        for header in signer.signedHeaders(for: signingRequest, at: Date()) {
            request.headers.add(name: header.name, value: header.value)
        }
        var stream: FileByteStream?
        switch body {
        case .empty:
            if method == .PUT || method == .POST { request.body = .bytes(ByteBuffer()) }
        case .bytes(let bytes):
            request.body = .bytes(ByteBuffer(bytes: bytes))
        case .hashedBytes(let buffer, _):
            request.body = .bytes(buffer)
        case .file(let file, let offset, let length, let digest):
            let fileStream = FileByteStream(file: file, offset: offset, length: length, expectedSHA256: digest)
            request.body = .stream(fileStream, length: .known(length))
            stream = fileStream
        }
        return (request, stream)
    }

    /// Whether an answer is worth another attempt.
    static func isTransient(_ answer: Answer) -> Bool {
        switch answer.status {
        case 500, 502, 503, 504: return true
        case 400, 429:
            let code = S3XML.value(of: "Code", in: answer.body)
            return code == "RequestTimeout" || code == "SlowDown" || code == "InternalError"
        default: return false
        }
    }

    /// Lower-cased header names to values (the last one wins).
    static func headers(_ headers: HTTPHeaders) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers { result[name.lowercased()] = value }
        return result
    }

    /// A failure without an answer, in words; never includes the URL (a presigned URL or the
    /// query could hold a token).
    static func transportError(_ error: any Error, operation: String, location: ObjectLocation) -> ObjectStoreError {
        if let error = error as? ObjectStoreError { return error }
        let reason: String
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout: reason = "the connection timed out"
            case .deadlineExceeded, .readTimeout, .writeTimeout: reason = "the server did not answer in time"
            case .remoteConnectionClosed: reason = "the server closed the connection"
            case .cancelled: reason = "the request was cancelled"
            case .bodyLengthMismatch: reason = "the body length did not match the announced length"
            default: reason = String(describing: clientError)
            }
        } else {
            reason = String(describing: error)
        }
        return ObjectStoreError(
            code: .transport,
            message: "\(operation) \(location) got no answer: \(reason); check the endpoint URL and the network")
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
