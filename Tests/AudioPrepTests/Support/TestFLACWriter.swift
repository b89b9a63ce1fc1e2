import CFLAC
import Foundation

/// Writes FLAC files with libFLAC's encoder directly, so tests can reach coding choices the
/// `flac` tool does not expose (escape codes, LPC order 32, 65,535-sample blocks, any width).
enum TestFLACWriter {
    struct Settings: Sendable, CustomStringConvertible {
        var bits = 16
        var channels = 2
        var rate = 16000
        var level = 5
        var blockSize = 4096
        var maxLPCOrder: Int?
        var precision: Int?
        var escapeCoding = false
        var midSide: Bool?
        var exhaustive = false
        var description: String {
            "\(bits)-bit ×\(channels) level \(level) block \(blockSize)"
                + (maxLPCOrder.map { " lpc \($0)" } ?? "") + (precision.map { " qlp \($0)" } ?? "")
                + (escapeCoding ? " escapes" : "") + (midSide.map { $0 ? " mid-side" : " independent" } ?? "")
                + (exhaustive ? " exhaustive" : "")
        }
    }

    /// Encodes `samples` (interleaved, in the signed range of `settings.bits`) to `path`.
    static func write(_ samples: [Int32], to path: String, _ settings: Settings) throws {
        guard let encoder = FLAC__stream_encoder_new() else { throw Failure("no encoder") }
        defer { FLAC__stream_encoder_delete(encoder) }
        var ok = FLAC__stream_encoder_set_channels(encoder, UInt32(settings.channels)) != 0
        ok = ok && FLAC__stream_encoder_set_bits_per_sample(encoder, UInt32(settings.bits)) != 0
        ok = ok && FLAC__stream_encoder_set_sample_rate(encoder, UInt32(settings.rate)) != 0
        ok = ok && FLAC__stream_encoder_set_compression_level(encoder, UInt32(settings.level)) != 0
        ok = ok && FLAC__stream_encoder_set_blocksize(encoder, UInt32(settings.blockSize)) != 0
        ok = ok && FLAC__stream_encoder_set_streamable_subset(encoder, 0) != 0
        if let order = settings.maxLPCOrder { ok = ok && FLAC__stream_encoder_set_max_lpc_order(encoder, UInt32(order)) != 0 }
        if let precision = settings.precision {
            ok = ok && FLAC__stream_encoder_set_qlp_coeff_precision(encoder, UInt32(precision)) != 0
        }
        if settings.escapeCoding { ok = ok && FLAC__stream_encoder_set_do_escape_coding(encoder, 1) != 0 }
        if let midSide = settings.midSide {
            ok = ok && FLAC__stream_encoder_set_do_mid_side_stereo(encoder, midSide ? 1 : 0) != 0
            ok = ok && FLAC__stream_encoder_set_loose_mid_side_stereo(encoder, 0) != 0
        }
        if settings.exhaustive { ok = ok && FLAC__stream_encoder_set_do_exhaustive_model_search(encoder, 1) != 0 }
        ok = ok && FLAC__stream_encoder_set_total_samples_estimate(encoder, UInt64(samples.count / settings.channels)) != 0
        guard ok, FLAC__stream_encoder_init_file(encoder, path, nil, nil) == FLAC__STREAM_ENCODER_INIT_STATUS_OK else {
            throw Failure("libFLAC refused the settings \(settings)")
        }
        let written = samples.withUnsafeBufferPointer { buffer in
            FLAC__stream_encoder_process_interleaved(encoder, buffer.baseAddress, UInt32(samples.count / settings.channels))
        }
        guard written != 0, FLAC__stream_encoder_finish(encoder) != 0 else { throw Failure("libFLAC failed to encode") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
