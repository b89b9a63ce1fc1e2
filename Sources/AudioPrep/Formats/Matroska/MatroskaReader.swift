/// Reads Matroska/WebM (Twilio Video track recordings): the length from the block timestamps,
/// the samples timestamp-true from `MatroskaAudioSource`.
final class MatroskaReader: AudioFileReader {
    let info: AudioInfo
    private let path: String

    init(path: String) throws(AudioPrepError) {
        self.path = path
        info = try MatroskaProbe.probe(path: path)
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try MatroskaAudioSource(path: path)
    }
}
