/// Exact format facts about one audio file, as `callprep probe` reports them.
///
/// Lengths are counted in frames (one sample per channel); `duration` is derived from them.
public struct AudioInfo: Sendable, Hashable {
    /// The container, as sniffed from the file's bytes (never from its name).
    public var container: Container
    /// The codec of the (first) audio stream, in ffmpeg's naming (`pcm_s16le`, `flac`, `mp3`, …).
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    /// The exact number of frames a decoder yields (for MP3: the gapless decoded length).
    public var frames: Int64
    /// Bits per sample where the codec has a fixed sample size (PCM, FLAC); nil for lossy codecs.
    public var bitsPerSample: Int?
    /// The file's size on disk.
    public var sizeBytes: Int64
    /// How `frames` was established, for formats where that matters (MP3).
    public var lengthSource: LengthSource
    /// Things the probe noticed that do not stop the file being read (a header that claims more
    /// data than the file holds, junk between MP3 frames, a name that hides the real format).
    public var notes: [Note] = []

    /// One observation about a file's structure, with a stable code.
    public struct Note: Sendable, Hashable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public init(
        container: Container, codec: String, sampleRate: Int, channels: Int, frames: Int64,
        bitsPerSample: Int?, sizeBytes: Int64, lengthSource: LengthSource = .header
    ) {
        self.container = container
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.frames = frames
        self.bitsPerSample = bitsPerSample
        self.sizeBytes = sizeBytes
        self.lengthSource = lengthSource
    }

    /// The duration in seconds, `frames / sampleRate`.
    public var durationSeconds: Double {
        sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0
    }
}

/// A container format, named as in `probe --json`.
public struct Container: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let wav = Container(rawValue: "wav")
    public static let rf64 = Container(rawValue: "rf64")
    public static let w64 = Container(rawValue: "w64")
    public static let flac = Container(rawValue: "flac")
    public static let mp3 = Container(rawValue: "mp3")
    public static let ogg = Container(rawValue: "ogg")
    public static let aiff = Container(rawValue: "aiff")
    public static let caf = Container(rawValue: "caf")
    public static let au = Container(rawValue: "au")
    public static let matroska = Container(rawValue: "matroska")
    public static let webm = Container(rawValue: "webm")
    public static let mp4 = Container(rawValue: "mp4")
}

/// How a probe established a file's frame count.
public enum LengthSource: String, Sendable, Hashable {
    /// From the container header (WAV data size, FLAC STREAMINFO, Ogg granule positions).
    case header
    /// From an MP3 Xing/Info header and its LAME encoder delay and padding (gapless).
    case xingHeader = "xing_header"
    /// From counting every MP3 frame header (no Xing/Info header present).
    case frameScan = "frame_scan"
    /// From the timestamps of the container's blocks (Matroska, MP4).
    case timestamps
}
