/// Reads a file's exact format facts without decoding its audio.
///
/// The container is sniffed from the bytes; WAV/FLAC/AIFF/Ogg headers are read by libsndfile
/// (`sf_open`), MPEG audio by `MP3Scanner` (exact, gapless), so a 60-minute file probes in
/// milliseconds.
public enum AudioProbe {
    /// Probes the file at `path`. Throws `AudioPrepError` naming the problem and the fix when the
    /// file is missing, unreadable, empty, not audio, or damaged beyond reading its header.
    public static func probe(path: String) throws(AudioPrepError) -> AudioInfo {
        let reader = try BinaryFileReader(path: path)
        let sniffed = try FormatSniffer.sniff(reader)
        var info: AudioInfo
        switch sniffed {
        case .mp3:
            info = try probeMPEG(reader)
        case .matroska:
            info = try MatroskaProbe.probe(path: path)
        case .mp4:
            info = try MP4Probe.probe(path: path)
        case .unknown:
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "not an audio format callprep reads (the content is neither WAV, FLAC, MP3, Ogg, AIFF nor another known audio container).")
        default:
            info = try probeWithSndFile(path: path, size: reader.size)
        }
        if let note = extensionNote(path: path, sniffed: sniffed) {
            info.notes.append(note)
        }
        return info
    }

    private static func probeMPEG(_ reader: BinaryFileReader) throws(AudioPrepError) -> AudioInfo {
        let scan = try MP3Scanner.scan(reader)
        var info = AudioInfo(
            container: .mp3, codec: scan.header.codecName, sampleRate: scan.header.sampleRate,
            channels: scan.header.channels, frames: scan.frames, bitsPerSample: nil, sizeBytes: reader.size,
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
        return info
    }

    private static func probeWithSndFile(path: String, size: Int64) throws(AudioPrepError) -> AudioInfo {
        let file = try SndFileHandle(path: path)
        let codec = SndFileFormatNames.codec(major: file.majorFormat, subtype: file.subtype, endianness: file.endianness)
        var info = AudioInfo(
            container: SndFileFormatNames.container(major: file.majorFormat), codec: codec.name,
            sampleRate: file.sampleRate, channels: file.channels, frames: file.frames,
            bitsPerSample: codec.bits, sizeBytes: size)
        info.notes += headerNotes(parseLog: file.parseLog)
        if info.container == .flac, file.frames > 0, !canReadLastFrame(file) {
            info.notes.append(.init(
                code: "truncated_stream",
                message: "STREAMINFO says \(file.frames) frames but the end of the audio cannot be read; the file is truncated or damaged."))
        }
        return info
    }

    /// libsndfile notes in its parse log where a header disagrees with the file
    /// ("data : 2147483632 (should be 16000)"): the header claims more than the file holds.
    private static func headerNotes(parseLog: String) -> [AudioInfo.Note] {
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

    private static func extensionNote(path: String, sniffed: SniffedFormat) -> AudioInfo.Note? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        guard !sniffed.usualExtensions.contains(ext), let container = sniffed.container else { return nil }
        return .init(
            code: "misleading_extension",
            message: "the file is named .\(ext) but holds \(container.rawValue.uppercased()) audio; rename it to .\(sniffed.usualExtensions.sorted().first ?? container.rawValue) so other tools and Intelligence treat it correctly.")
    }
}

