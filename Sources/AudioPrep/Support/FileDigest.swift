import CallPrepJSON
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of a file's bytes, read in 256 KiB blocks (constant memory), via swift-crypto's `SHA256`.
public enum FileDigest {
    /// Returns the lowercase hex SHA-256 of the file at `path`.
    public static func sha256(path: String) throws(AudioPrepError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AudioPrepError(.unreadable, path: path, "cannot open the file to hash it (\(String(cString: strerror(errno)))).")
        }
        defer { close(fd) }
        var hasher = SHA256()
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { block.deallocate() }
        while true {
            let count = read(fd, block.baseAddress, block.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw AudioPrepError(.unreadable, path: path, "reading the file failed (\(String(cString: strerror(errno)))).")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: block[0..<count]))
        }
        return NumberText.hex(hasher.finalize())
    }

    /// The size of the file at `path` in bytes (`stat(2)`).
    public static func size(path: String) throws(AudioPrepError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AudioPrepError(.fileNotFound, path: path, "cannot stat the file (\(String(cString: strerror(errno)))).")
        }
        return Int64(info.st_size)
    }
}
