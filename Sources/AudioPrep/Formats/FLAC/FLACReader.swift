/// Reads native FLAC: the facts from STREAMINFO (checked against the end of the stream) and the
/// samples from `FLACFileSource`.
final class FLACReader: AudioFileReader {
    let info: AudioInfo
    private let path: String

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        self.path = path
        let handle = try SndFileHandle(path: path)
        let codec = SndFileFormatNames.codec(major: handle.majorFormat, subtype: handle.subtype, endianness: handle.endianness)
        var info = AudioInfo(
            container: .flac, codec: codec.name, sampleRate: handle.sampleRate, channels: handle.channels,
            frames: handle.frames, bitsPerSample: codec.bits, sizeBytes: file.size)
        if handle.frames > 0, !Self.canReadLastFrame(handle) {
            info.notes.append(.init(
                code: "truncated_stream",
                message: "STREAMINFO says \(handle.frames) frames but the end of the audio cannot be read; the file is truncated or damaged."))
        }
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try FLACFileSource(path: path)
    }

    /// Seeks to the last frame and reads it: for FLAC this bisects to the end in a few reads, so
    /// a truncated stream is caught without decoding the whole file.
    private static func canReadLastFrame(_ file: SndFileHandle) -> Bool {
        guard file.seek(toFrame: file.frames - 1) else { return false }
        var sample = [Float](repeating: 0, count: file.channels)
        let n = sample.withUnsafeMutableBufferPointer { buffer in
            (try? file.readFloat(into: buffer.baseAddress!, frames: 1)) ?? 0
        }
        return n == 1
    }
}
