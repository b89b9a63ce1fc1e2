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
        let given = paths.map { known($0).flatMap { Self.isSHA256Hex($0) ? $0 : nil } }
        results = Mutex(given.map { .success($0 ?? "") })
        for (index, path) in paths.enumerated() where given[index] == nil {
            DispatchQueue.global(qos: .utility).async(group: group) {
                let result = Result { () throws(AudioPrepError) in try FileDigest.sha256(path: path) }
                self.results.withLock { $0[index] = result }
            }
        }
    }

    /// Whether `text` reads as a SHA-256 digest as FileDigest writes it.
    static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The hashes in the order of `paths`, once all are done.
    func wait() throws(AudioPrepError) -> [String] {
        group.wait()
        let results = self.results.withLock { $0 }
        return try results.map { result throws(AudioPrepError) in try result.get() }
    }
}
