/// Reads Ogg natively: Opus (libopus), Vorbis (libvorbis) and FLAC (callprep's FLAC frame
/// decoder), also when the file carries other streams (Theora video, a Skeleton index).
///
/// Opening reads the beginning-of-stream pages (to choose the first audio stream), that
/// stream's header packets, and the file's tail (`OggTail`): the length is the last granule
/// position of the stream (less the Opus pre-skip), with `lengthSource` `.granule`. The source
/// continues from the header packets already read.
///
/// A last granule that cannot be a length (negative, beyond what the file's bytes can hold,
/// before the pre-skip, smaller than the granule before it) is not trusted: the stream is
/// decoded to count it (`lengthSource` `.decode`) and a `header_length_mismatch` note says so.
final class OggReader: AudioFileReader {
    let info: AudioInfo
    private let path: String
    private let setup: OggCodecSetup
    private let audioPackets: OggPacketReader

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        self.path = path
        let stream = try OggStreamSelection.firstAudioStream(file)
        var packets = OggPacketReader(file: file, serial: stream.serial, offset: stream.offset)
        let setup = try OggCodecSetup.read(stream.kind, from: &packets, path: path)
        self.setup = setup
        self.audioPackets = packets

        let tail = try OggTail.scan(file, serial: stream.serial)
        var notes: [AudioInfo.Note] = []
        var lengthSource = LengthSource.granule
        var frames: Int64
        let headerEnd = packets.offset
        switch Self.lengthFromGranule(setup, tail: tail, fileSize: file.size) {
        case _ where tail.lastPage.map({ $0.end <= headerEnd }) ?? true:
            // No page after the headers ends a packet: there is no audio.
            frames = 0
        case .success(let granuleFrames):
            frames = granuleFrames
        case .failure(let problem):
            frames = try Self.countByDecoding(setup, packets: packets, path: path)
            lengthSource = .decode
            notes.append(.unusableGranule(problem, decodableFrames: frames))
        }
        if frames == 0, tail.trailingBytes > 0 {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the Ogg file is cut short (its last \(tail.trailingBytes) bytes are not a whole page) before any audio page is complete; nothing decodes. Re-export or re-download it.")
        }
        if case .flac(let streamInfo, _) = setup, streamInfo.totalFrames > 0, streamInfo.totalFrames != frames {
            notes.append(.headerLengthMismatch(headerFrames: streamInfo.totalFrames, decodableFrames: frames, sampleRate: setup.sampleRate))
        }
        if let last = tail.lastPage, !last.endsStream {
            notes.append(.noEndOfStream("the Ogg stream's last page (at byte \(last.offset)) is not marked end-of-stream"))
        }
        if tail.trailingBytes > 0 {
            notes.append(.truncatedStream("the last \(tail.trailingBytes) bytes of the file are not a whole Ogg page"))
        }
        var info = AudioInfo(
            container: .ogg, codec: setup.codecName, sampleRate: setup.sampleRate, channels: setup.channels,
            frames: frames, bitsPerSample: nil, sizeBytes: file.size, lengthSource: lengthSource)
        if case .flac(let streamInfo, _) = setup { info.bitsPerSample = streamInfo.bitsPerSample }
        info.notes = notes
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try Self.makeSource(setup, packets: audioPackets, limit: info.frames, path: path)
    }

    /// Why a stream's last granule cannot be its length.
    struct GranuleProblem: Error {
        var granule: Int64?
        var reason: String
    }

    /// The length the stream's last granule gives, after checking it: a granule is a sample
    /// position, so it is at least the previous page's, at least the Opus pre-skip, and at most
    /// 8,192 frames per byte of the file (no Ogg audio codec packs more into a byte).
    static func lengthFromGranule(_ setup: OggCodecSetup, tail: OggTail, fileSize: Int64) -> Result<Int64, GranuleProblem> {
        guard let last = tail.lastPage else {
            return .failure(GranuleProblem(granule: nil, reason: "no page of the audio stream carries a granule position"))
        }
        let granule = last.granule
        let (product, overflow) = fileSize.multipliedReportingOverflow(by: 8192)
        let bound = overflow ? Int64.max : product
        guard granule >= 0, granule <= bound else {
            return .failure(GranuleProblem(granule: granule, reason: "is not a possible sample position for a file of \(fileSize) bytes"))
        }
        if let previous = tail.previousGranule, previous >= 0, previous > granule {
            return .failure(GranuleProblem(granule: granule, reason: "is smaller than the page before it (\(previous))"))
        }
        guard case .opus(let head) = setup else { return .success(granule) }
        guard granule >= Int64(head.preSkip) else {
            return .failure(GranuleProblem(granule: granule, reason: "is smaller than the Opus pre-skip (\(head.preSkip))"))
        }
        return .success(granule - Int64(head.preSkip))
    }

    /// The number of frames the stream decodes to, by decoding it (only when its granules
    /// cannot be trusted).
    private static func countByDecoding(_ setup: OggCodecSetup, packets: OggPacketReader, path: String) throws(AudioPrepError) -> Int64 {
        let source = try makeSource(setup, packets: packets, limit: nil, path: path)
        let channels = source.format.channels
        var buffer = [Float](repeating: 0, count: 8192 * channels)
        var total: Int64 = 0
        while true {
            let result = buffer.withUnsafeMutableBufferPointer { pointer in
                Result { () throws(AudioPrepError) -> Int in try source.read(into: pointer) }
            }
            let n = try result.get()
            if n == 0 { return total }
            total += Int64(n)
        }
    }

    private static func makeSource(_ setup: OggCodecSetup, packets: OggPacketReader, limit: Int64?, path: String) throws(AudioPrepError) -> OggAudioSource {
        let format = PCMFormat(sampleRate: setup.sampleRate, channels: setup.channels)
        switch setup {
        case .opus(let head):
            let decoder = try OpusPacketDecoder(head: head, path: path)
            let producer = OggPacketSamples(packets: packets) { packet, samples throws(AudioPrepError) in
                try decoder.decode(packet, appendingTo: &samples)
            }
            return OggAudioSource(producer: producer, format: format, skip: head.preSkip, limit: limit, path: path)
        case .vorbis(let headers, _, _):
            let decoder = try VorbisPacketDecoder(headers: headers, path: path)
            guard decoder.sampleRate == setup.sampleRate, decoder.channels == setup.channels else {
                throw AudioPrepError(.corruptFile, path: path, "libvorbis reads the Vorbis header differently from callprep; the file is damaged. Re-export or re-download it.")
            }
            let producer = OggPacketSamples(packets: packets) { packet, samples throws(AudioPrepError) in
                try decoder.decode(packet, appendingTo: &samples)
            }
            return OggAudioSource(producer: producer, format: format, skip: 0, limit: limit, path: path)
        case .flac(let info, let firstFrame):
            let producer = OggFLACSamples(packets: packets, info: info, firstFrame: firstFrame, path: path)
            return OggAudioSource(producer: producer, format: format, skip: 0, limit: limit, path: path)
        }
    }
}

extension AudioInfo.Note {
    /// The Ogg stream's last granule position cannot be its length; the stream was decoded to
    /// count it. Same code as `headerLengthMismatch`: the container's length claim is wrong.
    static func unusableGranule(_ problem: OggReader.GranuleProblem, decodableFrames: Int64) -> Self {
        let claim = problem.granule.map { "the last granule position (\($0)) \(problem.reason)" } ?? problem.reason
        return .init(
            code: "header_length_mismatch",
            message: "\(claim); callprep decoded the stream and uses the \(decodableFrames) frames that decode. The file was damaged or its writer did not finish it: check the source.")
    }
}
