/// One container format's reader: it opens a file once, parses its structure once, and answers
/// both questions callprep asks of an input from that one parse.
///
/// - `info` is what `probe` reports: the number of frames a decoder will deliver (not the
///   header's claim: where the header disagrees, a note says so and `lengthSource` says how the
///   length was established).
/// - `makeSource()` is the decoded audio, reusing whatever opening already read (a frame scan, a
///   block index), so a merge never parses an input twice.
///
/// There is one reader per format folder (`Formats/WAV`, `FLAC`, `MP3`, `Ogg`, `Matroska`, `MP4`);
/// `AudioFileReaders.open` picks one by the file's content, and `AudioProbe`, `AudioDecoder` and
/// `AudioInput` are thin façades over it.
protocol AudioFileReader: AnyObject {
    /// The file's facts, with `frames` equal to what `makeSource()` delivers.
    var info: AudioInfo { get }
    /// The decoded audio. Called at most once per reader.
    func makeSource() throws(AudioPrepError) -> any PCMSource
}

/// Picks the reader for a file by its content (never its name).
enum AudioFileReaders {
    /// Opens `path` with the reader its first bytes call for. Throws `AudioPrepError` naming the
    /// problem and the fix when the file is missing, unreadable, empty, not audio, damaged
    /// beyond reading its structure, or claims a rate, channel count or length outside
    /// `AudioLimits`.
    static func open(path: String) throws(AudioPrepError) -> (reader: any AudioFileReader, extensionNote: AudioInfo.Note?) {
        let file = try BinaryFileReader(path: path)
        let sniffed = try FormatSniffer.sniff(file)
        let reader: any AudioFileReader
        switch sniffed {
        case .wav, .rf64, .w64, .aiff, .caf, .au:
            reader = try SndFileReader(path: path, file: file)
        case .flac:
            reader = try FLACReader(path: path, file: file)
        case .mp3:
            reader = try MP3Reader(path: path, file: file)
        case .ogg:
            reader = try OggReader(path: path, file: file)
        case .matroska:
            reader = try MatroskaReader(path: path)
        case .mp4:
            reader = try MP4Reader(path: path)
        case .unknown:
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "not an audio format callprep reads (the content is neither WAV, FLAC, MP3, Ogg, AIFF, Matroska/WebM, MP4 nor another known audio container).")
        }
        // Whatever a reader parsed, the facts every later step multiplies and allocates with are
        // inside AudioLimits, or the file is refused here, naming the field.
        let info = reader.info
        try AudioLimits.check(sampleRate: info.sampleRate, channels: info.channels, frames: info.frames, path: path)
        return (reader, extensionNote(path: path, sniffed: sniffed))
    }

    /// A note when the file's name hides its real format (an MP3 named `.wav`).
    private static func extensionNote(path: String, sniffed: SniffedFormat) -> AudioInfo.Note? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        guard !sniffed.usualExtensions.contains(ext), let container = sniffed.container else { return nil }
        return .init(
            code: "misleading_extension",
            message: "the file is named .\(ext) but holds \(container.rawValue.uppercased()) audio; rename it to .\(sniffed.usualExtensions.sorted().first ?? container.rawValue) so other tools and Intelligence treat it correctly.")
    }
}

/// An input file opened once: its facts and its decoded audio, from the same parse.
///
/// This is what a merge uses for each input (`MergeInputReader.standard`): probing and decoding
/// separately would read and parse the file twice.
public struct AudioInput {
    /// What `probe` reports for the file (`frames` is what `source` delivers).
    public var info: AudioInfo
    /// The decoded audio.
    public var source: any PCMSource

    /// Creates an input from facts and a source that belong together (for callers with their
    /// own decoders).
    public init(info: AudioInfo, source: any PCMSource) {
        self.info = info
        self.source = source
    }

    /// Opens `path` once with the reader its content calls for.
    public static func open(path: String) throws(AudioPrepError) -> AudioInput {
        let (reader, extensionNote) = try AudioFileReaders.open(path: path)
        var info = reader.info
        if let extensionNote { info.notes.append(extensionNote) }
        return AudioInput(info: info, source: try reader.makeSource())
    }
}
