import ObjectStore
import TwilioIntelligence

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The account's own S3 bucket, where Twilio writes Video recordings when external storage is
/// on (`media_external_location` on each recording): read through ObjectStore's
/// ``S3ObjectStore`` with the bucket's own credentials and settings — the AWS environment,
/// `~/.aws` and room's `--s3-*` flags, resolved as `callprep upload` resolves them — never
/// Twilio's.
struct ExternalRecordingStore: Sendable {
    let store: any ObjectStore
    /// The store's endpoint: an object URL on another host is refused, so that the bucket's
    /// credentials go nowhere else.
    let endpoint: S3Endpoint
    private let close: @Sendable () async -> Void

    init(store: any ObjectStore, endpoint: S3Endpoint, close: @escaping @Sendable () async -> Void = {}) {
        self.store = store
        self.endpoint = endpoint
        self.close = close
    }

    /// Opens the S3 store `configuration` describes, for the recording `subject` (the first one
    /// that needs it, named in the error when the configuration is unusable: no credentials, an
    /// http endpoint without --allow-http, …). `observeRequest` is told each request's method
    /// and status (`serve` counts them in /metrics).
    static func open(for subject: String, observeRequest: S3ObjectStore.RequestObserver? = nil,
                     configuration: () throws(ObjectStoreError) -> S3Configuration) throws -> ExternalRecordingStore {
        do {
            let configuration = try configuration()
            let store = try S3ObjectStore(configuration: configuration, observeRequest: observeRequest)
            return ExternalRecordingStore(store: store, endpoint: configuration.endpoint, close: { await store.shutdown() })
        } catch {
            throw MediaDownloadError(.externalStorage, subject: subject, "is stored in the account's own S3 bucket (media_external_location), which needs that bucket's S3 settings: \(error.description) Configure them as for `callprep upload` (AWS_ACCESS_KEY_ID…, AWS_PROFILE, ~/.aws, --s3-endpoint-url, --s3-region, --s3-profile).")
        }
    }

    /// Closes the store's connections. Call once, after the last download.
    func shutdown() async {
        await close()
    }

    /// Downloads one recording (atomically, by the store: a temporary file renamed into place
    /// when complete), reusing a complete file already at `path`. An object whose size is not
    /// the recording's is refused before anything is written.
    func download(_ location: ObjectLocation, recording: VideoRecording, to path: String) async throws -> MediaDownload {
        if let size = recording.size, Self.fileSize(path) == size {
            return MediaDownload(path: path, bytes: size, reused: true, attempts: 0)
        }
        do {
            let stored = try await store.download(location, toFile: path, expectedSize: recording.size)
            return MediaDownload(path: path, bytes: stored.size, reused: false, attempts: 1)
        } catch where error.code == .sizeMismatch {
            throw MediaDownloadError(.sizeMismatch, subject: recording.sid, "\(error.message), but Twilio gives the recording's size as \(recording.size ?? 0) bytes; check the object in the bucket.")
        } catch {
            throw MediaDownloadError(.externalStorage, subject: recording.sid, "could not be downloaded from \(location): \(error.description)")
        }
    }

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
