import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// Where the audio starts on its container's timeline, in nanoseconds, for containers whose
    /// blocks carry timestamps (Matroska/WebM, MP4). For a Twilio track recording this is the
    /// time since the room was created, which `merge --align timestamps` lays the track at.
    /// nil for formats without a timeline (WAV, FLAC, MP3, Ogg, …).
    public var startTimeNanoseconds: Int64?
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

/// How a probe established a file's frame count (`length_source` in `probe --json`).
///
/// Whatever the source, `frames` is what the decoder delivers; where a header claims another
/// length, a `header_length_mismatch` note gives both numbers.
public enum LengthSource: String, Sendable, Hashable {
    /// From the container header, checked against the data (WAV data size against the bytes
    /// present, FLAC STREAMINFO against the sample number of the last frame).
    case header
    /// From an MP3 Xing/Info header and its LAME encoder delay and padding (gapless), checked
    /// against the frames present.
    case xingHeader = "xing_header"
    /// From reading frame headers (every MP3 frame; the last FLAC frames' sample numbers).
    case frameScan = "frame_scan"
    /// From the bytes actually present (PCM whose header size is missing or wrong).
    case fileSize = "file_size"
    /// From the granule position of the stream's last Ogg page.
    case granule
    /// From the timestamps of the container's blocks (Matroska, MP4 sample tables and edit lists).
    case timestamps
    /// From decoding the whole stream (the last resort, where no cheap exact count exists).
    case decode
}

extension AudioInfo.Note {
    /// The header states a length (`headerFrames`) other than what decodes (`decodableFrames`).
    /// `frames` reports what decodes; a merge uses all of it.
    public static func headerLengthMismatch(headerFrames: Int64, decodableFrames: Int64, sampleRate: Int) -> Self {
        let seconds = { (frames: Int64) in sampleRate > 0 ? NumberText.fixed(Double(frames) / Double(sampleRate), digits: 3) + " s" : "?" }
        let relation = decodableFrames > headerFrames ? "more" : "less"
        return .init(
            code: "header_length_mismatch",
            message: "the header says \(headerFrames) frames (\(seconds(headerFrames))) but \(decodableFrames) frames (\(seconds(decodableFrames))) decode — \(relation) than it claims; callprep uses the \(decodableFrames) that decode. Its writer did not finish the header (or the file was cut or appended to): check the source.")
    }

    /// The header leaves the length unstated, as a writer streaming to a pipe does (WAV data size
    /// 0 or 0xFFFFFFFF, FLAC STREAMINFO total 0); the length was counted instead.
    public static func streamedHeader(_ detail: String) -> Self {
        .init(
            code: "streamed_header",
            message: "\(detail): the writer streamed without a length (as to a pipe), so callprep counted what the file holds.")
    }

    /// The stream ends without its end-of-stream marker (an Ogg stream with no last page).
    public static func noEndOfStream(_ detail: String) -> Self {
        .init(code: "no_end_of_stream", message: "\(detail): the recording was probably cut off; the audio up to the cut is used.")
    }

    /// The stream is cut short inside its data; the intact part decodes.
    public static func truncatedStream(_ detail: String) -> Self {
        .init(code: "truncated_stream", message: "\(detail): the file was cut short or damaged; the intact audio before it is used.")
    }

    /// The decoder stops with an error part-way (an MPEG stream that switches sample rate):
    /// `frames` counts the audio before that point, and a merge refuses the file rather than
    /// drop what follows.
    public static func decodingStops(_ detail: String) -> Self {
        .init(
            code: "decoding_stops",
            message: "\(detail); the decoder stops there with an error, so `frames` counts only the audio before it and merge refuses the file rather than drop the rest. Re-encode it (e.g. `ffmpeg -i in.mp3 out.flac`) to keep everything.")
    }

    /// Several streams were joined end to end in one file (`cat a.mp3 b.mp3`).
    public static func concatenatedStreams(count: Int, _ detail: String) -> Self {
        .init(
            code: "concatenated_streams",
            message: "the file holds \(count) streams joined end to end (\(detail)); all of them are decoded, one after the other.")
    }
}
