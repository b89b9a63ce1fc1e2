#include "CAudioKernels.h"

#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define CALLPREP_X86 1
#include <immintrin.h>
// Built twice, for baseline x86-64 and for x86-64-v3; the loader picks one (an IFUNC).
#define CALLPREP_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define CALLPREP_X86 0
#define CALLPREP_CLONES
#endif

static inline uint64_t load_big_endian_64(const uint8_t *bytes) {
    uint64_t value;
    memcpy(&value, bytes, sizeof value);
    return __builtin_bswap64(value);
}

CALLPREP_CLONES
int callprep_flac_rice_decode(const uint8_t *base, size_t limit, size_t *position, unsigned parameter,
                              int32_t *output, size_t count) {
    // `cache` holds the next bits, left-aligned; its first `cached` bits are the stream's, the
    // ones below are the stream's too or zero. `next` is the first byte not yet in `cache`.
    // A refill ORs in the 8 bytes at `next` below the cached bits, bringing `cached` to 56…63.
    size_t start = *position;
    size_t next = start >> 3;
    uint64_t cache = load_big_endian_64(base + next) << (start & 7);
    unsigned cached = 56 - (unsigned)(start & 7);
    next += 7;
    const unsigned k = parameter;
    // The last byte a refill may start at: its 8-byte load stays within the padding.
    const size_t last_refill = limit >> 3;
    size_t i = 0;
    for (;;) {
        // Codes whose quotient, stop bit and remainder are in the cache: a count of leading
        // zeros and two shifts each. The `used` bits of a code read as a number are 2^k + r, so
        // the value q·2^k + r is that number plus (q − 1)·2^k (wrapping when q is 0). An
        // all-zero cache counts 64 zeros, more than it holds (`__builtin_clzg` is one LZCNT on
        // x86-64-v3).
        for (; i < count; i++) {
            if (cached < 32) {
                if (next > last_refill) break;
                cache |= load_big_endian_64(base + next) >> cached;
                next += (63 - cached) >> 3;
                cached |= 56;
            }
            unsigned quotient = (unsigned)__builtin_clzg(cache, 64);
            unsigned used = quotient + 1 + k;
            if (used > cached) break;
            uint64_t value = (cache >> (64 - used)) + (((uint64_t)quotient - 1) << k);
            cache <<= used;
            cached -= used;
            output[i] = (int32_t)(uint32_t)((value >> 1) ^ (0 - (value & 1)));
        }
        if (i == count) break;
        // One code the general way, from the bit position: a quotient longer than the cache, or
        // the end of the bytes in memory, checked against `limit` at every step.
        size_t bit = next * 8 - cached;
        uint64_t zeros = 0;
        for (;;) {
            if (bit > limit) return -1;
            uint64_t word = (load_big_endian_64(base + (bit >> 3)) << (bit & 7)) | 0x7F;
            unsigned run = (unsigned)__builtin_clzll(word);
            if (run < 57) {
                bit += run + 1;
                zeros += run;
                break;
            }
            bit += 57;
            zeros += 57;
        }
        if (bit > limit) return -1;
        uint64_t remainder = ((load_big_endian_64(base + (bit >> 3)) << (bit & 7)) >> 1) >> (63 - k);
        bit += k;
        uint64_t value = (zeros << k) | remainder;
        output[i] = (int32_t)(uint32_t)((value >> 1) ^ (0 - (value & 1)));
        i += 1;
        next = bit >> 3;
        cache = load_big_endian_64(base + next) << (bit & 7);
        cached = 56 - (unsigned)(bit & 7);
        next += 7;
    }
    size_t end = next * 8 - cached;
    *position = end;
    return end > limit ? -1 : 0;
}

CALLPREP_CLONES
int callprep_flac_samples_fit(const int32_t *samples, size_t count, unsigned bits) {
    int32_t lowest = INT32_MAX, highest = INT32_MIN;
    for (size_t i = 0; i < count; i++) {
        lowest = samples[i] < lowest ? samples[i] : lowest;
        highest = samples[i] > highest ? samples[i] : highest;
    }
    if (count == 0 || bits >= 32) return 1;
    int32_t limit = (int32_t)1 << (bits - 1);
    return lowest >= -limit && highest < limit;
}

// crc16_tables[k][b]: the CRC-16 of byte b followed by k zero bytes. Filled once when the
// program loads, before any thread can call the CRC.
static uint16_t crc16_tables[16][256];

__attribute__((constructor)) static void fill_crc16_tables(void) {
    for (unsigned b = 0; b < 256; b++) {
        uint16_t crc = (uint16_t)(b << 8);
        for (int bit = 0; bit < 8; bit++) crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x8005 : crc << 1);
        crc16_tables[0][b] = crc;
    }
    for (unsigned k = 1; k < 16; k++) {
        for (unsigned b = 0; b < 256; b++) {
            uint16_t previous = crc16_tables[k - 1][b];
            crc16_tables[k][b] = (uint16_t)((previous << 8) ^ crc16_tables[0][previous >> 8]);
        }
    }
}

// Sixteen bytes per step. Only the first two lookups depend on the running CRC; the other
// fourteen are combined first, so each step's dependency chain is one lookup and two XORs.
uint16_t callprep_flac_crc16(const uint8_t *bytes, size_t count) {
    uint16_t crc = 0;
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const uint8_t *b = bytes + i;
        uint16_t rest = (uint16_t)(((crc16_tables[13][b[2]] ^ crc16_tables[12][b[3]]) ^
                                    (crc16_tables[11][b[4]] ^ crc16_tables[10][b[5]])) ^
                                   ((crc16_tables[9][b[6]] ^ crc16_tables[8][b[7]]) ^
                                    (crc16_tables[7][b[8]] ^ crc16_tables[6][b[9]])) ^
                                   (((crc16_tables[5][b[10]] ^ crc16_tables[4][b[11]]) ^
                                     (crc16_tables[3][b[12]] ^ crc16_tables[2][b[13]])) ^
                                    (crc16_tables[1][b[14]] ^ crc16_tables[0][b[15]])));
        crc = (uint16_t)(crc16_tables[15][b[0] ^ (crc >> 8)] ^ crc16_tables[14][b[1] ^ (crc & 0xFF)] ^ rest);
    }
    for (; i < count; i++) crc = (uint16_t)((crc << 8) ^ crc16_tables[0][(crc >> 8) ^ bytes[i]]);
    return crc;
}

// Keeps a value in a general register: stops the compiler from turning the dot product into a
// vector multiply plus horizontal sum, whose latency sits on the loop's dependency chain.
#define KEEP_SCALAR(x) __asm__("" : "+r"(x))

// Unsigned arithmetic wraps (signed overflow would be undefined); the shift of the sum is
// arithmetic, as FLAC requires (clang and gcc define >> on negative values that way).
#define PREDICT_TERM(j) ((uint32_t)c[j] * (uint32_t)samples[i - 1 - (j)])

CALLPREP_CLONES
void callprep_flac_lpc_restore32(int32_t *samples, size_t count, const int32_t *c, unsigned order,
                                 unsigned shift) {
    if (count <= order) return;
    if (order <= 8) {
        // Orders 1…8 as order 8 with zero coefficients past `order` (so the loop is the same for
        // all of them), once eight samples of history exist; the newest sample's product is the
        // only one on the dependency chain.
        int32_t k[8] = {0};
        for (unsigned j = 0; j < order; j++) k[j] = c[j];
        size_t i = order;
        for (; i < count && i < 8; i++) {
            uint32_t sum = 0;
            for (unsigned j = 0; j < order; j++) sum += PREDICT_TERM(j);
            samples[i] = (int32_t)((uint32_t)samples[i] + (uint32_t)((int32_t)sum >> shift));
        }
        for (; i < count; i++) {
            uint32_t rest = 0;
            for (unsigned j = 1; j < 8; j++) rest += (uint32_t)k[j] * (uint32_t)samples[i - 1 - j];
            KEEP_SCALAR(rest);
            uint32_t sum = (uint32_t)k[0] * (uint32_t)samples[i - 1] + rest;
            samples[i] = (int32_t)((uint32_t)samples[i] + (uint32_t)((int32_t)sum >> shift));
        }
        return;
    }
    for (size_t i = order; i < count; i++) {
        uint32_t sum = 0;
        for (unsigned j = 0; j < order; j++) sum += PREDICT_TERM(j);
        KEEP_SCALAR(sum);
        samples[i] = (int32_t)((uint32_t)samples[i] + (uint32_t)((int32_t)sum >> shift));
    }
}

#if CALLPREP_X86

// rows[r] = 8 values of lane r; afterwards rows[j] = value j of lanes 0…7.
__attribute__((target("avx2"))) static inline void transpose8(__m256i *rows) {
    __m256i t0 = _mm256_unpacklo_epi32(rows[0], rows[1]), t1 = _mm256_unpackhi_epi32(rows[0], rows[1]);
    __m256i t2 = _mm256_unpacklo_epi32(rows[2], rows[3]), t3 = _mm256_unpackhi_epi32(rows[2], rows[3]);
    __m256i t4 = _mm256_unpacklo_epi32(rows[4], rows[5]), t5 = _mm256_unpackhi_epi32(rows[4], rows[5]);
    __m256i t6 = _mm256_unpacklo_epi32(rows[6], rows[7]), t7 = _mm256_unpackhi_epi32(rows[6], rows[7]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    rows[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    rows[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    rows[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    rows[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    rows[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    rows[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    rows[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    rows[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// planes (lanes of them; the rest read as zero) → scratch[i × 8 + lane] for i in 0..<count.
__attribute__((target("avx2"))) static void interleave(int32_t *const *planes, unsigned lanes, size_t count,
                                                        int32_t *scratch) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256i rows[8];
        for (unsigned r = 0; r < 8; r++) {
            rows[r] = r < lanes ? _mm256_loadu_si256((const __m256i *)(planes[r] + i)) : _mm256_setzero_si256();
        }
        transpose8(rows);
        for (unsigned j = 0; j < 8; j++) _mm256_storeu_si256((__m256i *)(scratch + (i + j) * 8), rows[j]);
    }
    for (; i < count; i++) {
        for (unsigned r = 0; r < 8; r++) scratch[i * 8 + r] = r < lanes ? planes[r][i] : 0;
    }
}

// scratch[i × 8 + lane] → planes for i in from..<count.
__attribute__((target("avx2"))) static void deinterleave(int32_t *const *planes, unsigned lanes, size_t from,
                                                          size_t count, const int32_t *scratch) {
    size_t i = from;
    for (; i < count && (i & 7); i++) {
        for (unsigned r = 0; r < lanes; r++) planes[r][i] = scratch[i * 8 + r];
    }
    for (; i + 8 <= count; i += 8) {
        __m256i rows[8];
        for (unsigned j = 0; j < 8; j++) rows[j] = _mm256_loadu_si256((const __m256i *)(scratch + (i + j) * 8));
        transpose8(rows);
        for (unsigned r = 0; r < lanes; r++) _mm256_storeu_si256((__m256i *)(planes[r] + i), rows[r]);
    }
    for (; i < count; i++) {
        for (unsigned r = 0; r < lanes; r++) planes[r][i] = scratch[i * 8 + r];
    }
}

// The prediction over interleaved lanes, from sample `taps` on; taps is 8 or 12 (coefficients
// past a lane's order are zero). History and coefficients stay in vector registers.
#define LANES_LOOP(TAPS)                                                                          \
    __attribute__((target("avx2"))) static void restore_lanes_##TAPS(                             \
        int32_t *s, size_t count, const int32_t *taps, const int32_t *shifts) {                   \
        const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts);                        \
        __m256i c[TAPS], h[TAPS];                                                                 \
        for (unsigned j = 0; j < TAPS; j++) {                                                     \
            c[j] = _mm256_loadu_si256((const __m256i *)(taps + 8 * j));                           \
            h[j] = _mm256_loadu_si256((const __m256i *)(s + 8 * (TAPS - 1 - j)));                 \
        }                                                                                         \
        for (size_t i = TAPS; i < count; i++) {                                                   \
            __m256i sum = _mm256_mullo_epi32(c[0], h[0]);                                         \
            for (unsigned j = 1; j < TAPS; j++) sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(c[j], h[j])); \
            __m256i value = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(s + 8 * i)),   \
                                             _mm256_srav_epi32(sum, shift));                      \
            _mm256_storeu_si256((__m256i *)(s + 8 * i), value);                                   \
            for (unsigned j = TAPS - 1; j > 0; j--) h[j] = h[j - 1];                              \
            h[0] = value;                                                                         \
        }                                                                                         \
    }
LANES_LOOP(8)
LANES_LOOP(12)

// The CPU model is read once by the compiler runtime's constructor when the program loads;
// asking is a load of that global, safe from any thread.
static int has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#endif

void callprep_flac_lpc_restore32_lanes(int32_t *const *planes, unsigned lanes, size_t count,
                                       const int32_t *coefficients, const unsigned *orders,
                                       const unsigned *shifts, int32_t *scratch) {
    unsigned widest = 0;
    for (unsigned lane = 0; lane < lanes; lane++) {
        if (orders[lane] > widest) widest = orders[lane];
    }
#if CALLPREP_X86
    unsigned taps = widest <= 8 ? 8 : 12;
    if (lanes >= 2 && lanes <= 8 && widest <= 12 && count > taps && has_avx2()) {
        // Each lane's samples before `taps` the scalar way (its warm-up ends at its own order).
        for (unsigned lane = 0; lane < lanes; lane++) {
            callprep_flac_lpc_restore32(planes[lane], taps, coefficients + 32 * lane, orders[lane], shifts[lane]);
        }
        int32_t tapTable[12 * 8] = {0};
        int32_t shiftTable[8] = {0};
        for (unsigned lane = 0; lane < lanes; lane++) {
            for (unsigned j = 0; j < orders[lane]; j++) tapTable[8 * j + lane] = coefficients[32 * lane + j];
            shiftTable[lane] = (int32_t)shifts[lane];
        }
        interleave(planes, lanes, count, scratch);
        if (taps == 8) {
            restore_lanes_8(scratch, count, tapTable, shiftTable);
        } else {
            restore_lanes_12(scratch, count, tapTable, shiftTable);
        }
        deinterleave(planes, lanes, taps, count, scratch);
        return;
    }
#endif
    (void)scratch;
    for (unsigned lane = 0; lane < lanes; lane++) {
        callprep_flac_lpc_restore32(planes[lane], count, coefficients + 32 * lane, orders[lane], shifts[lane]);
    }
}
