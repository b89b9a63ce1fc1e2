/// An object's address: a bucket and a key, written `s3://BUCKET/KEY`.
///
/// A key that is empty or ends in `/` is a prefix (a "folder"), not an object: it is accepted
/// here so that a caller can complete it with ``appendingFileName(_:)``, and refused by every
/// store operation.
public struct ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name.
    public let bucket: String
    /// The object key (UTF-8, at most 1024 bytes), without a leading `/`.
    public let key: String

    /// A location from its parts, checked: a bucket of 3–255 characters from `a-z A-Z 0-9 . - _`
    /// (S3's own rule is stricter; other providers allow more), a key of at most 1024 UTF-8 bytes
    /// without control characters.
    public init(bucket: String, key: String) throws(ObjectStoreError) {
        try Self.checkBucket(bucket)
        try Self.checkKey(key)
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://BUCKET/KEY` (also `s3://BUCKET` and `s3://BUCKET/`, which are prefixes).
    public init(parsing uri: String) throws(ObjectStoreError) {
        let scheme = "s3://"
        guard uri.lowercased().hasPrefix(scheme) else {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "\"\(uri)\" is not an S3 location; write it as s3://BUCKET/KEY")
        }
        let rest = uri.dropFirst(scheme.count)
        let bucket: Substring
        let key: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            key = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            key = ""
        }
        try self.init(bucket: String(bucket), key: String(key))
    }

    /// Whether the key names a prefix (empty or ending in `/`) rather than an object.
    public var isPrefix: Bool { key.isEmpty || key.hasSuffix("/") }

    /// This prefix with `fileName` appended (`s3://b/calls/` + `a.flac` = `s3://b/calls/a.flac`);
    /// a location that already names an object is returned unchanged.
    public func appendingFileName(_ fileName: String) throws(ObjectStoreError) -> ObjectLocation {
        guard isPrefix else { return self }
        return try ObjectLocation(bucket: bucket, key: key + fileName)
    }

    /// `s3://BUCKET/KEY`.
    public var description: String { "s3://\(bucket)/\(key)" }

    /// Throws unless the location names an object (not a prefix); every store operation calls it.
    func requireObject() throws(ObjectStoreError) {
        if isPrefix {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "\(self) names a prefix, not an object; add the object's name after the last /")
        }
    }

    private static func checkBucket(_ bucket: String) throws(ObjectStoreError) {
        let allowed = bucket.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": true
            default: false
            }
        }
        guard (3...255).contains(bucket.count), allowed else {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "bucket name \"\(bucket)\" is not valid: use 3–255 characters from a-z, 0-9, '.', '-' and '_'")
        }
    }

    private static func checkKey(_ key: String) throws(ObjectStoreError) {
        guard key.utf8.count <= 1024 else {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "object key is \(key.utf8.count) bytes long; S3 allows at most 1024 bytes of UTF-8")
        }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "object key contains a control character; use printable characters only")
        }
        if key.hasPrefix("/") {
            throw ObjectStoreError(
                code: .invalidLocation,
                message: "object key \"\(key)\" starts with '/'; write s3://BUCKET/KEY with a single '/' after the bucket")
        }
    }
}
