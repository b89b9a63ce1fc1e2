/// The merge step's settings of one job (the `merge` object of a job line): the output rate
/// and how the two tracks are aligned. Absent fields take `callprep merge`'s defaults.
public struct JobMergeSettings: Sendable, Hashable {
    /// The output rate: a fixed rate in Hz, or the highest input rate.
    public enum SampleRate: Sendable, Hashable {
        case hertz(Int)
        case source
    }

    /// How the tracks are placed on the timeline (`callprep merge --align`).
    public enum Alignment: String, Sendable, Hashable, CaseIterable {
        case start, end, timestamps
    }

    /// The rates `callprep merge --sample-rate` accepts.
    public static let sampleRateRange = 8000...655_350

    /// nil: merge's default (16 kHz).
    public var sampleRate: SampleRate?
    /// nil: merge's default (timestamps when every input has them, else start).
    public var align: Alignment?

    public init(sampleRate: SampleRate? = nil, align: Alignment? = nil) {
        self.sampleRate = sampleRate
        self.align = align
    }
}
