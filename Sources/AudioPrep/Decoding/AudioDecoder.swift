/// Opens any supported file as a `PCMSource`, choosing the decoder from the file's content.
public enum AudioDecoder {
    /// Opens `path` for decoding. MPEG audio goes to libmpg123 (full gapless length); everything
    /// else libsndfile reads goes to libsndfile.
    public static func open(path: String) throws(AudioPrepError) -> any PCMSource {
        let reader = try BinaryFileReader(path: path)
        switch try FormatSniffer.sniff(reader) {
        case .mp3:
            let scan = try MP3Scanner.scan(reader)
            return try MP3Source(path: path, expectedFrames: scan.frames)
        case .matroska, .mp4:
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "Matroska/WebM/MP4 tracks are not decodable yet; convert the track to WAV or FLAC first.")
        case .unknown:
            throw AudioPrepError(.unsupportedFormat, path: path, "not an audio format callprep reads.")
        default:
            return try SndFileSource(path: path)
        }
    }
}
