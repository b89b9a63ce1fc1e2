#include "CAudioKernels.h"

#include <string.h>

// The quantizer of `TPDFQuantizer` and `StereoQuantizer`, eight lanes at a time. No contraction
// into fused multiply-adds, which would round differently on different builds.
#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__linux__)
#define CALLPREP_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define CALLPREP_CLONES
#endif

// The helpers below take 256-bit vectors; they are always inlined into the function that uses
// them, so that each of its clones (baseline, x86-64-v3) gets its own copy and no vector crosses
// a call between code built for different instruction sets (their calling conventions differ).
// The compiler's warning about exactly that is therefore moot here.
#pragma clang diagnostic ignored "-Wpsabi"
typedef float f32x8 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef int16_t i16x16 __attribute__((vector_size(32)));

static const float magic = 12582912.0f;  // 1.5 × 2^23: adding it rounds to an integer, ties to even

// Triangular dither in (−1, 1) LSB for the samples numbered `index`: the difference of the two
// 16-bit halves of a multiply–xorshift hash of (index, key), each scaled to [0, 1).
__attribute__((always_inline)) static inline f32x8 triangular(uint32_t key, u32x8 index) {
    u32x8 h = (index * 0x9E3779B9u) ^ key;
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    h *= 0x846CA68Bu;
    h ^= h >> 16;
    const float scale = 1.0f / 65536.0f;
    f32x8 high = __builtin_convertvector((i32x8)(h >> 16), f32x8);
    f32x8 low = __builtin_convertvector((i32x8)(h & 0xFFFFu), f32x8);
    return high * scale - low * scale;
}

// Lane-wise `mask ? a : b` (mask lanes all ones or all zeros, as vector comparisons give).
__attribute__((always_inline)) static inline i32x8 select_int(i32x8 mask, i32x8 a, i32x8 b) { return (a & mask) | (b & ~mask); }

__attribute__((always_inline)) static inline f32x8 select_float(i32x8 mask, f32x8 a, f32x8 b) {
    i32x8 ai, bi;
    memcpy(&ai, &a, sizeof ai);
    memcpy(&bi, &b, sizeof bi);
    i32x8 chosen = select_int(mask, ai, bi);
    f32x8 result;
    memcpy(&result, &chosen, sizeof result);
    return result;
}

__attribute__((always_inline)) static inline i32x8 quantize8(f32x8 samples, uint32_t key, u32x8 index) {
    const f32x8 zero = {};
    f32x8 scaled = samples * 32768.0f;
    scaled = select_float(scaled > 32767.0f, zero + 32767.0f, scaled);
    scaled = select_float(scaled < -32768.0f, zero - 32768.0f, scaled);
    scaled = select_float(scaled == scaled, scaled, zero);  // NaN → 0
    f32x8 rounded = scaled + magic;
    i32x8 exact = (rounded - magic) == scaled;
    i32x8 plain;
    memcpy(&plain, &rounded, sizeof plain);
    int all_exact = 1;
    for (int lane = 0; lane < 8; lane++) all_exact &= exact[lane] != 0;
    if (all_exact) return plain - 0x4B400000;
    f32x8 dither = select_float(exact, zero, triangular(key, index));
    f32x8 biased = (scaled + dither) + magic;
    i32x8 value;
    memcpy(&value, &biased, sizeof value);
    value -= 0x4B400000;
    const i32x8 none = {};
    value = select_int(value < -32768, none - 32768, value);
    value = select_int(value > 32767, none + 32767, value);
    return value;
}

CALLPREP_CLONES
void callprep_quantize(const float *samples, size_t count, uint32_t key, uint32_t start, int16_t *output) {
    const u32x8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
    for (size_t frame = 0; frame < count; frame += 8) {
        size_t n = count - frame < 8 ? count - frame : 8;
        f32x8 block = {};
        for (size_t lane = 0; lane < n; lane++) block[lane] = samples[frame + lane];
        i32x8 values = quantize8(block, key, lanes + (uint32_t)frame + start);
        for (size_t lane = 0; lane < n; lane++) output[frame + lane] = (int16_t)values[lane];
    }
}

CALLPREP_CLONES
void callprep_quantize_stereo(const float *left, const float *right, size_t count, uint32_t left_key,
                              uint32_t right_key, uint32_t left_start, uint32_t right_start, int16_t *output) {
    const u32x8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
    size_t frame = 0;
    while (frame < count) {
        size_t n = count - frame < 8 ? count - frame : 8;
        f32x8 l = {}, r = {};
        if (n == 8) {
            memcpy(&l, left + frame, sizeof l);
            memcpy(&r, right + frame, sizeof r);
        } else {
            for (size_t lane = 0; lane < n; lane++) {
                l[lane] = left[frame + lane];
                r[lane] = right[frame + lane];
            }
        }
        u32x8 offset = lanes + (uint32_t)frame;
        i32x8 ql = quantize8(l, left_key, offset + left_start);
        i32x8 qr = quantize8(r, right_key, offset + right_start);
        i16x8 sl = __builtin_convertvector(ql, i16x8);
        i16x8 sr = __builtin_convertvector(qr, i16x8);
        i16x16 pair = __builtin_shufflevector(sl, sr, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
        if (n == 8) {
            memcpy(output + 2 * frame, &pair, sizeof pair);
        } else {
            for (size_t index = 0; index < 2 * n; index++) output[2 * frame + index] = pair[index];
        }
        frame += n;
    }
}
