internal import CSndFile
import Synchronization

/// An open libsndfile reader. Owns the `SNDFILE*` and closes it when released.
///
/// Not shared across tasks: each `PCMSource` that uses one is confined to the task reading it.
final class SndFileHandle {
    let path: String
    private let handle: OpaquePointer
    /// The facts libsndfile read from the header (`SF_INFO`).
    let frames: Int64
    let sampleRate: Int
    let channels: Int
    /// libsndfile's `SF_FORMAT_*` code: major type | subtype | endianness.
    let format: Int32

    /// libsndfile reports why an open failed through process-wide state (`sf_strerror(NULL)`,
    /// the parse log), so opens are serialized to read that state before another open replaces it.
    private static let openLock = Mutex(())

    /// Keeps a corrected view alive for as long as libsndfile reads through it.
    private let view: SndFileCorrectedView?

    /// Opens `path` for reading. The corresponding C call is `sf_open`.
    convenience init(path: String) throws(AudioPrepError) {
        try self.init(path: path, view: nil)
    }

    /// Opens a corrected view of a file (a WAV whose data size is wrong) for reading. The
    /// corresponding C call is `sf_open_virtual`.
    convenience init(view: SndFileCorrectedView) throws(AudioPrepError) {
        try self.init(path: view.path, view: view)
    }

    private init(path: String, view: SndFileCorrectedView?) throws(AudioPrepError) {
        self.path = path
        self.view = view
        var info = SF_INFO()
        // The view travels into the lock's closure as an address (the closure must not capture a
        // non-Sendable class); `self.view` keeps it alive.
        let viewAddress = view.map { Int(bitPattern: Unmanaged.passUnretained($0).toOpaque()) }
        let result: Result<OpaquePointer, AudioPrepError> = Self.openLock.withLock { _ in
            let opened: OpaquePointer?
            if let viewAddress {
                var callbacks = SndFileCorrectedView.callbacks
                opened = sf_open_virtual(&callbacks, csndfile_SFM_READ, &info, UnsafeMutableRawPointer(bitPattern: viewAddress))
            } else {
                opened = sf_open(path, csndfile_SFM_READ, &info)
            }
            if let h = opened {
                return .success(h)
            }
            let reason = String(cString: sf_strerror(nil))
            return .failure(Self.openError(path: path, reason: reason))
        }
        handle = try result.get()
        guard info.channels > 0, info.samplerate > 0, info.frames >= 0 else {
            sf_close(handle)
            throw AudioPrepError(
                .corruptFile, path: path,
                "the header declares \(info.channels) channels at \(info.samplerate) Hz; the file is damaged.")
        }
        // libsndfile reports SF_COUNT_MAX for streams it cannot find the end of: a truncated Ogg
        // with no end-of-stream page, or a FLAC whose STREAMINFO does not state the total (an
        // encoder writing to a pipe leaves it 0). That is no length: refuse rather than pass it on.
        guard info.frames < csndfile_SF_COUNT_MAX else {
            sf_close(handle)
            if Int(info.format & Int32(csndfile_SF_FORMAT_TYPEMASK)) == SF_FORMAT_FLAC {
                throw AudioPrepError(
                    .corruptFile, path: path,
                    "the FLAC header does not state how long the stream is (STREAMINFO total 0, as when an encoder writes to a pipe), so its length cannot be checked before decoding. Re-encode it to a file so the total is written: flac -d IN -o tmp.wav && flac tmp.wav -o OUT.flac (or ffmpeg -i IN OUT.flac).")
            }
            throw AudioPrepError(
                .corruptFile, path: path,
                "the stream has no end (no end-of-stream page); the file is truncated. Re-export it from the source.")
        }
        frames = info.frames
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        format = info.format
    }

    deinit { sf_close(handle) }

    /// The major format (`SF_FORMAT_WAV`, …).
    var majorFormat: Int32 { format & Int32(csndfile_SF_FORMAT_TYPEMASK) }
    /// The encoding (`SF_FORMAT_PCM_16`, …).
    var subtype: Int32 { format & Int32(csndfile_SF_FORMAT_SUBMASK) }
    /// The declared byte order (`SF_ENDIAN_FILE` when the container's own).
    var endianness: Int32 { format & Int32(csndfile_SF_FORMAT_ENDMASK) }

    /// libsndfile's parse log for this file: what it read from each header chunk and where the
    /// header disagreed with the file. The corresponding C call is `sf_command(SFC_GET_LOG_INFO)`.
    var parseLog: String {
        var buffer = [CChar](repeating: 0, count: 16384)
        _ = sf_command(handle, csndfile_SFC_GET_LOG_INFO, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads up to `frameCapacity` interleaved float frames into `buffer`; returns the number
    /// read (0 at the end). Integer sources are scaled by 1/32768 for 16-bit (exact) and the
    /// matching power of two for other widths. The corresponding C call is `sf_readf_float`.
    func readFloat(into buffer: UnsafeMutablePointer<Float>, frames frameCapacity: Int) throws(AudioPrepError) -> Int {
        let n = sf_readf_float(handle, buffer, sf_count_t(frameCapacity))
        if n < frameCapacity {
            let status = sf_error(handle)
            if status != 0 {
                let reason = String(cString: sf_strerror(handle))
                throw AudioPrepError(
                    .decodeFailed, path: path,
                    "decoding failed (\(reason)); the file is damaged. Re-export it from the source.")
            }
        }
        return Int(n)
    }

    /// Moves the read position to `frame`. The corresponding C call is `sf_seek`.
    func seek(toFrame frame: Int64) -> Bool {
        sf_seek(handle, sf_count_t(frame), SEEK_SET) == frame
    }

    private static func openError(path: String, reason: String) -> AudioPrepError {
        if reason.contains("Format not recognised") || reason.contains("not recognised") {
            return AudioPrepError(
                .unsupportedFormat, path: path,
                "not an audio format callprep reads (libsndfile: \(reason)). Supported: WAV, FLAC, MP3, Ogg Vorbis/Opus, AIFF.")
        }
        return AudioPrepError(
            .corruptFile, path: path, "cannot read the audio header (libsndfile: \(reason)); the file is damaged or truncated.")
    }
}
