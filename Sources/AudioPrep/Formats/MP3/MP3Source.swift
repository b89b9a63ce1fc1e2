internal import CMPG123
import Synchronization

/// Decodes MPEG audio (MP3, and MP2/MP1) with libmpg123, gapless, to its full length.
///
/// libsndfile's MP3 reader stops at libmpg123's length estimate when a file has no Xing/Info
/// header; this source reads until libmpg123 reports the end, so nothing is cut.
public final class MP3Source: PCMSource {
    private let handle: OpaquePointer
    private let path: String
    public let format: PCMFormat
    public let frameCount: Int64?
    private var finished = false
    /// Frames delivered so far, for the error that names where decoding stopped.
    private var delivered: Int64 = 0

    private static let initialized: Bool = {
        mpg123_init()
        return true
    }()

    /// Opens `path` with `mpg123_new` and `mpg123_open`, gapless (`MPG123_GAPLESS`), float output.
    /// `frameCount` is the exact length from `MP3Scanner` when the caller has it.
    public init(path: String, expectedFrames: Int64? = nil) throws(AudioPrepError) {
        _ = Self.initialized
        self.path = path
        var err: Int32 = 0
        guard let h = mpg123_new(nil, &err) else {
            throw AudioPrepError(.internalError, path: path, "libmpg123 could not start (error \(err)).")
        }
        handle = h
        mpg123_param2(h, Int32(MPG123_ADD_FLAGS.rawValue), cmpg123_GAPLESS | cmpg123_QUIET | cmpg123_FORCE_FLOAT, 0)
        mpg123_param2(h, Int32(MPG123_REMOVE_FLAGS.rawValue), cmpg123_AUTO_RESAMPLE, 0)
        // No limit on how far a resync may search (libmpg123's default gives up after 1 KiB of
        // junk, 64 KiB before the first frame): `MP3FrameParser` searches as far, so the frame
        // walk and the decoder agree on where the frames are.
        mpg123_param2(h, cmpg123_RESYNC_LIMIT, -1, 0)
        guard mpg123_open(h, path) == cmpg123_OK else {
            let reason = String(cString: mpg123_strerror(h))
            mpg123_delete(h)
            throw AudioPrepError(.unreadable, path: path, "libmpg123 cannot open the file (\(reason)).")
        }
        var rate = 0
        var channels: Int32 = 0
        var encoding: Int32 = 0
        guard mpg123_getformat(h, &rate, &channels, &encoding) == cmpg123_OK, rate > 0, channels > 0 else {
            let reason = String(cString: mpg123_strerror(h))
            mpg123_close(h)
            mpg123_delete(h)
            throw AudioPrepError(
                .corruptFile, path: path, "no decodable MPEG audio frame (\(reason)); the file is damaged.")
        }
        // Fix the output format so it cannot change mid-stream.
        mpg123_format_none(h)
        mpg123_format(h, rate, channels == 1 ? Int32(MPG123_MONO.rawValue) : Int32(MPG123_STEREO.rawValue), cmpg123_ENC_FLOAT_32)
        format = PCMFormat(sampleRate: rate, channels: Int(channels))
        frameCount = expectedFrames
    }

    deinit {
        mpg123_close(handle)
        mpg123_delete(handle)
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let channels = format.channels
        let capacity = (buffer.count / channels) * channels
        guard capacity > 0, let base = buffer.baseAddress, !finished else { return 0 }
        var filledBytes = 0
        let totalBytes = capacity * MemoryLayout<Float>.size
        while filledBytes < totalBytes {
            var done = 0
            let raw = UnsafeMutableRawPointer(base).advanced(by: filledBytes).assumingMemoryBound(to: UInt8.self)
            let status = mpg123_read(handle, raw, totalBytes - filledBytes, &done)
            filledBytes += done
            if status == cmpg123_DONE {
                finished = true
                break
            }
            if status == cmpg123_NEW_FORMAT || status == cmpg123_NEED_MORE { continue }
            if status != cmpg123_OK {
                delivered += Int64(filledBytes / (MemoryLayout<Float>.size * channels))
                if mpg123_errcode(handle) == cmpg123_BAD_OUTFORMAT {
                    throw AudioPrepError(
                        .decodeFailed, path: path,
                        "the MPEG stream switches to another sample rate after \(delivered) frames; libmpg123 cannot decode past that point, and callprep will not drop the rest. Re-encode the file (e.g. `ffmpeg -i in.mp3 out.flac`) and use that.")
                }
                let reason = String(cString: mpg123_strerror(handle))
                throw AudioPrepError(.decodeFailed, path: path, "MP3 decoding failed after \(delivered) frames (\(reason)); the file is damaged.")
            }
        }
        let frames = filledBytes / (MemoryLayout<Float>.size * channels)
        delivered += Int64(frames)
        return frames
    }
}
