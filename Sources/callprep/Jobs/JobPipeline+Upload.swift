import AudioPrep
import CallPrepJSON
import CallPrepJobs
import ObjectStore

extension JobPipeline {
    /// Uploads the merged file (a recording job's WAV) to `upload` + `ID.flac` (`ID.wav`) unless the object already holds it (same
    /// size and stored SHA-256: a repeated step sends nothing), as `submit --upload` does. Outputs
    /// the object (never the presigned URL: it is a bearer secret; submit signs a fresh one).
    func upload(_ job: JobRecord, merged: JSONValue) async throws -> JSONValue {
        let store = try objectStore.get()
        guard let destination = job.spec.upload else { return .null }
        let flac = try Self.mediaPath(merged)
        let location = try UploadDestination.location(destination, forFile: flac)
        let file = MediaUpload.LocalFile(
            path: flac, sizeBytes: try Self.integer(merged, "size_bytes"), sha256: try Self.text(merged, "sha256"),
            contentType: AudioFileRecognizer.mediaType(path: flac))
        let result = try await MediaUpload(store: store, verbose: false).run(file, to: location, expires: presignExpiry)
        return .object([
            "location": .string(location.description), "size_bytes": .int(result.object.size), "sha256": .string(result.sha256),
            "etag": .string(result.object.etag), "uploaded": .bool(result.uploaded),
        ])
    }

    /// The object is still there with the journal's size and SHA-256 (one HEAD).
    func verifyUpload(_ outputs: JSONValue) async throws -> Bool {
        guard case .success(let store) = objectStore else { return false }
        let location = try ObjectLocation(parsing: try Self.text(outputs, "location"))
        guard let object = try await store.head(location) else { return false }
        let size = try Self.integer(outputs, "size_bytes")
        let sha256 = try Self.text(outputs, "sha256")
        return object.size == size && object.sha256?.lowercased() == sha256
    }
}
