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
final class FLACReader: AudioFileReader {
    let info: AudioInfo
    private let path: String
    let backend: FLACFileSource.Backend

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
        let truncated = info.notes.contains { $0.code == "truncated_stream" }
        if declared == 0 {
            info.notes.append(.streamedHeader("STREAMINFO states no total length (0)"))
        } else if declared != info.frames, !truncated {
            info.notes.append(.headerLengthMismatch(headerFrames: declared, decodableFrames: info.frames, sampleRate: stream.sampleRate))
        }
        self.info = info
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        FLACFileSource(path: path, backend: backend, frames: info.frames)
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
