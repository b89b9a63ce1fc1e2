import CallPrepJSON
import Crypto
import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// The ``ObjectStore`` of an S3-compatible service (AWS S3, MinIO, Cloudflare R2, Backblaze B2,
/// Google Cloud Storage's XML API): SigV4-signed requests over its own connection pool.
///
/// Files up to ``MultipartSettings/threshold`` go up in one PUT, larger ones as a multipart
/// upload (``MultipartUpload``). Every upload carries the file's SHA-256 twice: as the signed
/// payload hash and `x-amz-checksum-sha256` (so the service checks the bytes) and as user
/// metadata `x-amz-meta-sha256` (so ``head(_:)`` can tell an upload is already there).
///
/// Call ``shutdown()`` once when done: it closes the connections.
public final class S3ObjectStore: ObjectStore {
    /// The settings this store was made with.
    public let configuration: S3Configuration
    let transport: S3Transport

    /// Told of each request sent: its method and the HTTP status of the answer, or nil when no
    /// answer came (a transport error). Only these two are passed: no key, header or body.
    public typealias RequestObserver = @Sendable (_ method: String, _ status: Int?) -> Void

    /// A store for `configuration`. Refuses an `http://` endpoint unless
    /// ``S3Configuration/allowHTTP`` is set, and out-of-range multipart settings.
    /// `observeRequest` is told of every request on the wire, retries included (a server
    /// counts them for its metrics).
    public init(configuration: S3Configuration, observeRequest: RequestObserver? = nil) throws(ObjectStoreError) {
        if configuration.endpoint.scheme == "http", !configuration.allowHTTP {
            throw ObjectStoreError(
                code: .insecureEndpoint,
                message: "the endpoint \(configuration.endpoint) is plain http: requests and audio would travel unencrypted; use https, or allow http explicitly for a local test server")
        }
        var checked = configuration
        checked.multipart = try configuration.multipart.validated()
        self.configuration = checked
        var clientConfiguration = HTTPClient.Configuration()
        // Never follow a redirect: it would carry signed headers to another host.
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .nanoseconds(checked.connectTimeout.nanoseconds))
        clientConfiguration.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        transport = S3Transport(
            client: client, configuration: checked,
            signer: SigV4Signer(credentials: checked.credentials, region: checked.region),
            addressing: S3Addressing(endpoint: checked.endpoint, style: checked.addressingStyle),
            observe: observeRequest)
    }

    /// Closes the connection pool. Call once, after the last operation.
    public func shutdown() async {
        try? await transport.client.shutdown()
    }

    public func head(_ location: ObjectLocation) async throws(ObjectStoreError) -> StoredObject? {
        try location.requireObject()
        do {
            let answer = try await transport.send(.HEAD, location, operation: "HEAD")
            return try Self.storedObject(from: answer.headers, operation: "HEAD", location: location)
        } catch where error.code == .noSuchKey {
            // HEAD answers have no body, so a 404 does not say whether the key or the bucket is
            // missing: ask the bucket.
            let bucket = try ObjectLocation(bucket: location.bucket, key: "")
            do {
                _ = try await transport.send(.HEAD, bucket, operation: "HEAD bucket")
            } catch where error.code == .noSuchKey {
                throw ObjectStoreError(
                    code: .noSuchBucket,
                    message: "HEAD \(location) failed: the bucket \(location.bucket) does not exist at this endpoint: check its name, the region and the endpoint URL.",
                    httpStatus: 404, requestID: error.requestID)
            }
            return nil
        }
    }

    public func upload(
        file path: String,
        to location: ObjectLocation,
        contentType: String?,
        sha256 hex: String,
        progress: (@Sendable (UploadProgress) -> Void)?
    ) async throws(ObjectStoreError) -> StoredObject {
        try location.requireObject()
        let sha256 = try SHA256Text.normalizedHex(hex)
        let file = try LocalFile(path: path)
        let contentType = contentType ?? "application/octet-stream"
        if file.size > configuration.multipart.threshold {
            let upload = MultipartUpload(
                transport: transport, file: file, location: location, contentType: contentType, sha256: sha256,
                settings: configuration.multipart)
            return try await upload.run(progress: progress)
        }
        let answer = try await transport.send(
            .PUT, location, operation: "PUT",
            headers: [
                ("Content-Type", contentType),
                ("x-amz-meta-sha256", sha256),
                ("x-amz-checksum-sha256", SHA256Text.base64(fromHex: sha256)),
            ],
            body: .file(file, offset: 0, length: file.size, sha256: sha256))
        guard let etag = answer.headers["etag"].map(Self.unquoted), !etag.isEmpty else {
            throw ObjectStoreError(
                code: .invalidResponse, message: "PUT \(location) answered without an ETag; check the endpoint is S3-compatible",
                httpStatus: answer.status)
        }
        progress?(UploadProgress(bytesSent: file.size, totalBytes: file.size))
        return StoredObject(size: file.size, etag: etag, sha256: sha256, contentType: contentType)
    }

    public func presignedGetURL(for location: ObjectLocation, expiresIn seconds: Int, now: Date) throws(ObjectStoreError) -> String {
        try location.requireObject()
        try PresignExpiry.check(seconds)
        let target = transport.addressing.target(bucket: location.bucket, key: location.key)
        let query = transport.signer.presignedQuery(
            method: "GET", host: target.host, path: target.path, expiresIn: seconds, at: now)
        return transport.addressing.url(host: target.host, path: target.path, query: query)
    }

    @discardableResult
    public func download(_ location: ObjectLocation, toFile path: String, expectedSize: Int64?) async throws(ObjectStoreError) -> StoredObject {
        try location.requireObject()
        return try await transport.withRetries(operation: "GET", location: location) { () throws(ObjectStoreError) -> StoredObject in
            try await downloadOnce(location, toFile: path, expectedSize: expectedSize)
        }
    }

    /// One GET streamed into a temporary file beside `path`: renamed into place only when the
    /// byte count matches Content-Length and, when the object carries `x-amz-meta-sha256`, the
    /// bytes match it. A Content-Length other than `expectedSize` ends it before the body is read.
    private func downloadOnce(_ location: ObjectLocation, toFile path: String, expectedSize: Int64?) async throws(ObjectStoreError) -> StoredObject {
        let (request, _) = transport.prepare(.GET, location, query: [], headers: [], body: .empty)
        let output = try AtomicDownloadFile(destination: path)
        defer { output.discard() }
        do {
            let response = try await transport.execute(request, method: .GET)
            let headers = S3Transport.headers(response.headers)
            guard response.status == .ok else {
                let body = try await response.body.collect(upTo: S3Transport.maxAnswerBytes)
                let answer = S3Transport.Answer(status: Int(response.status.code), headers: headers, body: String(buffer: body))
                throw S3ErrorResponse(status: answer.status, headers: headers, body: answer.body)
                    .error(operation: "GET", location: location, credentials: configuration.credentials)
            }
            let stored = try Self.storedObject(from: headers, operation: "GET", location: location)
            if let expectedSize, stored.size != expectedSize {
                throw ObjectStoreError.sizeMismatch(location, size: stored.size, expected: expectedSize)
            }
            var hasher = Crypto.SHA256()
            var received: Int64 = 0
            for try await chunk in response.body {
                received += Int64(chunk.readableBytes)
                guard received <= stored.size else { break }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try output.write(Array(chunk.readableBytesView))
            }
            guard received == stored.size else {
                throw ObjectStoreError(
                    code: .transport,
                    message: "GET \(location) delivered \(received) of \(stored.size) bytes; the connection broke, try again")
            }
            if let expected = stored.sha256, SHA256Text.hex(hasher.finalize()) != expected {
                throw ObjectStoreError(
                    code: .badDigest,
                    message: "GET \(location): the downloaded bytes do not match the SHA-256 stored with the object; the object was changed or damaged, upload it again")
            }
            try output.commit()
            return stored
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw S3Transport.transportError(error, operation: "GET", location: location)
        }
    }

    /// Size, ETag, stored SHA-256 and content type from HEAD/GET answer headers, range-checked.
    static func storedObject(from headers: [String: String], operation: String, location: ObjectLocation) throws(ObjectStoreError) -> StoredObject {
        // S3's largest object is 5 TiB; a length outside 0…5 TiB is not a real answer.
        guard let lengthText = headers["content-length"], let size = Int64(lengthText), (0...(5 << 40)).contains(size) else {
            throw ObjectStoreError(
                code: .invalidResponse,
                message: "\(operation) \(location) answered without a usable Content-Length; check the endpoint is S3-compatible")
        }
        let sha256 = headers["x-amz-meta-sha256"].flatMap { try? SHA256Text.normalizedHex($0) }
        return StoredObject(
            size: size, etag: unquoted(headers["etag"] ?? ""), sha256: sha256, contentType: headers["content-type"])
    }

    /// An ETag without its surrounding quotes.
    static func unquoted(_ etag: String) -> String {
        var text = Substring(etag.trimmingWhitespace())
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
