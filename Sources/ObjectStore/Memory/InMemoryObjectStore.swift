import CallPrepJSON
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// An ``ObjectStore`` in memory, for tests of code that uploads: it behaves like S3 where a
/// caller can tell (missing buckets and keys, the stored SHA-256 that ``head(_:)`` returns, a
/// checksum that does not match the bytes refused with `BadDigest`, atomic downloads) and lets a
/// test inject a failure and count uploads.
///
/// ```swift
/// let store = InMemoryObjectStore(buckets: ["calls"])
/// let stored = try await store.upload(file: path, to: try ObjectLocation(parsing: "s3://calls/a.flac"),
///                                     contentType: "audio/flac", sha256: hex)
/// ```
public final class InMemoryObjectStore: ObjectStore {
    private struct Object {
        var bytes: Data
        var sha256: String?
        var contentType: String?
        var etag: String
    }

    private struct State {
        var buckets: Set<String>
        var objects: [ObjectLocation: Object] = [:]
        var uploadCount = 0
        var injectedFailures: [Operation: ObjectStoreError] = [:]
    }

    /// The operations a test can make fail.
    public enum Operation: Sendable, Hashable {
        case head, upload, download
    }

    private let state: NIOLockedValueBox<State>
    /// The scheme and host presigned URLs start with.
    public let presignedURLBase: String

    /// A store holding the given (empty) buckets.
    /// - Parameter presignedURLBase: what presigned URLs start with, `https://objects.invalid` by
    ///   default (a reserved name that never resolves).
    public init(buckets: Set<String>, presignedURLBase: String = "https://objects.invalid") {
        state = NIOLockedValueBox(State(buckets: buckets))
        self.presignedURLBase = presignedURLBase
    }

    /// How many uploads have been stored so far.
    public var uploadCount: Int { state.withLockedValue { $0.uploadCount } }

    /// The stored bytes of an object, or `nil` when there is none.
    public func contents(of location: ObjectLocation) -> Data? {
        state.withLockedValue { $0.objects[location]?.bytes }
    }

    /// Stores bytes directly (as another tool would have uploaded them): no SHA-256 metadata
    /// unless given. Creates the bucket if needed.
    public func put(_ bytes: Data, at location: ObjectLocation, sha256: String? = nil, contentType: String? = nil) {
        let etag = Self.etag(of: bytes)
        state.withLockedValue { state in
            state.buckets.insert(location.bucket)
            state.objects[location] = Object(bytes: bytes, sha256: sha256, contentType: contentType, etag: etag)
        }
    }

    /// Makes the next call of `operation` fail with `error` (once).
    public func failNext(_ operation: Operation, with error: ObjectStoreError) {
        state.withLockedValue { $0.injectedFailures[operation] = error }
    }

    public func head(_ location: ObjectLocation) async throws(ObjectStoreError) -> StoredObject? {
        try location.requireObject()
        return try locked { state throws(ObjectStoreError) -> StoredObject? in
            try Self.takeFailure(.head, from: &state)
            try Self.requireBucket(location.bucket, in: state)
            return state.objects[location].map(Self.described)
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
        let expected = try SHA256Text.normalizedHex(hex)
        let file = try LocalFile(path: path)
        var bytes = Data()
        try file.forEachChunk(offset: 0, length: file.size) { chunk in bytes.append(contentsOf: chunk) }
        let actual = SHA256Text.hex(of: bytes)
        let object = Object(bytes: bytes, sha256: expected, contentType: contentType, etag: Self.etag(of: bytes))
        let stored = try locked { state throws(ObjectStoreError) -> StoredObject in
            try Self.takeFailure(.upload, from: &state)
            try Self.requireBucket(location.bucket, in: state)
            guard actual == expected else {
                throw ObjectStoreError(
                    code: .badDigest,
                    message: "the SHA-256 sent with \(location) does not match its bytes: \(path) changed after it was hashed; hash it again",
                    httpStatus: 400)
            }
            state.objects[location] = object
            state.uploadCount += 1
            return Self.described(object)
        }
        progress?(UploadProgress(bytesSent: file.size, totalBytes: file.size))
        return stored
    }

    public func presignedGetURL(for location: ObjectLocation, expiresIn seconds: Int, now: Date) throws(ObjectStoreError) -> String {
        try location.requireObject()
        try PresignExpiry.check(seconds)
        let expires = Int64(now.timeIntervalSince1970.rounded(.down)) + Int64(seconds)
        return "\(presignedURLBase)/\(location.bucket)/\(SigV4Encoding.path(location.key))?expires=\(expires)"
    }

    @discardableResult
    public func download(_ location: ObjectLocation, toFile path: String, expectedSize: Int64?) async throws(ObjectStoreError) -> StoredObject {
        try location.requireObject()
        let object = try locked { state throws(ObjectStoreError) -> Object in
            try Self.takeFailure(.download, from: &state)
            try Self.requireBucket(location.bucket, in: state)
            guard let object = state.objects[location] else {
                throw ObjectStoreError(code: .noSuchKey, message: "there is no object \(location); check the key", httpStatus: 404)
            }
            return object
        }
        if let expectedSize, Int64(object.bytes.count) != expectedSize {
            throw ObjectStoreError.sizeMismatch(location, size: Int64(object.bytes.count), expected: expectedSize)
        }
        let output = try AtomicDownloadFile(destination: path)
        try output.write(Array(object.bytes))
        try output.commit()
        return Self.described(object)
    }

    /// Runs `body` under the lock, keeping its typed error.
    private func locked<Value>(_ body: (inout State) throws(ObjectStoreError) -> Value) throws(ObjectStoreError) -> Value {
        try state.withLockedValue { state in
            Result { () throws(ObjectStoreError) -> Value in try body(&state) }
        }.get()
    }

    private static func takeFailure(_ operation: Operation, from state: inout State) throws(ObjectStoreError) {
        if let failure = state.injectedFailures.removeValue(forKey: operation) { throw failure }
    }

    private static func requireBucket(_ bucket: String, in state: State) throws(ObjectStoreError) {
        guard state.buckets.contains(bucket) else {
            throw ObjectStoreError(
                code: .noSuchBucket, message: "the bucket \(bucket) does not exist; create it or check its name", httpStatus: 404)
        }
    }

    private static func described(_ object: Object) -> StoredObject {
        StoredObject(size: Int64(object.bytes.count), etag: object.etag, sha256: object.sha256, contentType: object.contentType)
    }

    /// S3's ETag for a single PUT: the MD5 of the content in hex.
    private static func etag(of bytes: Data) -> String {
        NumberText.hex(Insecure.MD5.hash(data: bytes))
    }
}
