/// Reads MPEG audio: one frame scan (`MP3Scanner`: exact, gapless) gives the facts and the
/// length the decoder (`MP3Source`, libmpg123) is held to.
final class MP3Reader: AudioFileReader {
    let info: AudioInfo
    private let path: String

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        self.path = path
        let scan = try MP3Scanner.scan(file)
        var info = AudioInfo(
            container: .mp3, codec: scan.header.codecName, sampleRate: scan.header.sampleRate,
            channels: scan.header.channels, frames: scan.frames, bitsPerSample: nil, sizeBytes: file.size,
            lengthSource: scan.lengthSource)
        if scan.truncatedLastFrame {
            info.notes.append(.init(
                code: "truncated_frame",
                message: "the last MPEG frame is cut short (the file was truncated); its audio is not counted."))
        }
        if scan.skippedBytes > 0 {
            info.notes.append(.init(
                code: "junk_between_frames",
                message: "\(scan.skippedBytes) bytes between MPEG frames are not audio; decoders skip them."))
        }
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try MP3Source(path: path, expectedFrames: info.frames)
    }
}
