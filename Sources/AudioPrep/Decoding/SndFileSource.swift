/// Decodes WAV, FLAC, Ogg Vorbis/Opus, AIFF and the other formats libsndfile reads.
///
/// Not for MP3: libsndfile 1.2.0 stops reading MP3s without a Xing header at a wrong estimate;
/// `MP3Source` reads those.
public final class SndFileSource: PCMSource {
    private let file: SndFileHandle
    public let format: PCMFormat
    public let frameCount: Int64?

    /// Opens `path` with libsndfile (`sf_open`).
    public init(path: String) throws(AudioPrepError) {
        file = try SndFileHandle(path: path)
        format = PCMFormat(sampleRate: file.sampleRate, channels: file.channels)
        frameCount = file.frames
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let capacity = buffer.count / format.channels
        guard capacity > 0, let base = buffer.baseAddress else { return 0 }
        return try file.readFloat(into: base, frames: capacity)
    }
}
