/// Decodes WAV, FLAC, Ogg Vorbis/Opus, AIFF and the other formats libsndfile reads.
///
/// Not for MP3: libsndfile 1.2.0 stops reading MP3s without a Xing header at a wrong estimate;
/// `MP3Source` reads those.
public final class SndFileSource: PCMSource {
    private let file: SndFileHandle
    public let format: PCMFormat
    public let frameCount: Int64?

    /// Opens `path` with libsndfile (`sf_open`).
    public convenience init(path: String) throws(AudioPrepError) {
        self.init(handle: try SndFileHandle(path: path))
    }

    /// Reads from a handle a reader already opened (the handle is positioned at the first frame).
    init(handle: SndFileHandle) {
        file = handle
        format = PCMFormat(sampleRate: handle.sampleRate, channels: handle.channels)
        frameCount = handle.frames
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let capacity = buffer.count / format.channels
        guard capacity > 0, let base = buffer.baseAddress else { return 0 }
        return try file.readFloat(into: base, frames: capacity)
    }
}
