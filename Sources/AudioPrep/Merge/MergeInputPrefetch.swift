/// Inputs of a merge opened ahead of it, each on a thread of its own, while the caller is still
/// busy with something else — `callprep room` starts each recording as soon as its download is
/// complete, while the other downloads go on.
///
/// Opening is the merge's first step, and for a Matroska recording it is a scan of every block
/// header (the exact length before anything is decoded: `MatroskaReader`), about 60 ms for a
/// 60-minute Opus track. Done here, the scans overlap the downloads and each other instead of
/// running one after another when the merge starts.
///
/// ``reader`` hands the merge what was opened: a path started here is waited for and given out
/// once (its failure, if it failed, is thrown then, exactly as the merge's own open would);
/// a path never started is opened on the caller's thread. Inputs never asked for are closed
/// when the prefetch is released. A SHA-256 given with a path (a download's, computed as its
/// bytes were written) goes into the manifest without the merge reading the file again.
public final class MergeInputPrefetch: @unchecked Sendable {
    private let condition = ConditionLock()
    private let base: MergeInputReader
    private var opened: [String: Result<AudioInput, AudioPrepError>] = [:]
    private var opening: Set<String> = []
    private var hashes: [String: String] = [:]

    /// - Parameter reader: how each file is opened (AudioPrep's own readers by default).
    public init(reader: MergeInputReader = .standard) {
        base = reader
    }

    /// Starts opening `path` on a new thread and returns at once. A path already started (and
    /// not yet handed out) is not opened twice. `sha256`: the file's hash when the caller has it
    /// (lower-case hex of exactly the bytes in the file).
    public func start(_ path: String, sha256: String? = nil) {
        condition.lock()
        if let sha256 { hashes[path] = sha256 }
        let fresh = opened[path] == nil && !opening.contains(path)
        if fresh { opening.insert(path) }
        condition.unlock()
        guard fresh else { return }
        DetachedThread.start(name: "callprep-open") { [self, base] in
            let result = Result { () throws(AudioPrepError) in try base.open(path) }
            condition.lock()
            opened[path] = result
            opening.remove(path)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The reader to give the `Merger`: what was started here, waited for if still opening,
    /// else the base reader on the merge's thread.
    public var reader: MergeInputReader {
        MergeInputReader(
            open: { path throws(AudioPrepError) in try self.take(path) },
            knownSHA256: { path in self.knownHash(path) })
    }

    private func knownHash(_ path: String) -> String? {
        condition.lock()
        defer { condition.unlock() }
        return hashes[path]
    }

    private func take(_ path: String) throws(AudioPrepError) -> AudioInput {
        condition.lock()
        while opening.contains(path) { condition.wait() }
        let result = opened.removeValue(forKey: path)
        condition.unlock()
        guard let result else { return try base.open(path) }
        return try result.get()
    }
}
