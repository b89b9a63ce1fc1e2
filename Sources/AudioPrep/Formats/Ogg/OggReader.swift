/// Reads Ogg natively: Opus (libopus), Vorbis (libvorbis) and FLAC (callprep's FLAC frame
/// decoder), also when the file carries other streams (Theora video, a Skeleton index), and
/// when it is chained (RFC 3533 §4: `cat a.opus b.opus > c.opus`).
///
/// Opening walks the page headers to find the links (`OggChain`), then for each link reads its
/// beginning-of-stream pages (to choose its first audio stream), that stream's header packets,
/// and the link's tail (`OggTail`): a link's length is its stream's last granule position (less
/// the Opus pre-skip, which applies per link), with `lengthSource` `.granule`, and the file's
/// length is the sum over its links. The source continues from the header packets already read
/// and plays the links one after the other.
///
/// A chained file's links must agree in codec, sample rate and channel count (Opus is always
/// 48 kHz); a link that does not is refused by name, since joining it would need a conversion
/// the file does not ask for. A chained file gets a `concatenated_streams` note.
///
/// A last granule that cannot be a length (negative, beyond what the file's bytes can hold,
/// before the pre-skip, smaller than the granule before it) is not trusted: that link is
/// decoded to count it (`lengthSource` `.decode`) and a `header_length_mismatch` note says so.
final class OggReader: AudioFileReader {
    let info: AudioInfo
    private let path: String
    /// Each link's decoder setup, its packets after the header packets, and its frames.
    private let links: [Link]

    private struct Link {
        var setup: OggCodecSetup
        var packets: OggPacketReader
        var frames: Int64
    }

    init(path: String, file: BinaryFileReader) throws(AudioPrepError) {
        self.path = path
        let chain = try OggChain.links(file)
        var links: [Link] = []
        var notes: [AudioInfo.Note] = []
        var lengthSource = LengthSource.granule
        var frames: Int64 = 0
        var trailingBytes: Int64 = 0
        for (index, link) in chain.enumerated() {
            var packets = OggPacketReader(file: file, serial: link.serial, offset: link.streamOffset, end: link.end)
            let setup = try OggCodecSetup.read(link.kind, from: &packets, path: path)
            if let first = links.first?.setup { try Self.check(setup, matches: first, link: index, path: path) }
            let tail = try OggTail.scan(file, serial: link.serial, in: link.range)
            trailingBytes = tail.trailingBytes
            let name = chain.count > 1 ? "the \(OggStreamSelection.ordinal(index + 1)) chained stream's" : "the Ogg stream's"
            let measured = try Self.measure(setup, packets: packets, tail: tail, fileSize: file.size, path: path)
            if measured.decoded { lengthSource = .decode }
            notes += measured.notes
            if let last = tail.lastPage, !last.endsStream {
                notes.append(.noEndOfStream("\(name) last page (at byte \(last.offset)) is not marked end-of-stream"))
            }
            if tail.trailingBytes > 0, tail.lastPage != nil || index == chain.count - 1 {
                let place = index == chain.count - 1 ? "of the file" : "of the \(OggStreamSelection.ordinal(index + 1)) chained stream"
                notes.append(.truncatedStream("the last \(tail.trailingBytes) bytes \(place) are not a whole Ogg page"))
            }
            let (sum, overflow) = frames.addingReportingOverflow(measured.frames)
            guard !overflow else {
                throw AudioPrepError(.corruptFile, path: path, "the chained Ogg streams' lengths add up to more frames than any audio has; the file is damaged. Re-export or re-download it.")
            }
            frames = sum
            links.append(Link(setup: setup, packets: packets, frames: measured.frames))
        }
        if frames == 0, trailingBytes > 0 {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the Ogg file is cut short (its last \(trailingBytes) bytes are not a whole page) before any audio page is complete; nothing decodes. Re-export or re-download it.")
        }
        if chain.count > 1 {
            let first = links[0].setup
            notes.append(.concatenatedStreams(
                count: chain.count,
                "\(chain.count) chained Ogg \(first.codecName) streams, each with its own headers, \(first.channels) channel\(first.channels == 1 ? "" : "s") at \(first.sampleRate) Hz"))
        }
        let setup = links[0].setup
        var info = AudioInfo(
            container: .ogg, codec: setup.codecName, sampleRate: setup.sampleRate, channels: setup.channels,
            frames: frames, bitsPerSample: nil, sizeBytes: file.size, lengthSource: lengthSource)
        if case .flac(let streamInfo, _) = setup { info.bitsPerSample = streamInfo.bitsPerSample }
        info.notes = notes
        self.info = info
        self.links = links
    }

    /// One link's length from its last granule (or by decoding it when that cannot be trusted),
    /// and the notes about it.
    private static func measure(
        _ setup: OggCodecSetup, packets: OggPacketReader, tail: OggTail, fileSize: Int64, path: String
    ) throws(AudioPrepError) -> (frames: Int64, decoded: Bool, notes: [AudioInfo.Note]) {
        var notes: [AudioInfo.Note] = []
        var decoded = false
        let frames: Int64
        switch lengthFromGranule(setup, tail: tail, fileSize: fileSize) {
        case _ where tail.lastPage.map({ $0.end <= packets.offset }) ?? true:
            // No page after the headers ends a packet: there is no audio.
            frames = 0
        case .success(let granuleFrames):
            frames = granuleFrames
        case .failure(let problem):
            frames = try countByDecoding(setup, packets: packets, path: path)
            decoded = true
            notes.append(.unusableGranule(problem, decodableFrames: frames))
        }
        if case .flac(let streamInfo, _) = setup, streamInfo.totalFrames > 0, streamInfo.totalFrames != frames {
            notes.append(.headerLengthMismatch(headerFrames: streamInfo.totalFrames, decodableFrames: frames, sampleRate: setup.sampleRate))
        }
        return (frames, decoded, notes)
    }

    /// Refuses a chained stream that the first one cannot be joined to without a conversion.
    private static func check(_ setup: OggCodecSetup, matches first: OggCodecSetup, link: Int, path: String) throws(AudioPrepError) {
        guard setup.codecName != first.codecName || setup.sampleRate != first.sampleRate || setup.channels != first.channels else { return }
        func describe(_ s: OggCodecSetup) -> String { "\(s.codecName), \(s.channels) channel\(s.channels == 1 ? "" : "s") at \(s.sampleRate) Hz" }
        throw AudioPrepError(
            .unsupportedFormat, path: path,
            "the file chains Ogg streams that differ: the first is \(describe(first)), the \(OggStreamSelection.ordinal(link + 1)) is \(describe(setup)); callprep joins chained streams only when codec, rate and channels agree. Convert the file to one stream first: ffmpeg -i IN -c:a libopus OUT.opus")
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        if links.count == 1 { return try Self.makeSource(links[0].setup, packets: links[0].packets, limit: links[0].frames, path: path) }
        let path = self.path
        let parts = links.map { link in
            ConcatenatedPCMSource.Part(frames: link.frames) { () throws(AudioPrepError) -> any PCMSource in
                try Self.makeSource(link.setup, packets: link.packets, limit: link.frames, path: path)
            }
        }
        return ConcatenatedPCMSource(format: PCMFormat(sampleRate: info.sampleRate, channels: info.channels), parts: parts, path: path)
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
