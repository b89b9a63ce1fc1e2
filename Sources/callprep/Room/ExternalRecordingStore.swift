import ObjectStore
import TwilioIntelligence

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The account's own S3 bucket, where Twilio writes Video recordings when external storage is
/// on (`media_external_location` on each recording): reached through the ObjectStore module with
/// the bucket's own credentials (the AWS environment, `~/.aws`), never Twilio's.
struct ExternalRecordingStore: Sendable {
    let store: any ObjectStore
    /// The store's endpoint: an object URL on another host is refused, so that the bucket's
    /// credentials go nowhere else.
    let endpoint: S3Endpoint

    /// Why recordings in the account's bucket cannot be read, when `make` has no store to give.
    static let unavailable = "callprep room does not read the account's own bucket yet (its S3 store is not wired to room)"

    /// The store for this run, or nil: `room` does not build one yet (ObjectStore's
    /// `S3ObjectStore` is not wired to it), so recordings in the account's bucket are refused.
    static func make(environment: [String: String], homeDirectory: String) throws -> ExternalRecordingStore? {
        nil
    }

    /// Downloads one recording (atomically, by the store), reusing a complete file already at
    /// `path`, and checks its size against the recording's.
    func download(_ location: ObjectLocation, recording: VideoRecording, to path: String) async throws -> MediaDownload {
        if let size = recording.size, Self.fileSize(path) == size {
            return MediaDownload(path: path, bytes: size, reused: true, attempts: 0)
        }
        let stored: StoredObject
        do {
            stored = try await store.download(location, toFile: path)
        } catch {
            throw MediaDownloadError(.externalStorage, subject: recording.sid, "could not be downloaded from \(location): \(error.description)")
        }
        if let size = recording.size, stored.size != size {
            unlink(path)
            throw MediaDownloadError(.sizeMismatch, subject: recording.sid, "\(location) holds \(stored.size) bytes, but Twilio gives the recording's size as \(size); it is another or an unfinished object. Check the bucket.")
        }
        return MediaDownload(path: path, bytes: stored.size, reused: false, attempts: 1)
    }

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
