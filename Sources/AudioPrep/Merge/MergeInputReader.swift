/// How a `Merger` opens and describes its input files. The default uses AudioPrep's decoders
/// and probe; tests and pipelines with their own sources can supply others.
public struct MergeInputReader: Sendable {
    /// Opens a decoder for the file at the path.
    public var open: @Sendable (String) throws(AudioPrepError) -> any PCMSource
    /// Probes the file's format facts for the manifest (nil when unknown).
    public var probe: @Sendable (String) throws(AudioPrepError) -> AudioInfo?

    public init(
        open: @escaping @Sendable (String) throws(AudioPrepError) -> any PCMSource,
        probe: @escaping @Sendable (String) throws(AudioPrepError) -> AudioInfo?
    ) {
        self.open = open
        self.probe = probe
    }

    /// AudioPrep's own decoders (`AudioDecoder.open`) and probe (`AudioProbe.probe`).
    public static let standard = MergeInputReader(
        open: { path throws(AudioPrepError) in try AudioDecoder.open(path: path) },
        probe: { path throws(AudioPrepError) in try AudioProbe.probe(path: path) })
}
