/// One TrackEntry of a Matroska/WebM Segment, with the fields callprep needs to decode audio.
public struct MatroskaTrack: Sendable, Hashable {
    /// The TrackNumber blocks refer to.
    public var number: UInt64
    /// TrackType: 1 video, 2 audio, 17 subtitle, …
    public var type: UInt64
    /// CodecID, e.g. `A_OPUS`, `A_MS/ACM`, `V_VP8`.
    public var codecID: String
    /// CodecPrivate bytes (OpusHead for Opus, WAVEFORMATEX for `A_MS/ACM`), at most 1 MiB.
    public var codecPrivate: [UInt8]
    /// CodecDelay in nanoseconds: subtract it from every block timestamp to get the time of the
    /// block's first decoded sample (Opus pre-skip included).
    public var codecDelayNanoseconds: Int64
    /// SeekPreRoll in nanoseconds (how much to decode before a seek target; informational).
    public var seekPreRollNanoseconds: Int64
    /// Audio/SamplingFrequency in Hz (0 when absent; Matroska's default is 8000).
    public var samplingFrequency: Double
    /// Audio/Channels (Matroska's default is 1).
    public var channels: Int
    /// Audio/BitDepth, when present.
    public var bitDepth: Int?
    /// True when the track declares ContentEncodings (compression or encryption), which
    /// callprep does not undo.
    public var hasContentEncodings: Bool

    /// TrackType 2.
    public var isAudio: Bool { type == 2 }
}

/// The global facts of a Matroska/WebM file: DocType, TimestampScale, tracks, and where the
/// Clusters start.
struct MatroskaSegmentLayout: Sendable {
    /// `matroska` or `webm`.
    var docType: String
    /// Nanoseconds per timestamp tick (Info/TimestampScale, default 1 000 000 = 1 ms).
    var timestampScale: Int64
    /// Info/Duration in ticks, when present (a float, informational only).
    var declaredDuration: Double?
    var tracks: [MatroskaTrack]
    /// The Segment's data range; the end is the file's end for an unknown-size Segment.
    var segmentDataOffset: Int64
    var segmentEnd: Int64
    /// The offset of the first Cluster.
    var firstClusterOffset: Int64
}
