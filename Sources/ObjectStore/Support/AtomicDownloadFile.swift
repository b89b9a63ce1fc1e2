import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download target written the way every callprep output is: into a temporary file beside the
/// destination, renamed over it only when complete, removed if anything fails, so the
/// destination is either the whole object or untouched.
final class AtomicDownloadFile {
    let destination: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var finished = false

    /// Creates the temporary file in the destination's folder.
    init(destination: String) throws(ObjectStoreError) {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let temporaryPath = folder + "/." + url.lastPathComponent + ".partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil), let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw ObjectStoreError(code: .fileError, message: "cannot create a file in \(folder); check that the folder exists and is writable")
        }
        self.destination = destination
        self.temporaryPath = temporaryPath
        self.handle = handle
    }

    /// Appends bytes.
    func write(_ bytes: some DataProtocol) throws(ObjectStoreError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ObjectStoreError(code: .fileError, message: "writing \(destination) failed: \(error.localizedDescription); check free space")
        }
    }

    /// Flushes the bytes to disk and renames the file into place.
    func commit() throws(ObjectStoreError) {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            discard()
            throw ObjectStoreError(code: .fileError, message: "writing \(destination) failed: \(error.localizedDescription); check free space")
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
        try? handle.close()
        unlink(temporaryPath)
    }

    deinit { discard() }
}
