/// What a store knows about one stored object.
public struct StoredObject: Sendable, Equatable, CustomStringConvertible {
    /// The object's size in bytes.
    public let size: Int64
    /// The store's entity tag, without quotes (for a multipart upload, S3's `…-N` form).
    public let etag: String
    /// The SHA-256 of the content (64 lowercase hex digits) stored with the object when callprep
    /// uploaded it, or `nil` for an object stored some other way.
    public let sha256: String?
    /// The stored `Content-Type`, if the store reported one.
    public let contentType: String?

    /// Creates a description of a stored object.
    public init(size: Int64, etag: String, sha256: String?, contentType: String?) {
        self.size = size
        self.etag = etag
        self.sha256 = sha256
        self.contentType = contentType
    }

    /// `12345 bytes, etag "…", sha256 …`.
    public var description: String {
        "\(size) bytes, etag \"\(etag)\"" + (sha256.map { ", sha256 \($0)" } ?? "") + (contentType.map { ", \($0)" } ?? "")
    }
}

/// How far an upload has come: bytes the store has confirmed so far out of the file's size.
/// Reports only grow: a multipart upload reports each part when the store confirmed it, a
/// single PUT once, when it is stored.
public struct UploadProgress: Sendable, Equatable {
    /// Bytes the store has confirmed so far.
    public let bytesSent: Int64
    /// The file's size.
    public let totalBytes: Int64

    /// Creates a progress report.
    public init(bytesSent: Int64, totalBytes: Int64) {
        self.bytesSent = bytesSent
        self.totalBytes = totalBytes
    }
}
