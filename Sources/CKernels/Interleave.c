// The output pass of a stride-2 transposed convolution: two sub-pixel phases' rows, finished
// (bias, activation) and interleaved into one output row.
//
// The activations compare as the Swift output pass does (`max(v, 0)`, `min(·, 6)`, `v >= 0 ?
// v : slope·v`), so both paths agree bit for bit, signed zeros and NaN included.

#include "CKernels.h"

#include <immintrin.h>

static inline float finish(float v, float bias, ck_activation activation, float slope) {
    v = v + bias;
    switch (activation) {
    case CK_ACTIVATION_RELU: return 0.0f >= v ? 0.0f : v;
    case CK_ACTIVATION_RELU6: { float m = 0.0f >= v ? 0.0f : v; return 6.0f < m ? 6.0f : m; }
    case CK_ACTIVATION_LEAKY_RELU: return v >= 0.0f ? v : slope * v;
    default: return v;
    }
}

__attribute__((target("avx512f")))
static inline __m512 finish16(__m512 v, __m512 bias, ck_activation activation, __m512 slope) {
    const __m512 zero = _mm512_setzero_ps(), six = _mm512_set1_ps(6.0f);
    v = _mm512_add_ps(v, bias);
    switch (activation) {
    case CK_ACTIVATION_RELU:  // keep v unless 0 >= v
        return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, zero, _CMP_NLE_UQ), v);
    case CK_ACTIVATION_RELU6: {
        __m512 m = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, zero, _CMP_NLE_UQ), v);
        return _mm512_mask_mov_ps(m, _mm512_cmp_ps_mask(m, six, _CMP_GT_OQ), six);
    }
    case CK_ACTIVATION_LEAKY_RELU:
        return _mm512_mask_mul_ps(v, _mm512_cmp_ps_mask(v, zero, _CMP_NGE_UQ), v, slope);
    default: return v;
    }
}

__attribute__((target("avx512f")))
static void interleave_avx512(const float *even, const float *odd, size_t count, float bias,
                              ck_activation activation, float slope, float *dst) {
    const __m512i low = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i high = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
    const __m512 vbias = _mm512_set1_ps(bias), vslope = _mm512_set1_ps(slope);
    for (size_t i = 0; i < count; i += 16) {
        size_t n = count - i < 16 ? count - i : 16;
        __mmask16 mask = n == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
        __m512 a = finish16(_mm512_maskz_loadu_ps(mask, even + i), vbias, activation, vslope);
        __m512 b = finish16(_mm512_maskz_loadu_ps(mask, odd + i), vbias, activation, vslope);
        // 2n outputs: the first 16 from lanes 0..7 of both, the rest from lanes 8..15.
        __mmask16 first = n >= 8 ? (__mmask16)0xFFFF : (__mmask16)((1u << (2 * n)) - 1u);
        __mmask16 second = n >= 16 ? (__mmask16)0xFFFF : (n > 8 ? (__mmask16)((1u << (2 * (n - 8))) - 1u) : 0);
        _mm512_mask_storeu_ps(dst + 2 * i, first, _mm512_permutex2var_ps(a, low, b));
        if (second) _mm512_mask_storeu_ps(dst + 2 * i + 16, second, _mm512_permutex2var_ps(a, high, b));
    }
}

void ck_interleave_pair(ck_isa isa, const float *even, const float *odd, size_t count, float bias,
                        ck_activation activation, float slope, float *dst) {
    if (isa == CK_ISA_AVX512) {
        interleave_avx512(even, odd, count, bias, activation, slope, dst);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        dst[2 * i] = finish(even[i], bias, activation, slope);
        dst[2 * i + 1] = finish(odd[i], bias, activation, slope);
    }
}
