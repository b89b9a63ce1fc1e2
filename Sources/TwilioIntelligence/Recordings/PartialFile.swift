#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CallPrepJSON
import Crypto
import Synchronization

/// The file a download streams into: created empty (replacing a leftover), appended to by the
/// transport, hashed (SHA-256) as it is written, flushed to disk before it is renamed into place
/// (unless the caller reads it once and deletes it: see ``MediaDownloader``). Plain
/// `open`/`write`/`fsync`, so the library needs no more of Foundation than FoundationEssentials.
final class PartialFile: Sendable {
    private struct State {
        var descriptor: Int32
        var written: Int64 = 0
        var hasher = SHA256()
    }

    private let state: Mutex<State>
    private let path: String
    private let subject: String

    init(path: String, subject: String) throws(MediaDownloadError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MediaDownloadError(.fileError, subject: path, "cannot create the download of \(subject) here (\(Self.reason(errno))); check that the folder exists and is writable.")
        }
        self.path = path
        self.subject = subject
        state = Mutex(State(descriptor: descriptor))
    }

    deinit { close() }

    /// Appends a piece of the body (written before the call returns: the transport's buffer is
    /// only lent for the call).
    @Sendable func append(_ bytes: UnsafeRawBufferPointer) throws {
        try state.withLock { (state: inout State) throws(MediaDownloadError) in
            guard state.descriptor >= 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let count = write(state.descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw MediaDownloadError(.fileError, subject: path, "writing the download of \(subject) failed (\(Self.reason(errno))); check the free space.")
                }
                offset += count
            }
            state.hasher.update(bufferPointer: bytes)
            state.written += Int64(bytes.count)
        }
    }

    /// Bytes appended so far.
    var bytesWritten: Int64 { state.withLock { $0.written } }

    /// SHA-256 of the bytes appended so far, lower-case hex.
    var sha256: String {
        NumberText.hex(state.withLock { $0.hasher.finalize() })
    }

    /// Flushes the data to disk (`fsync(2)`) when `flush`; without it only the descriptor's
    /// state is checked, and the page cache keeps the bytes for the reader that comes next.
    func finish(flush: Bool) throws(MediaDownloadError) {
        let failure: Int32? = state.withLock { state in
            guard flush, state.descriptor >= 0, fsync(state.descriptor) != 0 else { return nil }
            return errno
        }
        if let failure {
            throw MediaDownloadError(.fileError, subject: path, "flushing the download of \(subject) failed (\(Self.reason(failure))); check the free space.")
        }
    }

    /// Closes the file (idempotent).
    func close() {
        state.withLock { state in
            if state.descriptor >= 0 { closeDescriptor(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// The C library's words for an `errno`, in lower case to sit inside a sentence.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}

/// `close(2)`, out of reach of the method of the same name.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
