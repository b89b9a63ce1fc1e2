/// Reads MP4/M4A: the facts from the movie (sample tables, edit lists) and, with the `AAC`
/// trait, the samples from `MP4AudioSource`.
final class MP4Reader: AudioFileReader {
    let info: AudioInfo
    private let path: String

    init(path: String) throws(AudioPrepError) {
        self.path = path
        info = try MP4Probe.probe(path: path)
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        guard info.codec == "aac" else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "holds \(info.codec) audio in MP4, which callprep does not decode; convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        #if AAC
        return try MP4AudioSource(path: path)
        #else
        throw MP4Probe.aacDecodingUnavailable(path: path)
        #endif
    }
}
