/// Reads WAV, RF64, W64, AIFF, CAF and AU through libsndfile (`sf_open`): one handle answers the
/// probe facts and then delivers the samples.
///
/// A RIFF/WAVE file whose data size is missing (0, 0xFFFFFFFF) or wrong is read through a
/// corrected view (`SndFileCorrectedView`), so that every whole frame present is both counted
/// and delivered (`length_source` `file_size`), with a note giving the header's claim. RF64 and
/// CAF written to a pipe (their size unstated, `PipedHeaderSize`) are read the same way, with a
/// `streamed_header` note.
final class SndFileReader: AudioFileReader {
    let info: AudioInfo
    private let handle: SndFileHandle

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        let dataChunk = try WAVDataChunk.locate(in: file)
        let piped = dataChunk == nil ? try PipedHeaderSize.locate(in: file) : nil
        if let dataChunk, dataChunk.verdict != .honest {
            // Read every whole frame present: libsndfile does so when the size says "streamed".
            handle = try SndFileHandle(view: SndFileCorrectedView(
                file: file, replacingUInt32At: dataChunk.sizeFieldOffset, with: UInt32.max))
        } else if let piped {
            handle = try SndFileHandle(view: SndFileCorrectedView(file: file, replacing: piped.correctedField, at: piped.sizeFieldOffset))
        } else {
            handle = try SndFileHandle(path: path)
        }
        let codec = SndFileFormatNames.codec(major: handle.majorFormat, subtype: handle.subtype, endianness: handle.endianness)
        var info = AudioInfo(
            container: SndFileFormatNames.container(major: handle.majorFormat), codec: codec.name,
            sampleRate: handle.sampleRate, channels: handle.channels, frames: handle.frames,
            bitsPerSample: codec.bits, sizeBytes: file.size)
        if let dataChunk {
            info.notes += Self.dataSizeNotes(dataChunk, decodableFrames: handle.frames, sampleRate: handle.sampleRate)
            if dataChunk.verdict != .honest { info.lengthSource = .fileSize }
        } else if let piped {
            info.notes.append(.streamedHeader("the \(piped.container) header's data size is \(piped.declared)"))
            info.lengthSource = .fileSize
        } else {
            info.notes += Self.headerNotes(parseLog: handle.parseLog)
        }
        self.info = info
    }

    /// What a RIFF/WAVE header's data size got wrong, if anything.
    static func dataSizeNotes(_ chunk: WAVDataChunk, decodableFrames: Int64, sampleRate: Int) -> [AudioInfo.Note] {
        switch chunk.verdict {
        case .honest:
            return []
        case .streamed:
            let value = chunk.declaredBytes == 0 ? "0" : "0xFFFFFFFF"
            return [.streamedHeader("the WAV header's data size is \(value)")]
        case .mismatch:
            return [.headerLengthMismatch(headerFrames: chunk.declaredFrames, decodableFrames: decodableFrames, sampleRate: sampleRate)]
        }
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        SndFileSource(handle: handle)
    }

    /// For the containers other than RIFF/WAVE (W64, AIFF, …): libsndfile notes in its parse log
    /// where a header disagrees with the file
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
