/// Reads native FLAC with one open: libFLAC reads the metadata (`FLACStreamDecoder`), the last
/// frames' headers give the length (`FLACStreamExtent`), and the same decoder then delivers the
/// samples (`FLACFileSource`). No libsndfile.
///
/// `info.frames` is what the frames hold, not STREAMINFO's total:
/// - equal to STREAMINFO's total: `length_source` `header`, no note;
/// - STREAMINFO total 0 (written to a pipe, legal): `frame_scan`, note `streamed_header`;
/// - another total (a writer that did not finish the header, a file cut at a frame boundary or
///   appended to): `frame_scan`, note `header_length_mismatch` with both numbers;
/// - a frame after the last intact one that does not parse (cut inside a frame): the intact frames,
///   `frame_scan`, note `truncated_stream`;
/// - no intact frame near the end (damage there, or more than 16 MiB of bytes that are not audio),
///   or samples wider than 24 bits (which the tail check cannot parse): counted by decoding with
///   libFLAC, `decode`, and `truncated_stream` if libFLAC reports a problem before the end.
///
/// Bytes after the last frame that are not a frame (an ID3v1 tag, zero padding) are not audio and
/// not an error.
///
/// FLAC files joined with `cat a.flac b.flac` (each one's "fLaC" marker and metadata in the
/// middle) are found when the cheap facts allow no single stream (`FLACJoinedStreams`); then
/// every stream is measured from its own frames, `frames` is their sum, the source decodes them
/// one after the other, and a `concatenated_streams` note gives the count. Streams of another
/// sample rate or channel count than the first are refused by name.
final class FLACReader: AudioFileReader {
    let info: AudioInfo
    private let path: String
    /// The first (usually the only) stream's decoder.
    let backend: FLACFileSource.Backend
    /// The frames of each stream after the first, with its decoder, when streams were joined.
    private var joined: [(backend: FLACFileSource.Backend, frames: Int64)] = []
    /// The first stream's frames (`info.frames` unless streams were joined).
    private(set) var firstStreamFrames: Int64 = 0

    init(path: String, file: BinaryFileReader, frameDecoder: FLACFileSource.FrameDecoder = .fastest) throws(AudioPrepError) {
        self.path = path
        let metadata = try FLACStreamDecoder(path: path)
        let stream = metadata.info
        var info = AudioInfo(
            container: .flac, codec: "flac", sampleRate: stream.sampleRate, channels: stream.channels,
            frames: 0, bitsPerSample: stream.bitsPerSample, sizeBytes: file.size)

        var extent: FLACStreamExtent?
        if stream.bitsPerSample <= 24, let offset = metadata.firstFrameOffset {
            // The native decoder checks the last frames, then decodes (libFLAC only when asked,
            // as the reference in tests).
            let native = NativeFLACDecoder(path: path, file: file, info: stream, frameOffset: offset)
            extent = try FLACStreamExtent.scan(file, firstFrameOffset: offset, decoder: native)
            backend = frameDecoder == .fastest ? .native(native) : .libFLAC(metadata)
        } else {
            backend = .libFLAC(metadata)
        }

        let declared = stream.totalFrames
        if let extent {
            info.frames = extent.frames
            info.lengthSource = extent.frames == declared && extent.cutFrameOffset == nil ? .header : .frameScan
            if let cut = extent.cutFrameOffset {
                info.notes.append(.truncatedStream(
                    "the FLAC frame at byte \(cut), after \(extent.frames) intact frames, is cut short or damaged"
                        + (declared > 0 ? " (STREAMINFO declares \(declared))" : "")))
            }
        } else {
            let counted = try Self.countByDecoding(path: path)
            info.frames = counted.frames
            info.lengthSource = .decode
            if let problem = counted.problem {
                info.notes.append(.truncatedStream(
                    "libFLAC reports \(problem) after \(counted.frames) frames"
                        + (declared > 0 ? " (STREAMINFO declares \(declared))" : "")))
            }
        }
        if let extent, case .native(let native) = backend, let offset = metadata.firstFrameOffset,
            try FLACJoinedStreams.mayHoldAnotherStream(file, firstFrameOffset: offset, extent: extent, declared: declared, decoder: native)
        {
            let later = try FLACJoinedStreams.scan(file, from: offset)
            if !later.isEmpty {
                let first = FLACJoinedStream(markerOffset: 0, info: stream, firstFrameOffset: offset)
                let streams = [first] + later
                var measured: [(backend: FLACFileSource.Backend, frames: Int64)] = []
                info.notes = []
                info.frames = 0
                info.lengthSource = .frameScan
                for (index, joined) in streams.enumerated() {
                    let end = index + 1 < streams.count ? streams[index + 1].markerOffset : file.size
                    let part = try Self.measure(joined, number: index, of: streams.count, end: end, first: stream, file: file, path: path)
                    info.notes += part.notes
                    let (sum, overflow) = info.frames.addingReportingOverflow(part.frames)
                    guard !overflow else {
                        throw AudioPrepError(.corruptFile, path: path, "the joined FLAC streams' lengths add up to more frames than any audio has; the file is damaged. Re-export or re-download it.")
                    }
                    info.frames = sum
                    measured.append((index == 0 ? backend : .native(part.decoder), part.frames))
                }
                info.notes.append(.concatenatedStreams(
                    count: streams.count,
                    "\(streams.count) FLAC files joined, each with its own \"fLaC\" header, \(stream.channels) channel\(stream.channels == 1 ? "" : "s") at \(stream.sampleRate) Hz"))
                firstStreamFrames = measured[0].frames
                joined = Array(measured.dropFirst())
                self.info = info
                return
            }
        }
        let truncated = info.notes.contains { $0.code == "truncated_stream" }
        if declared == 0 {
            info.notes.append(.streamedHeader("STREAMINFO states no total length (0)"))
        } else if declared != info.frames, !truncated {
            info.notes.append(.headerLengthMismatch(headerFrames: declared, decodableFrames: info.frames, sampleRate: stream.sampleRate))
        }
        firstStreamFrames = info.frames
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        let first = FLACFileSource(path: path, backend: backend, frames: firstStreamFrames)
        guard !joined.isEmpty else { return first }
        let path = self.path
        let parts = [ConcatenatedPCMSource.Part(frames: firstStreamFrames) { () throws(AudioPrepError) -> any PCMSource in first }]
            + joined.map { stream in
                ConcatenatedPCMSource.Part(frames: stream.frames) { () throws(AudioPrepError) -> any PCMSource in
                    FLACFileSource(path: path, backend: stream.backend, frames: stream.frames)
                }
            }
        return ConcatenatedPCMSource(format: first.format, parts: parts, path: path)
    }

    /// One of several joined streams: its frames (from its own last intact frame, never past the
    /// next stream's marker), its decoder, and the notes about it. Refuses a stream that cannot
    /// follow the first without a conversion, or whose frames cannot be found.
    private static func measure(
        _ joined: FLACJoinedStream, number: Int, of count: Int, end: Int64, first: FLACStreamInfo, file: BinaryFileReader, path: String
    ) throws(AudioPrepError) -> (frames: Int64, decoder: NativeFLACDecoder, notes: [AudioInfo.Note]) {
        let name = "the \(OggStreamSelection.ordinal(number + 1)) of \(count) joined FLAC streams"
        let info = joined.info
        guard info.sampleRate == first.sampleRate, info.channels == first.channels, info.bitsPerSample <= 24 else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "\(name) (at byte \(joined.markerOffset)) is \(info.channels) channels at \(info.sampleRate) Hz, \(info.bitsPerSample)-bit, where the first is \(first.channels) at \(first.sampleRate) Hz; callprep joins FLAC streams only when rate and channels agree (up to 24 bits). Split the file or convert each part first.")
        }
        let decoder = NativeFLACDecoder(path: path, file: file, info: info, frameOffset: joined.firstFrameOffset)
        guard let extent = try FLACStreamExtent.scan(file, firstFrameOffset: joined.firstFrameOffset, end: end, decoder: decoder) else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "\(name) (at byte \(joined.markerOffset)) has no intact frame near its end; the file is damaged. Re-export or re-download it.")
        }
        var notes: [AudioInfo.Note] = []
        if let cut = extent.cutFrameOffset {
            notes.append(.truncatedStream("in \(name), the frame at byte \(cut), after \(extent.frames) intact frames, is cut short or damaged"))
        } else if info.totalFrames == 0 {
            notes.append(.streamedHeader("\(name)'s STREAMINFO states no total length (0)"))
        } else if info.totalFrames != extent.frames {
            notes.append(.headerLengthMismatch(headerFrames: info.totalFrames, decodableFrames: extent.frames, sampleRate: info.sampleRate))
        }
        return (extent.frames, decoder, notes)
    }

    /// Decodes the whole stream with a second libFLAC decoder, the last resort: the frames before
    /// the first problem libFLAC reports (lost sync, a bad header or checksum), and that problem.
    private static func countByDecoding(path: String) throws(AudioPrepError) -> (frames: Int64, problem: String?) {
        let decoder = try FLACStreamDecoder(path: path)
        let channels = decoder.info.channels
        let block = FLACFrameHeader.maxBlockSize
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: block * channels)
        defer { buffer.deallocate() }
        do {
            while try decoder.decode(into: buffer, frames: block) > 0 {}
        } catch {
            return (decoder.framesBeforeFirstProblem, decoder.problem ?? error.message)
        }
        return (decoder.framesBeforeFirstProblem, nil)
    }
}
