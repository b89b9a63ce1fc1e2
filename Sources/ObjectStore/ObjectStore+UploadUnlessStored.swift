/// What ``ObjectStore/uploadUnlessStored(file:sizeBytes:to:contentType:sha256:progress:)`` did.
public struct UploadOutcome: Sendable, Equatable {
    /// The object now at the location: the one just uploaded, or the one found there.
    public let object: StoredObject
    /// False when the object already held these bytes and nothing was sent.
    public let uploaded: Bool

    /// Creates an outcome.
    public init(object: StoredObject, uploaded: Bool) {
        self.object = object
        self.uploaded = uploaded
    }
}

extension ObjectStore {
    /// Uploads the file at `path` unless the object at `location` already holds the same bytes:
    /// the same size and the same SHA-256 stored with it by an earlier upload (one `HEAD`).
    /// Running a job again therefore sends nothing twice. An object without a stored SHA-256
    /// (put there by another tool) or with other bytes is replaced.
    /// - Parameters:
    ///   - sizeBytes: the file's size, as measured when it was hashed.
    ///   - hex: the file's SHA-256 (64 hex digits), see ``upload(file:to:contentType:sha256:progress:)``.
    public func uploadUnlessStored(
        file path: String, sizeBytes: Int64, to location: ObjectLocation, contentType: String?, sha256 hex: String,
        progress: (@Sendable (UploadProgress) -> Void)? = nil
    ) async throws(ObjectStoreError) -> UploadOutcome {
        if let existing = try await head(location), existing.size == sizeBytes,
           let stored = existing.sha256, stored == hex.lowercased() {
            return UploadOutcome(object: existing, uploaded: false)
        }
        let object = try await upload(file: path, to: location, contentType: contentType, sha256: hex, progress: progress)
        return UploadOutcome(object: object, uploaded: true)
    }
}
