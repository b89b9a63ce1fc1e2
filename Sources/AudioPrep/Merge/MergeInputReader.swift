/// How a `Merger` opens its input files: each once, for both its facts (the manifest, the
/// length check) and its decoded audio. The default uses AudioPrep's format readers; tests and
/// pipelines with their own sources can supply others.
public struct MergeInputReader: Sendable {
    /// Opens the file at the path: its facts and its decoder, from one parse.
    public var open: @Sendable (String) throws(AudioPrepError) -> AudioInput
    /// The SHA-256 (lower-case hex) of the file at the path when the caller already has it —
    /// computed from the bytes as it wrote them (a download) — which the manifest then records
    /// instead of the merge reading the file again; nil (or anything but 64 lower-case hex
    /// digits): the merge hashes the file.
    public var knownSHA256: @Sendable (String) -> String?

    public init(open: @escaping @Sendable (String) throws(AudioPrepError) -> AudioInput,
                knownSHA256: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.open = open
        self.knownSHA256 = knownSHA256
    }

    /// AudioPrep's own readers (`AudioInput.open`).
    public static let standard = MergeInputReader(
        open: { path throws(AudioPrepError) in try AudioInput.open(path: path) })
}
