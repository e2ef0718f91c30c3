// A GEMM for NHWC 1×1 convolutions whose weights are mostly zero (the person detector's are
// 75 % zero), reading only the non-zero weights.
//
// out (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias).
//
// The weights are stored once as compressed rows (`ck_sparse_pack`): per output channel the
// depths of its non-zero weights, increasing, and their values. Each output is the bias plus its
// non-zero products added in increasing depth with fused multiply-adds, which is what the dense
// kernel (`ck_gemm_bias_clamp`) computes when it adds the zero products too: the two agree bit
// for bit on finite inputs, up to the sign of a zero.
//
// The AVX-512 kernel works on blocks of 64 pixels (rows). It transposes the block's inputs into
// `a_t (depth, 64)`, so one depth's 64 pixels are four vectors, zero past the last row. Output
// channels go in pairs: per pair of non-zero weights it broadcasts both and issues eight FMAs into
// eight independent sums (four per channel; one channel alone would wait on the FMA latency).
// The outputs `out_t (cols, 64)` are transposed back into the rows. Transposes are 16×16 in
// registers, which is why a shallow layer (a few dozen input channels) is faster dense.

#include "CKernels.h"

#include <immintrin.h>
#include <stdint.h>

enum { PIXELS = 64 };

size_t ck_sparse_nonzero_count(const float *weight, size_t depth, size_t cols) {
    size_t count = 0;
    for (size_t i = 0; i < depth * cols; i++) count += weight[i] != 0.0f;
    return count;
}

void ck_sparse_pack(const float *weight, size_t depth, size_t cols, int32_t *start, int32_t *index, float *value) {
    int32_t at = 0;
    for (size_t c = 0; c < cols; c++) {
        start[c] = at;
        for (size_t k = 0; k < depth; k++) {
            float w = weight[c * depth + k];
            if (w != 0.0f) { index[at] = (int32_t)k; value[at] = w; at++; }
        }
    }
    start[cols] = at;
}

size_t ck_sparse_scratch_count(size_t depth, size_t cols) { return (depth + cols) * PIXELS + 16; }

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// Portable: one output at a time, its non-zero products in increasing depth.
static void sparse_portable(const float *a, size_t rows, size_t depth, const int32_t *start, const int32_t *index,
                            const float *value, const float *bias, size_t cols, float lo, float hi, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *x = a + r * depth;  // (depth)
        for (size_t c = 0; c < cols; c++) {
            float sum = bias ? bias[c] : 0.0f;
            for (int32_t j = start[c]; j < start[c + 1]; j++) sum += value[j] * x[index[j]];
            out[r * cols + c] = clampf(sum, lo, hi);
        }
    }
}

/// Transposes the 16×16 block r in place: r[i] lane j becomes r[j] lane i.
__attribute__((target("avx512f")))
static inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    // Pairs of rows interleaved within each 128-bit lane.
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // Groups of four rows: r[4i + j]'s 128-bit lane L holds rows 4i..4i+3 of column 4L + j.
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    // Gather each column's four 128-bit lanes from the four groups.
    for (int j = 0; j < 4; j++) {
        __m512 even01 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88), odd01 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        __m512 even23 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88), odd23 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
        t[j] = _mm512_shuffle_f32x4(even01, even23, 0x88);
        t[8 + j] = _mm512_shuffle_f32x4(even01, even23, 0xDD);
        t[4 + j] = _mm512_shuffle_f32x4(odd01, odd23, 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(odd01, odd23, 0xDD);
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

/// a_t (depth, 64) ← the `count` rows at a (depth floats each); pixels past `count` are zero.
__attribute__((target("avx512f")))
static void transpose_in(const float *a, size_t count, size_t depth, float *a_t) {
    for (size_t p0 = (count + 15) / 16 * 16; p0 < PIXELS; p0 += 16)
        for (size_t k = 0; k < depth; k++) _mm512_store_ps(a_t + k * PIXELS + p0, _mm512_setzero_ps());
    for (size_t p0 = 0; p0 < count; p0 += 16) {
        size_t pixels = count - p0 < 16 ? count - p0 : 16;
        for (size_t k0 = 0; k0 < depth; k0 += 16) {
            size_t depths = depth - k0 < 16 ? depth - k0 : 16;
            __mmask16 mask = (__mmask16)((1u << depths) - 1u);
            __m512 r[16];
            for (size_t i = 0; i < 16; i++)
                r[i] = i < pixels ? _mm512_maskz_loadu_ps(mask, a + (p0 + i) * depth + k0) : _mm512_setzero_ps();
            transpose16(r);
            for (size_t j = 0; j < depths; j++) _mm512_store_ps(a_t + (k0 + j) * PIXELS + p0, r[j]);
        }
    }
}

/// The `count` rows at out (cols floats each) ← out_t (cols, 64).
__attribute__((target("avx512f")))
static void transpose_out(const float *out_t, size_t count, size_t cols, float *out) {
    for (size_t p0 = 0; p0 < count; p0 += 16) {
        size_t pixels = count - p0 < 16 ? count - p0 : 16;
        for (size_t c0 = 0; c0 < cols; c0 += 16) {
            size_t channels = cols - c0 < 16 ? cols - c0 : 16;
            __mmask16 mask = (__mmask16)((1u << channels) - 1u);
            __m512 r[16];
            for (size_t j = 0; j < 16; j++) r[j] = j < channels ? _mm512_load_ps(out_t + (c0 + j) * PIXELS + p0) : _mm512_setzero_ps();
            transpose16(r);
            for (size_t i = 0; i < pixels; i++) _mm512_mask_storeu_ps(out + (p0 + i) * cols + c0, mask, r[i]);
        }
    }
}

/// s[0..3] (64 pixels) += the products of non-zero weights from ..< to with their depths' pixels.
__attribute__((target("avx512f,fma")))
static inline void accumulate(const float *a_t, const int32_t *index, const float *value, int32_t from, int32_t to, __m512 s[4]) {
    for (int32_t j = from; j < to; j++) {
        const float *x = a_t + (size_t)index[j] * PIXELS;  // (64)
        const __m512 w = _mm512_set1_ps(value[j]);
        s[0] = _mm512_fmadd_ps(w, _mm512_load_ps(x), s[0]);
        s[1] = _mm512_fmadd_ps(w, _mm512_load_ps(x + 16), s[1]);
        s[2] = _mm512_fmadd_ps(w, _mm512_load_ps(x + 32), s[2]);
        s[3] = _mm512_fmadd_ps(w, _mm512_load_ps(x + 48), s[3]);
    }
}

/// y (64) ← s clamped to [lo, hi].
__attribute__((target("avx512f")))
static inline void store_clamped(float *y, const __m512 s[4], __m512 lo, __m512 hi) {
    for (int v = 0; v < 4; v++) _mm512_store_ps(y + 16 * v, _mm512_min_ps(_mm512_max_ps(s[v], lo), hi));
}

__attribute__((target("avx512f,fma")))
static void sparse_avx512(const float *a, size_t rows, size_t depth, const int32_t *start, const int32_t *index,
                          const float *value, const float *bias, size_t cols, float lo, float hi, float *out,
                          float *scratch) {
    float *a_t = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);  // (depth, 64)
    float *out_t = a_t + depth * PIXELS;                                  // (cols, 64)
    const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
    for (size_t r0 = 0; r0 < rows; r0 += PIXELS) {
        size_t count = rows - r0 < PIXELS ? rows - r0 : PIXELS;
        transpose_in(a + r0 * depth, count, depth, a_t);
        size_t c = 0;
        for (; c + 1 < cols; c += 2) {
            // Channels c and c + 1 together over their common length, then each one's rest.
            __m512 s[4], t[4];
            for (int v = 0; v < 4; v++) {
                s[v] = _mm512_set1_ps(bias ? bias[c] : 0.0f);
                t[v] = _mm512_set1_ps(bias ? bias[c + 1] : 0.0f);
            }
            int32_t j = start[c], j_end = start[c + 1], i = j_end, i_end = start[c + 2];
            int32_t common = j_end - j < i_end - i ? j_end - j : i_end - i;
            for (int32_t q = 0; q < common; q++, j++, i++) {
                const float *x = a_t + (size_t)index[j] * PIXELS, *z = a_t + (size_t)index[i] * PIXELS;  // (64) each
                const __m512 w = _mm512_set1_ps(value[j]), u = _mm512_set1_ps(value[i]);
                for (int v = 0; v < 4; v++) {
                    s[v] = _mm512_fmadd_ps(w, _mm512_load_ps(x + 16 * v), s[v]);
                    t[v] = _mm512_fmadd_ps(u, _mm512_load_ps(z + 16 * v), t[v]);
                }
            }
            accumulate(a_t, index, value, j, j_end, s);
            accumulate(a_t, index, value, i, i_end, t);
            store_clamped(out_t + c * PIXELS, s, vlo, vhi);
            store_clamped(out_t + (c + 1) * PIXELS, t, vlo, vhi);
        }
        if (c < cols) {
            __m512 s[4];
            for (int v = 0; v < 4; v++) s[v] = _mm512_set1_ps(bias ? bias[c] : 0.0f);
            accumulate(a_t, index, value, start[c], start[c + 1], s);
            store_clamped(out_t + c * PIXELS, s, vlo, vhi);
        }
        transpose_out(out_t, count, cols, out + r0 * cols);
    }
}

void ck_sparse_gemm_bias_clamp(ck_isa isa, const float *a, size_t rows, size_t depth, const int32_t *start,
                               const int32_t *index, const float *value, const float *bias, size_t cols,
                               float lo, float hi, float *out, float *scratch) {
    if (rows == 0 || cols == 0) return;
    if (isa == CK_ISA_AVX512) {
        sparse_avx512(a, rows, depth, start, index, value, bias, cols, lo, hi, out, scratch);
    } else {
        sparse_portable(a, rows, depth, start, index, value, bias, cols, lo, hi, out);
    }
}
