import Foundation
import Synchronization

/// The file a download streams into: created empty (replacing a leftover), appended to by the
/// transport, flushed to disk before it is renamed into place.
final class PartialFile: Sendable {
    private struct State {
        var handle: FileHandle?
        var written: Int64 = 0
    }

    private let state: Mutex<State>
    private let path: String
    private let subject: String

    init(path: String, subject: String) throws(MediaDownloadError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw MediaDownloadError(.fileError, subject: path, "cannot create the download of \(subject) here; check that the folder exists and is writable.")
        }
        self.path = path
        self.subject = subject
        state = Mutex(State(handle: handle))
    }

    /// Appends a piece of the body.
    @Sendable func append(_ bytes: [UInt8]) throws {
        try state.withLock { state in
            guard let handle = state.handle else { return }
            do {
                try handle.write(contentsOf: bytes)
            } catch {
                throw MediaDownloadError(.fileError, subject: path, "writing the download of \(subject) failed (\(error.localizedDescription)); check the free space.")
            }
            state.written += Int64(bytes.count)
        }
    }

    /// Bytes appended so far.
    var bytesWritten: Int64 { state.withLock { $0.written } }

    /// Flushes the data to disk.
    func finish() throws(MediaDownloadError) {
        let failure: (any Error)? = state.withLock { state in
            do { try state.handle?.synchronize() } catch { return error }
            return nil
        }
        if let failure {
            throw MediaDownloadError(.fileError, subject: path, "flushing the download of \(subject) failed (\(failure.localizedDescription)); check the free space.")
        }
    }

    /// Closes the file (idempotent).
    func close() {
        state.withLock { state in
            try? state.handle?.close()
            state.handle = nil
        }
    }
}
