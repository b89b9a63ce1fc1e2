import ObjectStore

/// Where an upload goes: `s3://BUCKET/KEY` as given, or, for a prefix (a key that is empty or
/// ends in `/`), the prefix followed by the file's own name.
enum UploadDestination {
    /// `s3://calls/2024/` + `/tmp/out/call.flac` → `s3://calls/2024/call.flac`.
    static func location(_ text: String, forFile path: String) throws(ObjectStoreError) -> ObjectLocation {
        try ObjectLocation(parsing: text).appendingFileName(fileName(path))
    }

    /// The last path component of `path`.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
