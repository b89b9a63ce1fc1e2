import AudioPrep
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The merged file a merge manifest describes, as the merge recorded it: where it was written,
/// its size and its SHA-256. `submit --upload` uploads exactly this file, and only after
/// ``verified()`` found the same bytes on disk.
struct MergedMedia: Sendable, Hashable {
    /// The file to upload.
    var path: String
    /// The size the merge wrote, in bytes.
    var sizeBytes: Int64
    /// The SHA-256 (lowercase hex) the merge computed.
    var sha256: String

    /// The largest manifest read: a merge manifest is a few kilobytes.
    static let maximumManifestBytes = 4 << 20
    /// The largest file size believed: Intelligence takes at most 3 GB, 2^42 bytes is far past it.
    static let maximumSizeBytes: Int64 = 1 << 42

    /// Reads `output.path`, `output.size_bytes` and `output.sha256` from the manifest at
    /// `manifestPath`, each range-checked. A relative `output.path` is taken relative to the
    /// working folder (as `merge` wrote it); when no file is there, the file of that name beside
    /// the manifest is used, so a manifest moved together with its FLAC still works.
    init(manifestAt manifestPath: String) throws(UploadError) {
        struct Shape: Decodable {
            struct Output: Decodable {
                var path: String?
                var sizeBytes: Int64?
                var sha256: String?
                enum CodingKeys: String, CodingKey {
                    case path, sha256
                    case sizeBytes = "size_bytes"
                }
            }
            var output: Output?
        }
        let remedy = "Run `callprep merge` again to write a complete manifest, or upload with `callprep upload` and pass --media-url."
        let fd = open(manifestPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .manifestWithoutOutput(manifestPath, "cannot be opened; pass the OUT.manifest.json that `callprep merge` wrote beside the FLAC.")
        }
        defer { close(fd) }
        // At most one byte more than a manifest may have, to tell "too large" from "just fits".
        var bytes = [UInt8](repeating: 0, count: Self.maximumManifestBytes + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else {
                throw .manifestWithoutOutput(manifestPath, "cannot be read (\(ErrorText.fileProblem(errno, path: nil))).")
            }
            if n == 0 { break }
            filled += n
        }
        let data = Data(bytes[..<filled])
        guard data.count <= Self.maximumManifestBytes else {
            throw .manifestWithoutOutput(manifestPath, "is larger than \(Self.maximumManifestBytes >> 20) MiB, so it is not a merge manifest.")
        }
        guard let shape = try? JSONDecoder().decode(Shape.self, from: data), let output = shape.output,
              let recordedPath = output.path, !recordedPath.isEmpty, let size = output.sizeBytes, let sha = output.sha256
        else {
            throw .manifestWithoutOutput(manifestPath, "has no output.path, output.size_bytes and output.sha256 to upload. " + remedy)
        }
        guard (0...Self.maximumSizeBytes).contains(size) else {
            throw .manifestWithoutOutput(manifestPath, "output.size_bytes is \(size), not a file size. " + remedy)
        }
        guard NumberText.isSHA256Hex(sha) else {
            throw .manifestWithoutOutput(manifestPath, "output.sha256 is not 64 lowercase hex digits. " + remedy)
        }
        guard recordedPath != "-" else {
            throw .manifestWithoutOutput(manifestPath, "describes a merge written to standard output, so there is no file to upload. Merge to a file with -o OUT.flac.")
        }
        path = Self.locate(recordedPath, manifestPath: manifestPath)
        sizeBytes = size
        sha256 = sha
    }

    private static func locate(_ recorded: String, manifestPath: String) -> String {
        if recorded.hasPrefix("/") || FileManager.default.fileExists(atPath: recorded) { return recorded }
        let beside = URL(fileURLWithPath: manifestPath).deletingLastPathComponent()
            .appendingPathComponent(UploadDestination.fileName(recorded)).path
        return FileManager.default.fileExists(atPath: beside) ? beside : recorded
    }

    /// Checks the file on disk against the manifest (size first, then every byte through
    /// SHA-256) and returns its hash; throws `media_changed` if the file differs or is missing,
    /// so nothing is uploaded or submitted.
    func verified() throws -> String {
        let size: Int64
        do {
            size = try FileDigest.size(path: path)
        } catch {
            throw UploadError.mediaChanged(path, "is missing (\(error.message)); the manifest names it as the merged file. Run `callprep merge` again.")
        }
        guard size == sizeBytes else {
            throw UploadError.mediaChanged(path, "is \(size) bytes, but the manifest records \(sizeBytes): the file changed since the merge. Run `callprep merge` again, then submit.")
        }
        let actual = try FileDigest.sha256(path: path)
        guard actual == sha256 else {
            throw UploadError.mediaChanged(path, "has SHA-256 \(actual), but the manifest records \(sha256): the file changed since the merge. Run `callprep merge` again, then submit.")
        }
        return actual
    }
}
