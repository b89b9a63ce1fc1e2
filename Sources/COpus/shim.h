#ifndef COPUS_SHIM_H
#define COPUS_SHIM_H

#include <opus.h>

/// `opus_decoder_ctl` is variadic, which Swift cannot call; these wrappers make the requests we use.
static inline int copus_decoder_reset(OpusDecoder *decoder) {
    return opus_decoder_ctl(decoder, OPUS_RESET_STATE);
}

static inline int copus_decoder_set_gain(OpusDecoder *decoder, int gainQ8) {
    return opus_decoder_ctl(decoder, OPUS_SET_GAIN(gainQ8));
}

static inline int copus_decoder_get_last_packet_duration(OpusDecoder *decoder, opus_int32 *samples) {
    return opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(samples));
}

#endif
