#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The readers take a path, so each input is written to one file per process (in `$TMPDIR`,
/// else /tmp), overwritten for every input and removed after it.
public enum ScratchFile {
    /// `callprep-fuzz-PID.EXT`: the extension is the format's, so no `misleading_extension`
    /// note path is taken that a real file would not take.
    public static func path(extension ext: String) -> String {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(folder)/callprep-fuzz-\(getpid()).\(ext)"
    }

    /// Writes `bytes` to the scratch file, runs `body` with its path and removes the file.
    public static func with(_ bytes: UnsafeRawBufferPointer, extension ext: String, _ body: (String) -> Void) {
        let path = path(extension: ext)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("fuzz: cannot create \(path): errno \(errno)") }
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            guard n > 0 else { fatalError("fuzz: cannot write \(path): errno \(errno)") }
            written += n
        }
        close(fd)
        body(path)
        unlink(path)
    }
}
