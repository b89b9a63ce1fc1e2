#ifndef CFLAC_SHIM_H
#define CFLAC_SHIM_H

#include <FLAC/stream_encoder.h>
#include <FLAC/stream_decoder.h>
#include <FLAC/metadata.h>

/// The text libFLAC gives an encoder init status. `FLAC__StreamEncoderInitStatusString` is a C
/// array of unknown size, which Swift imports as an opaque tuple pointer; this accessor indexes it.
static inline const char *cflac_encoder_init_status_string(FLAC__StreamEncoderInitStatus status) {
    return FLAC__StreamEncoderInitStatusString[status];
}

/// The text libFLAC gives a decoder init status (same reason as above).
static inline const char *cflac_decoder_init_status_string(FLAC__StreamDecoderInitStatus status) {
    return FLAC__StreamDecoderInitStatusString[status];
}

/// The text libFLAC gives a decoder error status (same reason as above).
static inline const char *cflac_decoder_error_status_string(FLAC__StreamDecoderErrorStatus status) {
    return FLAC__StreamDecoderErrorStatusString[status];
}

/// Turns libFLAC's own MD5 of the input off or on. Exported by libFLAC (the `flac` tool's
/// `--no-md5-sum` uses it) but declared only in its non-installed `protected/stream_encoder.h`.
/// callprep encodes one stream as several segments in parallel and computes the MD5 of the whole
/// stream itself, so the per-segment MD5 would be wasted work.
FLAC_API FLAC__bool FLAC__stream_encoder_set_do_md5(FLAC__StreamEncoder *encoder, FLAC__bool value);

#endif
