internal import CFLAC

/// The STREAMINFO facts decoding needs, checked against the limits of the FLAC format.
struct FLACStreamInfo: Sendable, Hashable {
    var sampleRate: Int
    /// 1…8.
    var channels: Int
    /// 4…32 (libFLAC's range; callprep's files use 8…32).
    var bitsPerSample: Int
    /// The number of frames (samples per channel) the stream holds; 0 when the encoder did not
    /// know (a stream written to a pipe).
    var totalFrames: Int64
}

/// An open libFLAC stream decoder on one native FLAC file that converts each decoded frame to
/// interleaved Float32 as it arrives. Owns the `FLAC__StreamDecoder*` and deletes it when released.
///
/// Wraps `FLAC__stream_decoder_new`, `set_md5_checking` (off), `init_file`,
/// `process_until_end_of_metadata` and `process_single`. The write callback converts libFLAC's
/// planar `int32` channels straight into the caller's buffer; only the part of a frame that does
/// not fit is kept, converted, for the next call, so memory is bounded by one frame
/// (≤ 65536 × channels samples, whatever the file's headers claim).
///
/// Integer samples are scaled by 1/2^(bits−1), exactly as libsndfile does, so 16-bit values
/// come out as n/32768 (exact in Float32) and a 16-bit input passes through bit for bit.
///
/// Not shared across tasks: the `PCMSource` that uses one is confined to the task reading it.
final class FLACStreamDecoder {
    let path: String
    private let decoder: UnsafeMutablePointer<FLAC__StreamDecoder>
    /// STREAMINFO, once the metadata has been read (always set after `init`).
    private var streamInfo: FLACStreamInfo?
    /// 1/2^(bits−1): the factor that maps the samples to [−1, 1).
    private var scale: Float = 1

    /// The first problem libFLAC reported through the error callback.
    private var reportedError: FLAC__StreamDecoderErrorStatus?
    /// Why the write callback refused a frame (its layout differs from STREAMINFO's).
    private var refusedFrame: String?
    /// Set once libFLAC reports the end of the stream.
    private(set) var reachedEnd = false
    /// Samples per channel in the frames libFLAC decoded before it first reported a problem (all
    /// of them while none was reported): the intact length when counting by decoding.
    private(set) var framesBeforeFirstProblem: Int64 = 0

    /// Where the write callback puts the frame being decoded, and how many frames fit there.
    private var target: UnsafeMutablePointer<Float>?
    private var targetCapacity = 0
    private var targetWritten = 0

    /// The converted remainder of the last frame, not yet delivered (no silence: FLAC has no gaps).
    private var pending = PendingPCM(channels: 1)

    /// Opens `path` and reads its metadata up to the first audio frame. Throws `.corruptFile` when
    /// the header cannot be read or STREAMINFO is missing or outside the FLAC format's limits.
    init(path: String) throws(AudioPrepError) {
        self.path = path
        guard let decoder = FLAC__stream_decoder_new() else {
            throw AudioPrepError(.internalError, path: path, "libFLAC could not allocate a decoder (out of memory).")
        }
        self.decoder = decoder
        // From here on `deinit` deletes the decoder, also when `init` throws.
        _ = FLAC__stream_decoder_set_md5_checking(decoder, 0)
        let status = FLAC__stream_decoder_init_file(
            decoder, path, flacDecoderWrite, flacDecoderMetadata, flacDecoderError,
            Unmanaged.passUnretained(self).toOpaque())
        guard status == FLAC__STREAM_DECODER_INIT_STATUS_OK else {
            let text = String(cString: cflac_decoder_init_status_string(status))
            throw AudioPrepError(.unreadable, path: path, "libFLAC cannot open the file (\(text)). Check that it is readable.")
        }
        let ok = FLAC__stream_decoder_process_until_end_of_metadata(decoder) != 0
        if let reportedError {
            throw AudioPrepError(
                .corruptFile, path: path,
                "cannot read the FLAC header (libFLAC: \(Self.describe(reportedError))); the file is damaged or truncated. Re-export or re-download it.")
        }
        guard ok, let info = streamInfo else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "cannot read the FLAC header (no valid STREAMINFO block; libFLAC: \(stateText)); the file is damaged or truncated. Re-export or re-download it.")
        }
        guard (1...8).contains(info.channels), (4...32).contains(info.bitsPerSample), info.sampleRate > 0 else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "STREAMINFO declares \(info.channels) channels of \(info.bitsPerSample)-bit samples at \(info.sampleRate) Hz, outside what FLAC allows; the file is damaged.")
        }
        scale = 1 / Float(sign: .plus, exponent: info.bitsPerSample - 1, significand: 1)
        pending = PendingPCM(channels: info.channels)
        reachedEnd = FLAC__stream_decoder_get_state(decoder) == FLAC__STREAM_DECODER_END_OF_STREAM
    }

    deinit {
        FLAC__stream_decoder_delete(decoder)
    }

    /// STREAMINFO as read by `init`.
    var info: FLACStreamInfo { streamInfo! }

    /// The byte offset of the first audio frame, right after the metadata (and after an ID3v2
    /// tag before the stream), while no frame has been decoded yet
    /// (`FLAC__stream_decoder_get_decode_position`); nil when libFLAC cannot tell.
    var firstFrameOffset: Int64? {
        var position: UInt64 = 0
        guard FLAC__stream_decoder_get_decode_position(decoder, &position) != 0 else { return nil }
        return Int64(exactly: position)
    }

    /// Writes up to `frames` interleaved frames to `destination`: the rest of the previous frame
    /// first, then newly decoded frames (`FLAC__stream_decoder_process_single`). Returns fewer
    /// than `frames` only at the end of the stream. Throws `.decodeFailed` when libFLAC reports
    /// damage (lost sync, bad header, CRC mismatch, unparseable data) or stops with an error.
    func decode(into destination: UnsafeMutablePointer<Float>, frames: Int) throws(AudioPrepError) -> Int {
        let channels = info.channels
        var written = pending.drain(into: destination, capacity: frames)
        while written < frames, !reachedEnd {
            target = destination + written * channels
            targetCapacity = frames - written
            targetWritten = 0
            let ok = FLAC__stream_decoder_process_single(decoder) != 0
            target = nil
            written += targetWritten
            try checkHealth(processSucceeded: ok)
            written += pending.drain(into: destination + written * channels, capacity: frames - written)
        }
        return written
    }

    /// Turns what the callbacks and the decoder state report after a `process_single` into an
    /// error, and notes the end of the stream.
    private func checkHealth(processSucceeded: Bool) throws(AudioPrepError) {
        if let reportedError {
            throw AudioPrepError(
                .decodeFailed, path: path,
                "FLAC decoding failed (libFLAC: \(Self.describe(reportedError))); the file is damaged. Re-export or re-download it.")
        }
        if let refusedFrame {
            throw AudioPrepError(.decodeFailed, path: path, "\(refusedFrame); the file is damaged. Re-export or re-download it.")
        }
        let state = FLAC__stream_decoder_get_state(decoder)
        if state == FLAC__STREAM_DECODER_END_OF_STREAM {
            reachedEnd = true
            return
        }
        guard processSucceeded, state.rawValue < FLAC__STREAM_DECODER_END_OF_STREAM.rawValue else {
            throw AudioPrepError(
                .decodeFailed, path: path,
                "FLAC decoding stopped (libFLAC: \(stateText)); the file is damaged or unreadable. Re-export or re-download it.")
        }
    }

    private var stateText: String { String(cString: FLAC__stream_decoder_get_resolved_state_string(decoder)) }

    /// A person's words for libFLAC's error statuses.
    private static func describe(_ status: FLAC__StreamDecoderErrorStatus) -> String {
        switch status {
        case FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC: "lost sync, bytes that are not FLAC frames"
        case FLAC__STREAM_DECODER_ERROR_STATUS_BAD_HEADER: "a frame header is corrupt"
        case FLAC__STREAM_DECODER_ERROR_STATUS_FRAME_CRC_MISMATCH: "a frame's data does not match its checksum"
        case FLAC__STREAM_DECODER_ERROR_STATUS_UNPARSEABLE_STREAM: "a frame uses reserved coding it cannot parse"
        default: String(cString: cflac_decoder_error_status_string(status))
        }
    }

    // MARK: - Callbacks

    /// STREAMINFO from the metadata callback (libFLAC responds to no other block by default).
    fileprivate func receive(streamInfo block: FLAC__StreamMetadata_StreamInfo) {
        guard streamInfo == nil else { return }
        streamInfo = FLACStreamInfo(
            sampleRate: Int(block.sample_rate), channels: Int(block.channels),
            bitsPerSample: Int(block.bits_per_sample), totalFrames: Int64(clamping: block.total_samples))
    }

    fileprivate func receive(error status: FLAC__StreamDecoderErrorStatus) {
        if reportedError == nil { reportedError = status }
    }

    /// The first problem libFLAC reported, in a person's words (nil while none was).
    var problem: String? { reportedError.map(Self.describe) ?? refusedFrame }

    /// One decoded frame: converts as much as fits into `target`, the rest into `pending`.
    /// Returns false (abort) for a frame whose layout differs from STREAMINFO's.
    fileprivate func receive(
        frame header: FLAC__FrameHeader, planes: UnsafePointer<UnsafePointer<FLAC__int32>?>
    ) -> Bool {
        guard let info = streamInfo else {
            refusedFrame = "an audio frame precedes STREAMINFO"
            return false
        }
        let blockSize = Int(header.blocksize)
        let channels = info.channels
        guard Int(header.channels) == channels, Int(header.bits_per_sample) == info.bitsPerSample,
            (1...FLACFrameHeader.maxBlockSize).contains(blockSize)
        else {
            refusedFrame = "a frame holds \(header.channels) channels of \(header.bits_per_sample)-bit samples where STREAMINFO declares \(channels) of \(info.bitsPerSample)-bit"
            return false
        }
        for channel in 0..<channels where planes[channel] == nil {
            refusedFrame = "libFLAC delivered a frame without channel \(channel + 1)"
            return false
        }
        if reportedError == nil { framesBeforeFirstProblem += Int64(blockSize) }
        targetWritten = PlanarToInterleaved.deliver(
            planes, channels: channels, frames: blockSize, scale: scale, into: target,
            capacity: target == nil ? 0 : targetCapacity, remainder: &pending)
        return true
    }
}

/// The conversion from libFLAC's planar `int32` channels to interleaved Float32, written as plain
/// loops over unsafe pointers (no bounds checks, no calls per sample) so the compiler vectorizes
/// them; mono and stereo have their own loops.
enum PlanarToInterleaved {
    /// Delivers one decoded block of `frames` frames: as many as fit (`capacity`) go to
    /// `destination`, converted; the rest is converted into `remainder` (emptied first) for the
    /// next read. Returns the frames written to `destination`.
    static func deliver(
        _ planes: UnsafePointer<UnsafePointer<Int32>?>, channels: Int, frames: Int, scale: Float,
        into destination: UnsafeMutablePointer<Float>?, capacity: Int, remainder: inout PendingPCM
    ) -> Int {
        let direct = destination == nil ? 0 : min(frames, capacity)
        if let destination, direct > 0 {
            convert(planes, channels: channels, from: 0, frames: direct, scale: scale, into: destination)
        }
        let rest = frames - direct
        if rest > 0 {
            remainder.resetSamples()
            remainder.samples.append(contentsOf: repeatElement(0, count: rest * channels))
            remainder.samples.withUnsafeMutableBufferPointer { storage in
                convert(planes, channels: channels, from: direct, frames: rest, scale: scale, into: storage.baseAddress!)
            }
        }
        return direct
    }

    /// Writes frames `start..<start + frames` of `planes` (`channels` non-nil pointers) to
    /// `destination`, interleaved, each sample multiplied by `scale`.
    @inline(__always)
    static func convert(
        _ planes: UnsafePointer<UnsafePointer<Int32>?>, channels: Int, from start: Int, frames: Int, scale: Float,
        into destination: UnsafeMutablePointer<Float>
    ) {
        switch channels {
        case 1:
            let mono = planes[0].unsafelyUnwrapped + start
            for i in 0..<frames {
                destination[i] = Float(mono[i]) * scale
            }
        case 2:
            let left = planes[0].unsafelyUnwrapped + start
            let right = planes[1].unsafelyUnwrapped + start
            for i in 0..<frames {
                destination[i &* 2] = Float(left[i]) * scale
                destination[i &* 2 &+ 1] = Float(right[i]) * scale
            }
        default:
            for channel in 0..<channels {
                let plane = planes[channel].unsafelyUnwrapped + start
                let out = destination + channel
                for i in 0..<frames {
                    out[i &* channels] = Float(plane[i]) * scale
                }
            }
        }
    }
}

// MARK: - libFLAC callbacks (C function pointers; `clientData` is the `FLACStreamDecoder`)

private func flacDecoderWrite(
    _ decoder: UnsafePointer<FLAC__StreamDecoder>?, _ frame: UnsafePointer<FLAC__Frame>?,
    _ buffer: UnsafePointer<UnsafePointer<FLAC__int32>?>?, _ clientData: UnsafeMutableRawPointer?
) -> FLAC__StreamDecoderWriteStatus {
    guard let clientData, let frame, let buffer else { return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
    let owner = Unmanaged<FLACStreamDecoder>.fromOpaque(clientData).takeUnretainedValue()
    return owner.receive(frame: frame.pointee.header, planes: buffer)
        ? FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE : FLAC__STREAM_DECODER_WRITE_STATUS_ABORT
}

private func flacDecoderMetadata(
    _ decoder: UnsafePointer<FLAC__StreamDecoder>?, _ metadata: UnsafePointer<FLAC__StreamMetadata>?,
    _ clientData: UnsafeMutableRawPointer?
) {
    guard let clientData, let metadata, metadata.pointee.type == FLAC__METADATA_TYPE_STREAMINFO else { return }
    let owner = Unmanaged<FLACStreamDecoder>.fromOpaque(clientData).takeUnretainedValue()
    owner.receive(streamInfo: metadata.pointee.data.stream_info)
}

private func flacDecoderError(
    _ decoder: UnsafePointer<FLAC__StreamDecoder>?, _ status: FLAC__StreamDecoderErrorStatus,
    _ clientData: UnsafeMutableRawPointer?
) {
    guard let clientData else { return }
    Unmanaged<FLACStreamDecoder>.fromOpaque(clientData).takeUnretainedValue().receive(error: status)
}
