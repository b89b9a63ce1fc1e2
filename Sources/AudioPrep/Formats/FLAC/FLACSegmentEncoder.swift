internal import CFLAC

/// The compressed frames of one segment of a FLAC stream, numbered as a stream of their own.
struct FLACEncodedSegment: Sendable {
    /// The frames' bytes, back to back.
    var bytes: [UInt8]
    /// The size in bytes of each frame, in order.
    var frameSizes: [Int]
}

/// Encodes one run of 16-bit stereo samples into FLAC frames with libFLAC's stream
/// encoder (`FLAC__stream_encoder_new`, `init_stream` to memory,
/// `process`, `finish`, `delete`), keeping only the frames and dropping the metadata libFLAC writes first.
///
/// One instance per segment, used on one thread. The settings are the encoder half of
/// `FLACStreamSettings`; every segment but the last holds a whole number of blocks, so the
/// concatenation of all segments is a valid fixed-block-size stream once renumbered.
final class FLACSegmentEncoder {
    private let encoder: UnsafeMutablePointer<FLAC__StreamEncoder>
    private var output = FLACEncodedSegment(bytes: [], frameSizes: [])

    init(settings: FLACStreamSettings, frames: Int) throws(AudioPrepError) {
        guard let encoder = FLAC__stream_encoder_new() else {
            throw AudioPrepError(.internalError, "libFLAC could not allocate an encoder (out of memory).")
        }
        self.encoder = encoder
        output.bytes.reserveCapacity(frames * 2)
        var ok = FLAC__stream_encoder_set_channels(encoder, 2) != 0
        ok = ok && FLAC__stream_encoder_set_bits_per_sample(encoder, 16) != 0
        ok = ok && FLAC__stream_encoder_set_sample_rate(encoder, UInt32(settings.sampleRate)) != 0
        ok = ok && FLAC__stream_encoder_set_compression_level(encoder, UInt32(settings.compressionLevel)) != 0
        ok = ok && FLAC__stream_encoder_set_blocksize(encoder, UInt32(settings.blockSize)) != 0
        ok = ok && FLAC__stream_encoder_set_do_mid_side_stereo(encoder, settings.stereoDecorrelation ? 1 : 0) != 0
        ok = ok && FLAC__stream_encoder_set_loose_mid_side_stereo(encoder, 0) != 0
        ok = ok && FLAC__stream_encoder_set_streamable_subset(encoder, 1) != 0
        ok = ok && FLAC__stream_encoder_set_verify(encoder, 0) != 0
        ok = ok && FLAC__stream_encoder_set_do_md5(encoder, 0) != 0
        guard ok else {
            FLAC__stream_encoder_delete(encoder)
            throw AudioPrepError(.internalError, "libFLAC rejected the encoder settings.")
        }
        let status = FLAC__stream_encoder_init_stream(
            encoder, flacSegmentWrite, nil, nil, nil, Unmanaged.passUnretained(self).toOpaque())
        guard status == FLAC__STREAM_ENCODER_INIT_STATUS_OK else {
            let text = String(cString: cflac_encoder_init_status_string(status))
            FLAC__stream_encoder_delete(encoder)
            throw AudioPrepError(.internalError, "libFLAC could not start encoding (\(text)) at \(settings.sampleRate) Hz.")
        }
    }

    deinit { FLAC__stream_encoder_delete(encoder) }

    /// Encodes `frames` frames given as two planar channels (values in [−32768, 32767]) with
    /// `FLAC__stream_encoder_process`, which copies each channel with one memcpy (the interleaved
    /// entry point de-interleaves sample by sample).
    func encode(left: UnsafePointer<Int32>, right: UnsafePointer<Int32>, frames: Int) throws(AudioPrepError) {
        guard frames > 0 else { return }
        var channels: [UnsafePointer<Int32>?] = [left, right]
        let ok = channels.withUnsafeMutableBufferPointer { pointers in
            FLAC__stream_encoder_process(encoder, pointers.baseAddress, UInt32(frames))
        }
        if ok == 0 {
            throw failure()
        }
    }

    /// Flushes the last block (`FLAC__stream_encoder_finish`, whose result is checked) and returns
    /// the segment's frames.
    func finish() throws(AudioPrepError) -> FLACEncodedSegment {
        if FLAC__stream_encoder_finish(encoder) == 0 {
            throw failure()
        }
        return output
    }

    fileprivate func append(_ buffer: UnsafePointer<UInt8>, count: Int, samples: UInt32) {
        // Metadata (the "fLaC" marker, STREAMINFO) arrives with samples == 0; the stream
        // writer makes its own. Each frame arrives in one call.
        guard samples > 0 else { return }
        output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        output.frameSizes.append(count)
    }

    private func failure() -> AudioPrepError {
        let state = String(cString: FLAC__stream_encoder_get_resolved_state_string(encoder))
        return AudioPrepError(.internalError, "libFLAC failed while encoding: \(state).")
    }
}

/// libFLAC's write callback: hands the bytes to the `FLACSegmentEncoder` in `clientData`.
private func flacSegmentWrite(
    _ encoder: UnsafePointer<FLAC__StreamEncoder>?, _ buffer: UnsafePointer<FLAC__byte>?, _ bytes: Int,
    _ samples: UInt32, _ currentFrame: UInt32, _ clientData: UnsafeMutableRawPointer?
) -> FLAC__StreamEncoderWriteStatus {
    guard let clientData, let buffer else { return FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR }
    let segment = Unmanaged<FLACSegmentEncoder>.fromOpaque(clientData).takeUnretainedValue()
    segment.append(buffer, count: bytes, samples: samples)
    return FLAC__STREAM_ENCODER_WRITE_STATUS_OK
}
