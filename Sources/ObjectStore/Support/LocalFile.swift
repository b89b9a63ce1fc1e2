import Crypto
import Foundation

/// A regular file read for upload: opened once per reader, its size taken when opened, read in
/// chunks of at most ``chunkSize`` bytes so memory stays flat whatever the file's size.
struct LocalFile: Sendable {
    /// Bytes read (and sent) at a time.
    static let chunkSize = 1 << 20

    let path: String
    let size: Int64

    /// Checks that `path` is a readable regular file and takes its size.
    init(path: String) throws(ObjectStoreError) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ObjectStoreError(code: .fileError, message: "cannot read \(path): no such file or no permission; check the path")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular, let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw ObjectStoreError(code: .fileError, message: "\(path) is not a regular file; upload a file, not a folder or device")
        }
        self.path = path
        self.size = size
    }

    /// Opens the file positioned at `offset`.
    func open(at offset: Int64 = 0) throws(ObjectStoreError) -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ObjectStoreError(code: .fileError, message: "cannot open \(path) for reading; check its permissions")
        }
        do {
            try handle.seek(toOffset: UInt64(offset))
        } catch {
            try? handle.close()
            throw ObjectStoreError(code: .fileError, message: "cannot seek to byte \(offset) of \(path): \(error.localizedDescription)")
        }
        return handle
    }

    /// Reads exactly `length` bytes from `offset` in chunks, handing each to `body`; a file that
    /// became shorter since it was opened is an error (it changed while being uploaded).
    func forEachChunk(offset: Int64, length: Int64, _ body: (Data) throws(ObjectStoreError) -> Void) throws(ObjectStoreError) {
        let handle = try open(at: offset)
        defer { try? handle.close() }
        var remaining = length
        while remaining > 0 {
            let want = Int(min(remaining, Int64(Self.chunkSize)))
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: want) ?? Data()
            } catch {
                throw ObjectStoreError(code: .fileError, message: "reading \(path) failed: \(error.localizedDescription)")
            }
            guard !chunk.isEmpty else {
                throw ObjectStoreError(
                    code: .fileChanged,
                    message: "\(path) ended \(remaining) bytes early: it changed while being uploaded; upload it again once it is complete")
            }
            try body(chunk)
            remaining -= Int64(chunk.count)
        }
    }

    /// The SHA-256 of `length` bytes from `offset`.
    func sha256(offset: Int64, length: Int64) throws(ObjectStoreError) -> SHA256.Digest {
        var hasher = SHA256()
        try forEachChunk(offset: offset, length: length) { chunk in hasher.update(data: chunk) }
        return hasher.finalize()
    }
}
