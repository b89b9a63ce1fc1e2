#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether two paths name the same file, seen through symlinks, `..` and hard links.
public enum PathIdentity {
    /// True when both exist and share device and inode (`stat(2)`), or when their canonical
    /// forms (`realpath(3)` of the folder plus the name) are equal.
    public static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        if stat(first, &a) == 0, stat(second, &b) == 0 {
            return a.st_dev == b.st_dev && a.st_ino == b.st_ino
        }
        return canonical(first) == canonical(second)
    }

    /// The canonical path of a file that may not exist yet: the real path of its folder plus
    /// its name.
    public static func canonical(_ path: String) -> String {
        let folder = AtomicOutputFile.folder(of: path)
        let name = AtomicOutputFile.fileName(of: path)
        guard let resolved = realpath(folder, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }

    /// The last path component.
    public static func fileName(_ path: String) -> String { AtomicOutputFile.fileName(of: path) }
}
