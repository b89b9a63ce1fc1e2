#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor this module opened, closed when released: what ``LocalFile`` reads uploads
/// through and ``AtomicDownloadFile`` writes downloads through. `open(2)`, `pread(2)` and
/// `write(2)` directly, because `FileHandle` would link the full Foundation (ICU's data
/// included) into the static binary (Docs/Development.md, "FoundationEssentials only").
final class OpenFile {
    let descriptor: Int32
    /// The path it was opened with, for messages.
    let path: String
    private var closed = false

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens `path` for reading.
    static func reading(_ path: String) throws(ObjectStoreError) -> OpenFile {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ObjectStoreError(code: .fileError, message: "cannot open \(path) for reading (\(errorText(errno))); check the path and its permissions")
        }
        return OpenFile(descriptor: descriptor, path: path)
    }

    /// Creates `path`, which must not exist yet, for writing (mode 0644 less the umask).
    static func creating(_ path: String) throws(ObjectStoreError) -> OpenFile {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ObjectStoreError(code: .fileError, message: "cannot create \(path) (\(errorText(errno))); check that the folder exists and is writable")
        }
        return OpenFile(descriptor: descriptor, path: path)
    }

    /// Up to `count` bytes from byte `offset` (fewer only at the end of the file; none past it).
    func read(upTo count: Int, at offset: Int64) throws(ObjectStoreError) -> [UInt8] {
        var failure: ObjectStoreError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ObjectStoreError) {
                initialized = try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills `buffer` from byte `offset` (`pread(2)`) and returns how many bytes were read: all
    /// of `buffer.count`, fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ObjectStoreError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset) + off_t(filled))
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else {
                throw ObjectStoreError(code: .fileError, message: "reading \(path) failed (\(Self.errorText(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ObjectStoreError) {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw ObjectStoreError(code: .fileError, message: "writing \(path) failed (\(Self.errorText(errno))); check free space")
            }
            written += n
        }
    }

    /// Flushes the written bytes to the disk (`fsync(2)`).
    func synchronize() throws(ObjectStoreError) {
        guard fsync(descriptor) == 0 else {
            throw ObjectStoreError(code: .fileError, message: "writing \(path) failed (\(Self.errorText(errno))); check free space")
        }
    }

    /// Closes the descriptor (idempotent); a failed close of a written file is an error.
    func close() throws(ObjectStoreError) {
        guard !closed else { return }
        closed = true
        guard Glibc.close(descriptor) == 0 else {
            throw ObjectStoreError(code: .fileError, message: "closing \(path) failed (\(Self.errorText(errno)))")
        }
    }

    deinit {
        if !closed { _ = Glibc.close(descriptor) }
    }

    /// `strerror` of `code`.
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
