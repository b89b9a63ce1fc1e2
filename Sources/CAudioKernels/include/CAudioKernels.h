#ifndef CALLPREP_AUDIO_KERNELS_H
#define CALLPREP_AUDIO_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Inner loops that decide callprep's speed: FLAC decoding (for `NativeFLACDecoder`; Swift parses
// everything else) and the merge's 16-bit quantizer (for `StereoQuantizer`). Plain C so that they
// can use x86-64-v3 instructions (LZCNT, BMI2, AVX2) where the CPU has them, chosen at run time,
// while the Swift code is built for the baseline.

/// Decodes `count` Rice codes with parameter `parameter` (0…30) from the bits of `base`,
/// starting at bit `*position` (most significant bit of each byte first), as zig-zag residuals
/// into `output`. `base` must have 16 readable bytes past bit `limit`. Returns 0 and advances
/// `*position`, or -1 when the codes run past `limit` (the caller loads more of the file and
/// decodes the frame again).
int callprep_flac_rice_decode(const uint8_t *base, size_t limit, size_t *position, unsigned parameter,
                              int32_t *output, size_t count);

/// Linear prediction in place: for i in order..<count, samples[i] += (Σ coefficients[j] ·
/// samples[i−1−j]) >> shift, in wrapping 32-bit arithmetic (exact whenever the stream's
/// bits + precision + ⌊log2 order⌋ ≤ 32). `order` is 1…32, `shift` 0…31.
void callprep_flac_lpc_restore32(int32_t *samples, size_t count, const int32_t *coefficients, unsigned order,
                                 unsigned shift);

/// The same prediction for `lanes` (1…8) independent blocks of `count` samples at once, each
/// with its own order (1…32), coefficients (`coefficients + 32 × lane`) and shift. With AVX2 and
/// orders ≤ 12, one lane per vector element: the eight dependency chains run side by side, about
/// six times faster than one after another. `scratch` holds `count × 8` values.
void callprep_flac_lpc_restore32_lanes(int32_t *const *planes, unsigned lanes, size_t count,
                                       const int32_t *coefficients, const unsigned *orders,
                                       const unsigned *shifts, int32_t *scratch);

/// 1 when every one of `count` samples fits a signed `bits`-bit integer (1…32), else 0.
int callprep_flac_samples_fit(const int32_t *samples, size_t count, unsigned bits);

/// CRC-16 of FLAC frames (polynomial x¹⁶+x¹⁵+x²+1, most significant bit first, initial 0) of
/// `count` bytes, eight bytes per step (slicing-by-8).
uint16_t callprep_flac_crc16(const uint8_t *bytes, size_t count);

/// Quantizes `count` Float32 samples of one channel (full scale ±1.0) into 16-bit samples:
/// values clamped to [−32768, 32767], NaN to 0, exact 16-bit values unchanged, any other value
/// given triangular dither from the counter-based hash of (key, index) and rounded to nearest,
/// ties to even. Sample i has index `start + i` (wrapping).
void callprep_quantize(const float *samples, size_t count, uint32_t key, uint32_t start, int16_t *output);

/// Quantizes `count` frames of two Float32 channels (full scale ±1.0) into interleaved 16-bit
/// samples, each channel exactly as `callprep_quantize` would. Sample i of the left channel has index `left_start + i` (wrapping), of the right `right_start + i`.
void callprep_quantize_stereo(const float *left, const float *right, size_t count, uint32_t left_key,
                              uint32_t right_key, uint32_t left_start, uint32_t right_start, int16_t *output);

#endif
