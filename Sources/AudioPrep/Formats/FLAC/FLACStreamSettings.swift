/// What a `FLACEncoder` writes: always 2 channels of 16-bit samples.
public struct FLACStreamSettings: Sendable, Hashable {
    /// Samples per second per channel.
    public var sampleRate: Int
    /// The exact number of frames (samples per channel) that will be appended; STREAMINFO and
    /// the SEEKTABLE are laid out from it before the first sample arrives.
    public var totalFrames: Int64
    /// libFLAC's compression preset, 0…8 (`FLAC__stream_encoder_set_compression_level`).
    public var compressionLevel: Int
    /// Samples per channel in each FLAC frame (fixed for the whole stream; 4096 as libFLAC's
    /// presets 3–8 use, within the streamable subset).
    public var blockSize: Int
    /// Whether libFLAC may code the pair as mid/side. Off by default: the two channels hold two
    /// different people, so mid/side almost never wins and trying it costs encoder time.
    public var stereoDecorrelation: Bool
    /// How many segments are encoded at the same time (1 = the calling thread's pace only).
    public var threads: Int
    /// The VORBIS_COMMENT entries (`NAME`, value), in order.
    public var comments: [VorbisComment]
    /// The VORBIS_COMMENT vendor string.
    public var vendor: String
    /// Distance between SEEKTABLE points, in seconds.
    public var seekPointInterval: Int

    public init(
        sampleRate: Int, totalFrames: Int64, compressionLevel: Int = 5, blockSize: Int = 4096,
        stereoDecorrelation: Bool = false, threads: Int = 2, comments: [VorbisComment] = [],
        vendor: String = "callprep", seekPointInterval: Int = 10
    ) {
        self.sampleRate = sampleRate
        self.totalFrames = totalFrames
        self.compressionLevel = compressionLevel
        self.blockSize = blockSize
        self.stereoDecorrelation = stereoDecorrelation
        self.threads = threads
        self.comments = comments
        self.vendor = vendor
        self.seekPointInterval = seekPointInterval
    }
}

/// One `NAME=value` entry of a FLAC VORBIS_COMMENT block.
public struct VorbisComment: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What a finished FLAC stream looks like.
public struct FLACStreamSummary: Sendable, Hashable {
    /// Frames (samples per channel) written.
    public var frames: Int64
    /// The file's size in bytes.
    public var bytes: Int64
    /// The MD5 of the decoded samples, as stored in STREAMINFO (lowercase hex).
    public var md5: String
    /// The number of FLAC frames.
    public var flacFrames: Int
}
