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
/// Length: exactly the frames `FLACReader` found (`info.frames`: from the first frame to the end
/// of the last intact one), whatever STREAMINFO declares — a total of 0 (written to a pipe), more
/// (a file cut short) or fewer (a header its writer did not finish) than the frames hold. Frames
/// past that count are never decoded, so bytes after the audio (an ID3v1 tag, padding, a last
/// frame cut short) cannot fail the decode.
///
/// Damage before that end (lost sync, a corrupt frame header, a CRC mismatch, an unparseable
/// frame) or a decoder that stops with an error throws `.decodeFailed` once the intact frames
/// before it are delivered; so does a stream that ends before the counted frames (its frames are
/// numbered with a gap).
public final class FLACFileSource: PCMSource {
    /// Which decoder turns the frames into samples.
    enum FrameDecoder {
        /// `NativeFLACDecoder` where it applies (≤ 24 bits), libFLAC otherwise.
        case fastest
        /// libFLAC for every stream (the reference the native decoder is tested against).
        case libFLAC
    }

    enum Backend {
        case native(NativeFLACDecoder)
        case libFLAC(FLACStreamDecoder)
    }

    private let backend: Backend
    private let path: String
    public let format: PCMFormat
    /// The frames the source delivers (`FLACReader`'s `info.frames`).
    private let frames: Int64
    public var frameCount: Int64? { frames }
    /// Frames delivered so far.
    private var delivered: Int64 = 0

    /// Opens `path` as `FLACReader` does (metadata, then the length from the last frames) and
    /// delivers its frames (of a file made of joined streams, the first stream's: `AudioInput`
    /// delivers them all). Throws `.corruptFile` when there is no readable STREAMINFO.
    public convenience init(path: String) throws(AudioPrepError) {
        try self.init(path: path, frameDecoder: .fastest)
    }

    convenience init(path: String, frameDecoder: FrameDecoder) throws(AudioPrepError) {
        let reader = try FLACReader(path: path, file: try BinaryFileReader(path: path), frameDecoder: frameDecoder)
        self.init(path: path, backend: reader.backend, frames: reader.firstStreamFrames)
    }

    /// Delivers `frames` frames from `backend`, which has decoded nothing yet.
    init(path: String, backend: Backend, frames: Int64) {
        self.path = path
        self.backend = backend
        self.frames = frames
        switch backend {
        case .native(let decoder):
            decoder.frameLimit = frames
            format = PCMFormat(sampleRate: decoder.info.sampleRate, channels: decoder.info.channels)
        case .libFLAC(let decoder):
            format = PCMFormat(sampleRate: decoder.info.sampleRate, channels: decoder.info.channels)
        }
    }

    /// True when the native decoder decodes this file.
    var decodesNatively: Bool {
        if case .native = backend { return true }
        return false
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let capacity = Int(min(Int64(buffer.count / format.channels), frames - delivered))
        guard capacity > 0, let base = buffer.baseAddress else { return 0 }
        let written: Int
        switch backend {
        case .native(let decoder): written = try decoder.decode(into: base, frames: capacity)
        case .libFLAC(let decoder): written = try decoder.decode(into: base, frames: capacity)
        }
        delivered += Int64(written)
        if written < capacity {
            throw AudioPrepError(
                .decodeFailed, path: path,
                "the FLAC stream ends after \(delivered) of the \(frames) frames its frame headers number; frames are missing inside it. Re-export or re-download it.")
        }
        return written
    }
}
