/// Opens any supported file as a `PCMSource`, choosing the decoder from the file's content.
public enum AudioDecoder {
    /// Opens `path` for decoding. MPEG audio goes to libmpg123 (full gapless length); Matroska/WebM
    /// (Opus, G.711) to `MatroskaAudioSource`, which is timestamp-true and also a
    /// `TimestampedPCMSource`; MP4/AAC to `MP4AudioSource` when built with the `AAC` trait
    /// (libfaad2, GPL-2+), otherwise it is refused with how to enable it; native FLAC to
    /// `FLACFileSource` (libFLAC directly; Ogg FLAC is `.ogg` and stays with libsndfile);
    /// everything else libsndfile reads goes to libsndfile.
    public static func open(path: String) throws(AudioPrepError) -> any PCMSource {
        let reader = try BinaryFileReader(path: path)
        switch try FormatSniffer.sniff(reader) {
        case .mp3:
            let scan = try MP3Scanner.scan(reader)
            return try MP3Source(path: path, expectedFrames: scan.frames)
        case .matroska:
            return try MatroskaAudioSource(path: path)
        case .flac:
            return try FLACFileSource(path: path)
        case .mp4:
            let info = try MP4Probe.probe(path: path)
            if info.codec == "aac" {
                #if AAC
                return try MP4AudioSource(path: path)
                #else
                throw MP4Probe.aacDecodingUnavailable(path: path)
                #endif
            }
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "holds \(info.codec) audio in MP4, which callprep does not decode; convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        case .unknown:
            throw AudioPrepError(.unsupportedFormat, path: path, "not an audio format callprep reads.")
        default:
            return try SndFileSource(path: path)
        }
    }
}
