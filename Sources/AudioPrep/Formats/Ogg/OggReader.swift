/// Reads Ogg (Vorbis, Opus, FLAC) through libsndfile (`sf_open`): one handle answers the probe
/// facts and then delivers the samples.
final class OggReader: AudioFileReader {
    let info: AudioInfo
    private let handle: SndFileHandle

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        handle = try SndFileHandle(path: path)
        let codec = SndFileFormatNames.codec(major: handle.majorFormat, subtype: handle.subtype, endianness: handle.endianness)
        info = AudioInfo(
            container: .ogg, codec: codec.name, sampleRate: handle.sampleRate, channels: handle.channels,
            frames: handle.frames, bitsPerSample: codec.bits, sizeBytes: file.size)
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        SndFileSource(handle: handle)
    }
}
