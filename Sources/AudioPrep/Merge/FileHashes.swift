import Dispatch
import Foundation

/// SHA-256 of files, computed on a background queue while other work runs: the inputs during
/// the merge, the output while it is flushed to disk and validated.
final class FileHashes: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var results: [Result<String, AudioPrepError>]

    init(paths: [String]) {
        results = paths.map { _ in .success("") }
        for (index, path) in paths.enumerated() {
            DispatchQueue.global(qos: .utility).async(group: group) {
                let result = Result { () throws(AudioPrepError) in try FileDigest.sha256(path: path) }
                self.lock.lock()
                self.results[index] = result
                self.lock.unlock()
            }
        }
    }

    /// The hashes in the order of `paths`, once all are done.
    func wait() throws(AudioPrepError) -> [String] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return try results.map { result throws(AudioPrepError) in try result.get() }
    }
}
