/// Decodes a native FLAC file without libsndfile's conversion layer in between. Ogg FLAC stays
/// with `SndFileSource`.
///
/// libFLAC opens the file and reads its metadata (`FLACStreamDecoder`). Streams of up to 24 bits
/// per sample (every file callprep meets in practice) are then decoded by `NativeFLACDecoder`,
/// which is faster; wider ones by libFLAC. Both deliver the same samples and report damage the
/// same way.
///
/// Samples are exactly those libsndfile delivers for the same file: integers scaled by
/// 1/2^(bits−1), so a 16-bit file decodes to n/32768. 1–8 channels, 4–32 bits per sample.
///
/// Length:
/// - `frameCount` is STREAMINFO's total, or nil when STREAMINFO says 0 (unknown: the encoder
///   wrote to a pipe). This source then decodes to the end of the stream. `AudioProbe` (still
///   libsndfile, which reports such a stream as endless) refuses the file with `.corruptFile`,
///   so the merge and validation, which probe first, refuse it as they did before.
/// - With a known total, exactly that many frames are delivered, as libsndfile does; frames
///   past it are not decoded, so bytes after the declared audio (an ID3v1 tag a tagger appended)
///   are never read and cannot fail the decode (libsndfile, which decodes ahead, reported them as
///   lost sync).
/// - A stream that ends before its declared total throws `.decodeFailed` at the read that
///   reaches the end, rather than returning a short read. A file cut inside a frame (the usual
///   truncation) is reported by libFLAC as lost sync, as libsndfile reported it too; one that
///   ends cleanly at a frame boundary (libsndfile: a silent short read, which the merge reported
///   as "the track ended after N of M expected frames") names how many of the declared frames it
///   held. Either way the intact frames before the end are delivered by the earlier reads.
///
/// Damage libFLAC reports (lost sync, corrupt frame header, CRC mismatch, unparseable frame) or a
/// decoder that stops with an error throws `.decodeFailed`.
public final class FLACFileSource: PCMSource {
    /// Which decoder turns the frames into samples.
    enum FrameDecoder {
        /// `NativeFLACDecoder` where it applies (≤ 24 bits), libFLAC otherwise.
        case fastest
        /// libFLAC for every stream (the reference the native decoder is tested against).
        case libFLAC
    }

    private enum Backend {
        case native(NativeFLACDecoder)
        case libFLAC(FLACStreamDecoder)
    }

    private let backend: Backend
    private let path: String
    public let format: PCMFormat
    public let frameCount: Int64?
    /// Frames delivered so far.
    private var delivered: Int64 = 0

    /// Opens `path` (`FLAC__stream_decoder_init_file`) and reads its metadata. Throws
    /// `.corruptFile` when there is no readable STREAMINFO.
    public convenience init(path: String) throws(AudioPrepError) {
        try self.init(path: path, frameDecoder: .fastest)
    }

    init(path: String, frameDecoder: FrameDecoder) throws(AudioPrepError) {
        self.path = path
        let opened = try FLACStreamDecoder(path: path)
        let info = opened.info
        if frameDecoder == .fastest, info.bitsPerSample <= 24, let offset = opened.firstFrameOffset {
            backend = .native(try NativeFLACDecoder(path: path, info: info, frameOffset: offset))
        } else {
            backend = .libFLAC(opened)
        }
        format = PCMFormat(sampleRate: info.sampleRate, channels: info.channels)
        frameCount = info.totalFrames > 0 ? info.totalFrames : nil
    }

    /// True when the native decoder decodes this file.
    var decodesNatively: Bool {
        if case .native = backend { return true }
        return false
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        var capacity = buffer.count / format.channels
        if let frameCount {
            capacity = Int(min(Int64(capacity), frameCount - delivered))
        }
        guard capacity > 0, let base = buffer.baseAddress else { return 0 }
        let written: Int
        switch backend {
        case .native(let decoder): written = try decoder.decode(into: base, frames: capacity)
        case .libFLAC(let decoder): written = try decoder.decode(into: base, frames: capacity)
        }
        delivered += Int64(written)
        if written < capacity, let frameCount {
            throw AudioPrepError(
                .decodeFailed, path: path,
                "the FLAC stream ends after \(delivered) of the \(frameCount) frames its header declares; the file is truncated. Re-export or re-download it.")
        }
        return written
    }
}
