#if canImport(Glibc)
import Glibc
#endif

/// A download target written the way every callprep output is: into a temporary file beside the
/// destination, renamed over it only when complete, removed if anything fails, so the
/// destination is either the whole object or untouched.
final class AtomicDownloadFile {
    let destination: String
    private let temporaryPath: String
    private let file: OpenFile
    private var finished = false

    /// Creates the temporary file in the destination's folder.
    init(destination: String) throws(ObjectStoreError) {
        let slash = destination.lastIndex(of: "/")
        let folder = slash.map { String(destination[..<$0]) } ?? "."
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        let temporaryPath = (folder.isEmpty ? "" : folder) + "/." + name + ".partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.destination = destination
        self.temporaryPath = temporaryPath
        self.file = try OpenFile.creating(temporaryPath)
    }

    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        let result: Result<Void, ObjectStoreError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(ObjectStoreError) in try file.write(buffer) }
        }
        try result.get()
    }

    /// Flushes the bytes to disk and renames the file into place.
    func commit() throws(ObjectStoreError) {
        do {
            try file.synchronize()
            try file.close()
        } catch {
            discard()
            throw error
        }
        guard rename(temporaryPath, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw ObjectStoreError(code: .fileError, message: "cannot move the download into place at \(destination): \(reason)")
        }
        finished = true
    }

    /// Removes the temporary file (after a failure); the destination is untouched.
    func discard() {
        guard !finished else { return }
        finished = true
        try? file.close()
        unlink(temporaryPath)
    }

    deinit { discard() }
}
