/// Reports a file's exact format facts: what a decoder will deliver, and where the header says
/// otherwise.
///
/// The container is sniffed from the bytes and read by its format's reader
/// (`AudioFileReaders`). Lengths are established cheaply and exactly — a verified header, an
/// index, a scan of frame headers — and decoding is the last resort, so a 60-minute file probes
/// in milliseconds.
public enum AudioProbe {
    /// Probes the file at `path`. Throws `AudioPrepError` naming the problem and the fix when the
    /// file is missing, unreadable, empty, not audio, or damaged beyond reading its header.
    public static func probe(path: String) throws(AudioPrepError) -> AudioInfo {
        let (reader, extensionNote) = try AudioFileReaders.open(path: path)
        var info = reader.info
        if let extensionNote { info.notes.append(extensionNote) }
        return info
    }
}
