import AudioPrep
import ObjectStore

/// `submit --upload`'s plan, settled before anything is sent: the merged file the manifest
/// names, checked byte for byte against the manifest's SHA-256, and the object it goes to.
struct ManifestUpload {
    /// The merged file as the manifest recorded it.
    let media: MergedMedia
    /// The file as it will be uploaded (its verified hash, its sniffed content type).
    let file: MediaUpload.LocalFile
    /// The object: the destination, with the file's name appended when it is a prefix.
    let location: ObjectLocation

    /// Reads the manifest, parses the destination, then hashes the file; throws `media_changed`
    /// when the file is not the one the merge wrote.
    init(manifestAt manifestPath: String, destination: String) throws {
        media = try MergedMedia(manifestAt: manifestPath)
        location = try UploadDestination.location(destination, forFile: media.path)
        let sha256 = try media.verified()
        file = MediaUpload.LocalFile(path: media.path, sizeBytes: media.sizeBytes, sha256: sha256,
                                     contentType: AudioFileRecognizer.mediaType(path: media.path))
    }
}
