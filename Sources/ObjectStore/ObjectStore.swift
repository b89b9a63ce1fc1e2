#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where finished call audio is kept so Twilio can fetch it: an S3-compatible bucket in
/// production (``S3ObjectStore``), a dictionary in tests of callers (``InMemoryObjectStore``).
///
/// Every operation names its object with an ``ObjectLocation`` and fails with an
/// ``ObjectStoreError`` whose ``ObjectStoreError/code`` is stable (S3's own code when S3 sent one).
public protocol ObjectStore: Sendable {
    /// The object's size, ETag, stored SHA-256 and content type, or `nil` when there is no such
    /// object (the bucket exists but the key does not). A missing bucket is an error.
    func head(_ location: ObjectLocation) async throws(ObjectStoreError) -> StoredObject?

    /// Uploads the file at `path` to `location`, read from disk as it is sent (at most the parts
    /// in flight of a multipart upload are held in memory).
    ///
    /// `sha256` is the file's SHA-256 (64 lowercase hex digits) as the caller computed it: it is
    /// stored with the object (user metadata `x-amz-meta-sha256`, so ``head(_:)`` returns it)
    /// and the store checks the bytes it sends against it, so a file that changed after it was
    /// hashed is refused instead of stored under a wrong checksum. `progress` is called with
    /// the bytes sent so far, from any thread.
    func upload(
        file path: String,
        to location: ObjectLocation,
        contentType: String?,
        sha256 hex: String,
        progress: (@Sendable (UploadProgress) -> Void)?
    ) async throws(ObjectStoreError) -> StoredObject

    /// A URL that lets whoever holds it GET the object until it expires, without credentials.
    /// Computed locally, with no network request. The URL is a bearer secret: show it only
    /// where the user asked for it, never in logs.
    /// - Parameters:
    ///   - seconds: how long the URL works, 1 second to 7 days (SigV4's limit).
    ///   - now: the signing time (the URL works from then for `seconds`).
    func presignedGetURL(for location: ObjectLocation, expiresIn seconds: Int, now: Date) throws(ObjectStoreError) -> String

    /// Downloads the object to `path`, atomically: the file appears complete or not at all, and
    /// an existing file there is replaced only when the download finished.
    /// - Parameter expectedSize: the size the caller knows the object has (a Twilio recording's
    ///   `size`, say), or nil. An object of another size fails with
    ///   ``ObjectStoreError/Code/sizeMismatch`` before any byte is written.
    @discardableResult
    func download(_ location: ObjectLocation, toFile path: String, expectedSize: Int64?) async throws(ObjectStoreError) -> StoredObject
}

extension ObjectStore {
    /// ``presignedGetURL(for:expiresIn:now:)`` signed at the current time.
    public func presignedGetURL(for location: ObjectLocation, expiresIn seconds: Int) throws(ObjectStoreError) -> String {
        try presignedGetURL(for: location, expiresIn: seconds, now: Date())
    }

    /// ``download(_:toFile:expectedSize:)`` of an object of any size.
    @discardableResult
    public func download(_ location: ObjectLocation, toFile path: String) async throws(ObjectStoreError) -> StoredObject {
        try await download(location, toFile: path, expectedSize: nil)
    }

    /// ``upload(file:to:contentType:sha256:progress:)`` without progress reports.
    public func upload(
        file path: String, to location: ObjectLocation, contentType: String?, sha256 hex: String
    ) async throws(ObjectStoreError) -> StoredObject {
        try await upload(file: path, to: location, contentType: contentType, sha256: hex, progress: nil)
    }
}
