// A GEMM for NHWC 1×1 convolutions that never leaves the calling thread.
//
// out (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias).
//
// The weights are repacked once (`ck_gemm_pack`) into column panels of PANEL = 32 outputs,
// `packed (panels, depth, 32)` with the columns past `cols` zero, followed by the bias
// `(panels·32)`, so a micro-kernel reads one contiguous 32-float row per depth step. The
// AVX-512 micro-kernel keeps a 12×32 block of `out` in 24 zmm registers: per depth step it
// loads two weight vectors, broadcasts 12 inputs and issues 24 FMAs. Rows
// are the outer loop, so a 12-row block of `a` stays in L1 while the (small) packed weights
// stream from L2. The last, short row block is copied into a zero-padded `(12, depth)` tile.

#include "CKernels.h"

#include <immintrin.h>
#include <string.h>

enum { PANEL = 32, MR = 12 };

static size_t panel_count(size_t cols) { return (cols + PANEL - 1) / PANEL; }

size_t ck_gemm_packed_count(size_t depth, size_t cols) {
    size_t panels = panel_count(cols);
    return panels * depth * PANEL   // packed weights (panels, depth, 32)
         + panels * PANEL;          // packed bias (panels·32)
}

size_t ck_gemm_scratch_count(size_t depth) { return (size_t)MR * depth; }  // short row block (12, depth)

/// packed (panels, depth, 32) ← weight (cols, depth)ᵀ, then (panels·32) ← bias or 0.
void ck_gemm_pack(const float *weight, const float *bias, size_t depth, size_t cols, float *packed) {
    size_t panels = panel_count(cols);
    float *packed_bias = packed + panels * depth * PANEL;
    memset(packed, 0, panels * depth * PANEL * sizeof(float));
    memset(packed_bias, 0, panels * PANEL * sizeof(float));
    for (size_t c = 0; c < cols; c++) {
        float *dst = packed + (c / PANEL) * depth * PANEL + c % PANEL;
        const float *src = weight + c * depth;
        for (size_t k = 0; k < depth; k++) dst[k * PANEL] = src[k];
        if (bias) packed_bias[c] = bias[c];
    }
}

/// a_tile (12, depth) ← the `count` rows at `a`, the rest zero.
static const float *short_block(const float *a, size_t count, size_t depth, float *a_tile) {
    memcpy(a_tile, a, count * depth * sizeof(float));
    memset(a_tile + count * depth, 0, (MR - count) * depth * sizeof(float));
    return a_tile;
}

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// Portable: one output row at a time, 32 accumulators that the compiler keeps in vector registers.
static void gemm_portable(const float *a, size_t rows, size_t depth, const float *packed,
                          const float *packed_bias, size_t cols, float lo, float hi, float *out) {
    size_t panels = panel_count(cols);
    for (size_t r = 0; r < rows; r++) {
        const float *arow = a + r * depth;  // (depth)
        for (size_t p = 0; p < panels; p++) {
            const float *b = packed + p * depth * PANEL;  // (depth, 32)
            float acc[PANEL];
            for (int j = 0; j < PANEL; j++) acc[j] = packed_bias[p * PANEL + j];
            for (size_t k = 0; k < depth; k++) {
                float av = arow[k];
                for (int j = 0; j < PANEL; j++) acc[j] += av * b[k * PANEL + j];
            }
            size_t c0 = p * PANEL, n = cols - c0 < PANEL ? cols - c0 : PANEL;
            for (size_t j = 0; j < n; j++) out[r * cols + c0 + j] = clampf(acc[j], lo, hi);
        }
    }
}

/// AVX-512F + FMA: 12×32 blocks of `out` held in 24 zmm accumulators.
__attribute__((target("avx512f,fma")))
static void gemm_avx512(const float *a, size_t rows, size_t depth, const float *packed,
                        const float *packed_bias, size_t cols, float lo, float hi, float *out,
                        float *a_tile) {
    size_t panels = panel_count(cols);
    const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
    for (size_t r = 0; r < rows; r += MR) {
        size_t mr = rows - r < MR ? rows - r : MR;
        const float *ablk = mr == MR ? a + r * depth : short_block(a + r * depth, mr, depth, a_tile);  // (12, depth)
        for (size_t p = 0; p < panels; p++) {
            const float *b = packed + p * depth * PANEL;  // (depth, 32)
            __m512 c[MR][2];
            const __m512 bias0 = _mm512_loadu_ps(packed_bias + p * PANEL);
            const __m512 bias1 = _mm512_loadu_ps(packed_bias + p * PANEL + 16);
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) { c[i][0] = bias0; c[i][1] = bias1; }
            for (size_t k = 0; k < depth; k++) {
                const __m512 b0 = _mm512_loadu_ps(b + k * PANEL), b1 = _mm512_loadu_ps(b + k * PANEL + 16);
#pragma clang loop unroll(full)
                for (int i = 0; i < MR; i++) {
                    const __m512 av = _mm512_set1_ps(ablk[i * depth + k]);
                    c[i][0] = _mm512_fmadd_ps(av, b0, c[i][0]);
                    c[i][1] = _mm512_fmadd_ps(av, b1, c[i][1]);
                }
            }
            // Columns c0 ..< c0 + n of this panel are real; store them under two masks.
            size_t c0 = p * PANEL, n = cols - c0 < PANEL ? cols - c0 : PANEL;
            const __mmask16 m0 = n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1);
            const __mmask16 m1 = n >= 32 ? 0xFFFF : (n > 16 ? (__mmask16)((1u << (n - 16)) - 1) : 0);
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) {
                if ((size_t)i < mr) {
                    float *o = out + (r + i) * cols + c0;
                    _mm512_mask_storeu_ps(o, m0, _mm512_min_ps(_mm512_max_ps(c[i][0], vlo), vhi));
                    _mm512_mask_storeu_ps(o + 16, m1, _mm512_min_ps(_mm512_max_ps(c[i][1], vlo), vhi));
                }
            }
        }
    }
}

void ck_gemm_bias_clamp(ck_isa isa, const float *a, size_t rows, size_t depth,
                        const float *packed, size_t cols,
                        float lo, float hi, float *out, float *scratch) {
    if (rows == 0 || cols == 0) return;
    const float *packed_bias = packed + panel_count(cols) * depth * PANEL;  // (panels·32)
    if (isa == CK_ISA_AVX512) {
        gemm_avx512(a, rows, depth, packed, packed_bias, cols, lo, hi, out, scratch);
    } else {
        gemm_portable(a, rows, depth, packed, packed_bias, cols, lo, hi, out);
    }
}
