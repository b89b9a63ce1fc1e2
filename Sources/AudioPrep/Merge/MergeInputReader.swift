/// How a `Merger` opens its input files: each once, for both its facts (the manifest, the
/// length check) and its decoded audio. The default uses AudioPrep's format readers; tests and
/// pipelines with their own sources can supply others.
public struct MergeInputReader: Sendable {
    /// Opens the file at the path: its facts and its decoder, from one parse.
    public var open: @Sendable (String) throws(AudioPrepError) -> AudioInput

    public init(open: @escaping @Sendable (String) throws(AudioPrepError) -> AudioInput) {
        self.open = open
    }

    /// AudioPrep's own readers (`AudioInput.open`).
    public static let standard = MergeInputReader(
        open: { path throws(AudioPrepError) in try AudioInput.open(path: path) })
}
