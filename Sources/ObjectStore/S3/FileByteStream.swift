import Crypto
import NIOConcurrencyHelpers
import NIOCore

/// A byte range of a file as the body of a request: read in chunks of ``LocalFile/chunkSize`` as
/// the connection takes them (so memory stays flat), and checked against the SHA-256 it was
/// announced with before its last chunk goes out. A file that changed since it was hashed fails
/// the request with ``ObjectStoreError/Code/fileChanged`` before the server has the whole body,
/// so nothing wrong is stored; the error is kept in ``failure`` for the sender to report.
struct FileByteStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let file: LocalFile
    let offset: Int64
    let length: Int64
    /// The SHA-256 the range must have, lowercase hex.
    let expectedSHA256: String
    /// The error that ended the stream, if any, for the sender (the HTTP client may wrap it).
    let failure = NIOLockedValueBox<ObjectStoreError?>(nil)

    func makeAsyncIterator() -> Iterator {
        Iterator(stream: self)
    }

    final class Iterator: AsyncIteratorProtocol {
        private let stream: FileByteStream
        private var file: OpenFile?
        private var remaining: Int64
        private var hasher = SHA256()
        private var finished = false

        init(stream: FileByteStream) {
            self.stream = stream
            remaining = stream.length
        }

        func next() async throws -> ByteBuffer? {
            do {
                return try produce()
            } catch {
                finished = true
                stream.failure.withLockedValue { $0 = error }
                throw error
            }
        }

        /// The next chunk, or `nil` after the last one has been read and verified.
        private func produce() throws(ObjectStoreError) -> ByteBuffer? {
            guard !finished else { return nil }
            if remaining == 0 {
                finished = true
                try verify()
                return nil
            }
            let file: OpenFile
            if let open = self.file {
                file = open
            } else {
                file = try stream.file.open()
                self.file = file
            }
            let want = Int(Swift.min(remaining, Int64(LocalFile.chunkSize)))
            let position = stream.offset + (stream.length - remaining)
            let chunk = try file.read(upTo: want, at: position)
            guard !chunk.isEmpty else {
                throw ObjectStoreError(
                    code: .fileChanged,
                    message: "\(stream.file.path) became shorter while being uploaded; upload it again once it is complete")
            }
            hasher.update(data: chunk)
            remaining -= Int64(chunk.count)
            if remaining == 0 {
                finished = true
                try verify()
            }
            return ByteBuffer(bytes: chunk)
        }

        private func verify() throws(ObjectStoreError) {
            guard SHA256Text.hex(hasher.finalize()) == stream.expectedSHA256 else {
                throw ObjectStoreError(
                    code: .fileChanged,
                    message: "\(stream.file.path) changed after it was hashed (bytes \(stream.offset)–\(stream.offset + stream.length) differ); nothing was stored; upload it again once it is complete")
            }
        }
    }
}
