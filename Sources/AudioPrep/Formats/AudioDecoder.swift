/// Opens any supported file as a `PCMSource`, choosing the reader from the file's content.
public enum AudioDecoder {
    /// Opens `path` for decoding: WAV/AIFF/CAF/AU through libsndfile, FLAC through callprep's
    /// frame decoder (libFLAC for the metadata and 25–32-bit streams), MPEG audio through
    /// libmpg123 (gapless), Ogg through libsndfile, Matroska/WebM (Opus, G.711) timestamp-true,
    /// and MP4/AAC when built with the `AAC` trait (libfaad2, GPL-2+; otherwise refused with how
    /// to enable it). The source delivers exactly the frames `AudioProbe` reports.
    public static func open(path: String) throws(AudioPrepError) -> any PCMSource {
        try AudioFileReaders.open(path: path).reader.makeSource()
    }
}
