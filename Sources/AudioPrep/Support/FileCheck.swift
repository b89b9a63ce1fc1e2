#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks, before any decoder sees it, that a path names a readable regular file, so that each
/// kind of bad path gets its own clear error instead of a decoder's generic "cannot open".
enum FileCheck {
    /// Returns the file's size in bytes, or throws an error that names the problem and the fix.
    /// The corresponding C calls are `stat` and `access`.
    static func regularFileSize(at path: String) throws(AudioPrepError) -> Int64 {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw AudioPrepError(.fileNotFound, path: path, "no such file; check the path.")
            }
            throw AudioPrepError(
                .unreadable, path: path, "cannot read the file (\(String(cString: strerror(code)))).")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw AudioPrepError(.notAFile, path: path, "is a directory; give an audio file inside it.")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw AudioPrepError(
                .notAFile, path: path, "is not a regular file (a device, pipe or socket); give an audio file.")
        }
        guard access(path, R_OK) == 0 else {
            throw AudioPrepError(
                .unreadable, path: path,
                "permission denied; make the file readable (chmod +r) or run as a user who can read it.")
        }
        guard st.st_size > 0 else {
            throw AudioPrepError(.emptyFile, path: path, "the file is empty (0 bytes); it holds no audio.")
        }
        return Int64(st.st_size)
    }
}
