#ifndef CALLPREP_FLAC_KERNELS_H
#define CALLPREP_FLAC_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// The inner loops of FLAC decoding that decide its speed, for `NativeFLACDecoder` (Swift parses
// everything else). Plain C so that they can use x86-64-v3 instructions (LZCNT, BMI2, AVX2)
// where the CPU has them, chosen at run time, while the Swift code is built for the baseline.

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

#endif
