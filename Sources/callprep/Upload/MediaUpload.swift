import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore

/// Puts a local file into an object store, unless the object there already holds the same bytes
/// (``ObjectStore/uploadUnlessStored``: same size and the SHA-256 stored with it), and presigns
/// a GET for it. `upload` and
/// `submit --upload` share it, so running either again sends nothing twice.
struct MediaUpload {
    let store: any ObjectStore
    /// Log each step on stderr (never the presigned URL, never credentials).
    let verbose: Bool

    /// What was uploaded (or found) and the URL that fetches it.
    struct Result {
        var location: ObjectLocation
        var object: StoredObject
        var sha256: String
        /// The presigned GET URL: a bearer secret, printed only where the user asked for it.
        var url: String
        var expiresAt: Date
        /// False when the object was already there with the same SHA-256.
        var uploaded: Bool

        /// `{"url", "bucket", "key", "size_bytes", "sha256", "etag", "expires_at"}`.
        var json: JSONValue {
            .object([
                "url": .string(url),
                "bucket": .string(location.bucket),
                "key": .string(location.key),
                "size_bytes": .int(object.size),
                "sha256": .string(sha256),
                "etag": .string(object.etag),
                "expires_at": .string(Self.utcText(expiresAt)),
            ])
        }

        /// `2026-12-06T13:20:00Z`.
        static func utcText(_ date: Date) -> String {
            date.formatted(Date.ISO8601FormatStyle())
        }
    }

    /// The file as it will be uploaded: its hash and size measured once, up front.
    struct LocalFile {
        var path: String
        var sizeBytes: Int64
        var sha256: String
        var contentType: String
    }

    /// Uploads `file` to `location` unless it is there already, then presigns a GET valid for
    /// `expires` from now.
    func run(_ file: LocalFile, to location: ObjectLocation, expires: PresignExpiry,
             progress: UploadProgressLine? = nil) async throws(ObjectStoreError) -> Result {
        if verbose { Console.error("· HEAD \(location), then upload \(file.path) (\(file.sizeBytes) bytes, \(file.contentType)) unless it holds these bytes") }
        let report: (@Sendable (UploadProgress) -> Void)? = progress.map { line in { @Sendable in line.report($0) } }
        let outcome: UploadOutcome
        do {
            outcome = try await store.uploadUnlessStored(
                file: file.path, sizeBytes: file.sizeBytes, to: location, contentType: file.contentType, sha256: file.sha256, progress: report)
            progress?.finish()
        } catch {
            progress?.finish()
            throw error
        }
        if outcome.uploaded {
            Console.error("uploaded \(file.path) to \(location) (\(outcome.object.size) bytes)")
        } else {
            Console.error("\(location) already holds these bytes (sha256 \(file.sha256.prefix(12))…); not uploading again")
        }
        let now = Date()
        let url = try store.presignedGetURL(for: location, expiresIn: expires.seconds, now: now)
        return Result(location: location, object: outcome.object, sha256: file.sha256, url: url,
                      expiresAt: now.addingTimeInterval(TimeInterval(expires.seconds)), uploaded: outcome.uploaded)
    }
}
