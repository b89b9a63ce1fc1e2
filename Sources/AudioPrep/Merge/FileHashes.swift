import CallPrepJSON
import Dispatch
import Synchronization

/// SHA-256 of files, computed on a background queue while other work runs: the inputs during
/// the merge, the output while it is flushed to disk and validated.
final class FileHashes: Sendable {
    private let group = DispatchGroup()
    private let results: Mutex<[Result<String, AudioPrepError>]>

    /// Starts hashing `paths`, except those `known` has a hash for: 64 lower-case hex digits,
    /// taken as they are (anything else is ignored, and the file hashed here).
    init(paths: [String], known: (String) -> String? = { _ in nil }) {
        let given = paths.map { known($0).flatMap { NumberText.isSHA256Hex($0) ? $0 : nil } }
        results = Mutex(given.map { .success($0 ?? "") })
        for (index, path) in paths.enumerated() where given[index] == nil {
            DispatchQueue.global(qos: .utility).async(group: group) {
                let result = Result { () throws(AudioPrepError) in try FileDigest.sha256(path: path) }
                self.results.withLock { $0[index] = result }
            }
        }
    }

    /// The hashes in the order of `paths`, once all are done.
    func wait() throws(AudioPrepError) -> [String] {
        group.wait()
        let results = self.results.withLock { $0 }
        return try results.map { result throws(AudioPrepError) in try result.get() }
    }
}
