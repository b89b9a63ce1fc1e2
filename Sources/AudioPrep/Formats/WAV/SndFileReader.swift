/// Reads WAV, RF64, W64, AIFF, CAF and AU through libsndfile (`sf_open`): one handle answers the
/// probe facts and then delivers the samples.
final class SndFileReader: AudioFileReader {
    let info: AudioInfo
    private let handle: SndFileHandle

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        handle = try SndFileHandle(path: path)
        let codec = SndFileFormatNames.codec(major: handle.majorFormat, subtype: handle.subtype, endianness: handle.endianness)
        var info = AudioInfo(
            container: SndFileFormatNames.container(major: handle.majorFormat), codec: codec.name,
            sampleRate: handle.sampleRate, channels: handle.channels, frames: handle.frames,
            bitsPerSample: codec.bits, sizeBytes: file.size)
        info.notes += Self.headerNotes(parseLog: handle.parseLog)
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        SndFileSource(handle: handle)
    }

    /// libsndfile notes in its parse log where a header disagrees with the file
    /// ("data : 2147483632 (should be 16000)"): the header claims more than the file holds.
    static func headerNotes(parseLog: String) -> [AudioInfo.Note] {
        var notes: [AudioInfo.Note] = []
        for line in parseLog.split(separator: "\n") where line.hasPrefix("data") && line.contains("(should be") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
            guard numbers.count >= 2 else { continue }
            notes.append(.init(
                code: "data_size_mismatch",
                message: "the header says the audio data is \(numbers[0]) bytes, but the file holds \(numbers[1]); only the audio actually present is counted. The recording was probably cut off or its writer did not finish — check the source."))
        }
        return notes
    }
}
