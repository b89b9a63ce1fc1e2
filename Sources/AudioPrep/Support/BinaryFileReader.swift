#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file with positioned reads, for parsers that walk a file's structure.
///
/// It owns its file descriptor and closes it when released. Reads never allocate from sizes
/// found in the file: callers pass the buffer, and every read is bounded by the real file size.
final class BinaryFileReader {
    let path: String
    let size: Int64
    private let fd: Int32

    /// Opens `path` for reading. The corresponding C call is `open(2)`.
    init(path: String) throws(AudioPrepError) {
        self.path = path
        self.size = try FileCheck.regularFileSize(at: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AudioPrepError(.unreadable, path: path, "cannot open: \(String(cString: strerror(errno))).")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at
    /// the end of the file). The corresponding C call is `pread(2)`.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(AudioPrepError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, offset < size else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = pread(fd, base + total, buffer.count - total, off_t(offset) + off_t(total))
            if n < 0 {
                if errno == EINTR { continue }
                throw AudioPrepError(.unreadable, path: path, "read failed: \(String(cString: strerror(errno))).")
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Reads exactly `count` bytes at `offset` (at most `count`, which the caller bounds), or
    /// fewer at the end of the file.
    func bytes(at offset: Int64, count: Int) throws(AudioPrepError) -> [UInt8] {
        let available = max(0, min(Int64(count), size - offset))
        var out = [UInt8](repeating: 0, count: Int(available))
        let result = out.withUnsafeMutableBytes { raw in
            Result { () throws(AudioPrepError) -> Int in try read(at: offset, into: raw) }
        }
        let n = try result.get()
        if n < out.count { out.removeSubrange(n...) }
        return out
    }
}
