/// A failure of callprep's own upload steps (before or after the object store is asked):
/// the merged file changed since the merge, or the manifest does not say which file to upload.
/// Printed in the one error shape (``ErrorJSON``) with `code` and `path`.
struct UploadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier for the kind of failure.
    let code: String
    /// The file concerned.
    let path: String
    /// What went wrong and what to do about it.
    let message: String

    /// The file's bytes are not the ones the manifest recorded: refused before anything is sent.
    static func mediaChanged(_ path: String, _ message: String) -> UploadError {
        UploadError(code: "media_changed", path: path, message: message)
    }

    /// The manifest lacks what `--upload` needs (the output's path, size and SHA-256).
    static func manifestWithoutOutput(_ path: String, _ message: String) -> UploadError {
        UploadError(code: "invalid_manifest", path: path, message: message)
    }

    var description: String { "\(path): \(message)" }
}
