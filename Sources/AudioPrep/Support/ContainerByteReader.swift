#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only, seekable view of a container file for the Matroska and MP4 demuxers.
///
/// Every read is bounded twice: by the real file size (a size field that points past the end of
/// the file is reported as truncation, never followed) and by a caller-supplied cap (so no
/// allocation is ever sized from untrusted bytes alone). Small reads are served from a window
/// cache, because demuxers read many tiny headers in file order.
/// The reader owns its file descriptor and closes it when released.
final class ContainerByteReader {
    /// The file, for error messages.
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int64

    private let fd: Int32
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    private static let windowSize = 64 * 1024

    /// Opens `path` for reading with `open(2)` and records its size with `fstat(2)`.
    init(path: String) throws(AudioPrepError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            let code: AudioPrepError.Code = errno == ENOENT ? .fileNotFound : .unreadable
            throw AudioPrepError(code, path: path, "cannot open the file (\(reason)); check the path and permissions.")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw AudioPrepError(.unreadable, path: path, "cannot read the file's size; check permissions.")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw AudioPrepError(.notAFile, path: path, "is not a regular file; pass an audio file.")
        }
        self.fd = fd
        self.size = Int64(info.st_size)
        OpenCounter.record(.containerFileOpened)
    }

    deinit { close(fd) }

    /// Returns exactly `count` bytes starting at `offset`.
    ///
    /// Throws `corruptFile` when the range runs past the end of the file, and `corruptFile` when
    /// `count` exceeds `limit` — `what` names the structure being read, for the message.
    func bytes(at offset: Int64, count: Int, limit: Int, what: String) throws(AudioPrepError) -> [UInt8] {
        guard count >= 0, offset >= 0 else {
            throw corrupt("\(what) has a negative size or position")
        }
        guard count <= limit else {
            throw corrupt("\(what) claims \(count) bytes, more than the \(limit) callprep accepts")
        }
        guard Int64(count) <= size - offset else {
            throw truncated(what: what, offset: offset, count: Int64(count))
        }
        if count == 0 { return [] }
        if count <= Self.windowSize / 4 {
            if offset < windowStart || offset + Int64(count) > windowStart + Int64(window.count) {
                try fillWindow(at: offset)
            }
            let start = Int(offset - windowStart)
            return Array(window[start..<(start + count)])
        }
        var out = [UInt8](repeating: 0, count: count)
        let got = out.withUnsafeMutableBytes { preadFully(into: $0, at: offset) }
        guard got >= 0 else { throw readFailed(errno: Int32(-got)) }
        guard got == count else { throw truncated(what: what, offset: offset, count: Int64(count)) }
        return out
    }

    /// Returns up to `count` bytes at `offset` (fewer only at the end of the file).
    func bytesUpTo(at offset: Int64, count: Int, what: String) throws(AudioPrepError) -> [UInt8] {
        guard offset >= 0, offset < size else { return [] }
        let available = Int(min(Int64(count), size - offset))
        return try bytes(at: offset, count: available, limit: count, what: what)
    }

    /// An error for a structure that `what` describes as damaged, naming the file.
    func corrupt(_ what: String) -> AudioPrepError {
        AudioPrepError(.corruptFile, path: path, "\(what); the file is damaged or not what it claims to be. Re-download or re-export it.")
    }

    private func truncated(what: String, offset: Int64, count: Int64) -> AudioPrepError {
        AudioPrepError(
            .corruptFile, path: path,
            "\(what) at byte \(offset) needs \(count) bytes but the file ends at byte \(size); the file is truncated or its sizes are wrong. Re-download it, or let the recording finish before downloading.")
    }

    private func fillWindow(at offset: Int64) throws(AudioPrepError) {
        let length = Int(min(Int64(Self.windowSize), size - offset))
        var buffer = [UInt8](repeating: 0, count: length)
        let got = buffer.withUnsafeMutableBytes { preadFully(into: $0, at: offset) }
        guard got >= 0 else { throw readFailed(errno: Int32(-got)) }
        buffer.removeLast(length - got)
        window = buffer
        windowStart = offset
    }

    private func readFailed(errno code: Int32) -> AudioPrepError {
        AudioPrepError(.unreadable, path: path, "reading failed (\(String(cString: strerror(code)))); check the disk and try again.")
    }

    /// Fills `buffer` with `pread(2)`, retrying on `EINTR`; returns the bytes read, or `-errno`.
    private func preadFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = pread(fd, base + total, buffer.count - total, off_t(offset + Int64(total)))
            if n < 0 {
                if errno == EINTR { continue }
                return -Int(errno)
            }
            if n == 0 { break }
            total += n
        }
        return total
    }
}
