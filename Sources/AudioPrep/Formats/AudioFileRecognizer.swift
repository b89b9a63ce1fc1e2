/// Tells audio files from other files without probing them: by the name's extension, and by the
/// first bytes. `validate` uses it to pick the audio out of a folder that also holds notes,
/// manifests or transcripts.
///
/// Both tests use what the probe itself uses (`FormatSniffer` and each format's usual
/// extensions), so a file this calls audio is one `AudioProbe` will try to read.
public enum AudioFileRecognizer {
    /// Every file-name extension (lower case, without the dot) that is usual for a format callprep
    /// reads: `wav`, `flac`, `mp3`, `ogg`, `opus`, `mka`, `webm`, `m4a`, `mp4`, … .
    public static let audioExtensions: Set<String> = SniffedFormat.allCases.reduce(into: []) {
        $0.formUnion($1.usualExtensions)
    }

    /// True when the last path component's extension is in `audioExtensions` (case-insensitive).
    /// A name without a dot, or one that starts with its only dot (`.flac`), has no extension.
    public static func hasAudioExtension(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return audioExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// True when the file's first bytes are those of a container callprep reads (RIFF/WAVE,
    /// FLAC, Ogg, MPEG audio frames, Matroska, MP4, …): the probe's own sniffing, which reads the
    /// first 64 bytes (and, for MPEG audio, the bytes after an ID3 tag and the next frame
    /// header). False for anything that cannot be opened as a regular file.
    public static func contentIsAudio(path: String) -> Bool {
        guard let reader = try? BinaryFileReader(path: path), let format = try? FormatSniffer.sniff(reader) else {
            return false
        }
        return format != .unknown
    }
}

extension AudioFileRecognizer {
    /// The media type (`Content-Type`) of the file at `path`, from its first bytes like the
    /// probe's own sniffing: `audio/flac`, `audio/wav` (also RF64 and Wave64), `audio/mpeg`,
    /// `audio/ogg`, `audio/aiff`, `audio/x-caf`, `audio/basic`, `audio/x-matroska`, `audio/mp4`;
    /// `application/octet-stream` for anything else or a file that cannot be read. An upload
    /// labels the object with it, so a storage host serves the file with an honest type whatever
    /// its name says.
    public static func mediaType(path: String) -> String {
        guard let reader = try? BinaryFileReader(path: path), let format = try? FormatSniffer.sniff(reader) else {
            return "application/octet-stream"
        }
        return format.mediaType
    }
}

extension SniffedFormat {
    /// The `Content-Type` a file of this format is served with.
    var mediaType: String {
        switch self {
        case .wav, .rf64, .w64: "audio/wav"
        case .flac: "audio/flac"
        case .mp3: "audio/mpeg"
        case .ogg: "audio/ogg"
        case .aiff: "audio/aiff"
        case .caf: "audio/x-caf"
        case .au: "audio/basic"
        case .matroska: "audio/x-matroska"
        case .mp4: "audio/mp4"
        case .unknown: "application/octet-stream"
        }
    }
}
