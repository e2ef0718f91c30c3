// Helpers the C kernels share (internal to CKernels): the activations of an output pass and the
// stride-2 load.

#ifndef CK_LANES_H
#define CK_LANES_H

#include "CKernels.h"

#include <immintrin.h>

/// The activation as the Swift output pass (`Activation`) computes it: relu = max(v, 0), i.e.
/// `0 >= v ? 0 : v`; relu6 = min(that, 6), i.e. `6 < m ? 6 : m`; leaky = `v >= 0 ? v : slope·v`.
/// These comparisons keep every kernel bit-identical to it, signed zeros and NaN included.
static inline float ck_activate(float v, ck_activation activation, float slope) {
    switch (activation) {
    case CK_ACTIVATION_RELU: return 0.0f >= v ? 0.0f : v;
    case CK_ACTIVATION_RELU6: { float m = 0.0f >= v ? 0.0f : v; return 6.0f < m ? 6.0f : m; }
    case CK_ACTIVATION_LEAKY_RELU: return v >= 0.0f ? v : slope * v;
    default: return v;
    }
}

/// `ck_activate` on 16 lanes.
__attribute__((target("avx512f")))
static inline __m512 ck_activate16(__m512 v, ck_activation activation, __m512 slope) {
    const __m512 zero = _mm512_setzero_ps(), six = _mm512_set1_ps(6.0f);
    switch (activation) {
    case CK_ACTIVATION_RELU:  // keep v unless 0 >= v (NaN kept)
        return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, zero, _CMP_NLE_UQ), v);
    case CK_ACTIVATION_RELU6: {
        __m512 m = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, zero, _CMP_NLE_UQ), v);
        return _mm512_mask_mov_ps(m, _mm512_cmp_ps_mask(m, six, _CMP_GT_OQ), six);
    }
    case CK_ACTIVATION_LEAKY_RELU:  // slope·v unless v >= 0
        return _mm512_mask_mul_ps(v, _mm512_cmp_ps_mask(v, zero, _CMP_NGE_UQ), v, slope);
    default: return v;
    }
}

/// Lane i is base[2i] for the lanes in `mask`, zero elsewhere: two masked loads of only the even
/// elements of the 32 from base, compressed. Masked-off elements never touch memory.
__attribute__((target("avx512f,bmi2")))
static inline __m512 ck_load_evens16(const float *base, __mmask16 mask) {
    const __m512i evens = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    __m512 lo = _mm512_maskz_loadu_ps((__mmask16)_pdep_u32(mask & 0xFFu, 0x5555u), base);
    __m512 hi = _mm512_maskz_loadu_ps((__mmask16)_pdep_u32((unsigned)mask >> 8, 0x5555u), base + 16);
    return _mm512_permutex2var_ps(lo, evens, hi);
}

#endif
