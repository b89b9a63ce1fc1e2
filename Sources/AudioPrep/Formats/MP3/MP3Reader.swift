/// Reads MPEG audio: one frame walk (`MP3Scanner`) gives the facts and the exact number of frames
/// the decoder (`MP3Source`, libmpg123) delivers, whatever the Xing/Info header claims; where
/// the header disagrees (a file cut short, streams appended), a note says so.
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
        if scan.streams > 1 {
            info.notes.append(.concatenatedStreams(
                count: scan.streams,
                "\(scan.streams - 1) Xing/Info header\(scan.streams > 2 ? "s" : "") after the first frame; the first header describes only the first stream"))
        } else if let claimed = scan.headerFrames, claimed != scan.frames {
            info.notes.append(.headerLengthMismatch(headerFrames: claimed, decodableFrames: scan.frames, sampleRate: scan.header.sampleRate))
        }
        if scan.truncatedLastFrame {
            info.notes.append(.truncatedStream("the last MPEG frame is cut short; its audio is not counted"))
        }
        if let stop = scan.decodingStops {
            info.notes.append(.decodingStops(stop.reason))
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
