import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A regular file read for upload: opened once per reader, its size taken when opened, read in
/// chunks of at most ``chunkSize`` bytes so memory stays flat whatever the file's size.
struct LocalFile: Sendable {
    /// Bytes read (and sent) at a time.
    static let chunkSize = 1 << 20

    let path: String
    let size: Int64

    /// Checks that `path` is a readable regular file and takes its size.
    init(path: String) throws(ObjectStoreError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ObjectStoreError(code: .fileError, message: "cannot read \(path): no such file or no permission; check the path")
        }
        guard status.st_mode & S_IFMT == S_IFREG, status.st_size >= 0 else {
            throw ObjectStoreError(code: .fileError, message: "\(path) is not a regular file; upload a file, not a folder or device")
        }
        self.path = path
        self.size = Int64(status.st_size)
    }

    /// Opens the file for reading; reads name their offset (`pread(2)`).
    func open() throws(ObjectStoreError) -> OpenFile {
        try OpenFile.reading(path)
    }

    /// Reads exactly `length` bytes from `offset` in chunks, handing each to `body`; a file that
    /// became shorter since it was opened is an error (it changed while being uploaded).
    func forEachChunk(offset: Int64, length: Int64, _ body: ([UInt8]) throws(ObjectStoreError) -> Void) throws(ObjectStoreError) {
        let file = try open()
        var position = offset
        var remaining = length
        while remaining > 0 {
            let want = Int(min(remaining, Int64(Self.chunkSize)))
            let chunk = try file.read(upTo: want, at: position)
            guard !chunk.isEmpty else {
                throw ObjectStoreError(
                    code: .fileChanged,
                    message: "\(path) ended \(remaining) bytes early: it changed while being uploaded; upload it again once it is complete")
            }
            try body(chunk)
            position += Int64(chunk.count)
            remaining -= Int64(chunk.count)
        }
    }

    /// Reads exactly `length` bytes from `offset` into one buffer, in chunks of at most
    /// ``chunkSize`` bytes, and hands each chunk to `observe` as soon as it is read (so it is
    /// hashed while still in the CPU's cache). The buffer is what gets sent: these bytes are read
    /// from the disk once. A file that became shorter since it was opened is an error (it changed
    /// while being uploaded).
    func read(offset: Int64, length: Int, observing observe: (UnsafeRawBufferPointer) -> Void) throws(ObjectStoreError) -> ByteBuffer {
        let file = try open()
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        while buffer.readableBytes < length {
            let want = min(length - buffer.readableBytes, Self.chunkSize)
            let position = offset + Int64(buffer.readableBytes)
            var failure: ObjectStoreError?
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { space in
                do throws(ObjectStoreError) {
                    let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: space[..<want]), at: position)
                    observe(UnsafeRawBufferPointer(rebasing: space[..<count]))
                    return count
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            guard count > 0 else {
                throw ObjectStoreError(
                    code: .fileChanged,
                    message: "\(path) ended \(length - buffer.readableBytes) bytes early: it changed while being uploaded; upload it again once it is complete")
            }
        }
        return buffer
    }
}
