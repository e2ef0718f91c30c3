// The output pass of a stride-2 transposed convolution: two sub-pixel phases' rows, finished
// (bias, activation) and interleaved into one output row.
//
// The activations are `ck_activate`'s (Lanes.h): as the Swift output pass computes them.

#include "CKernels.h"
#include "Lanes.h"

#include <immintrin.h>

__attribute__((target("avx512f")))
static void interleave_avx512(const float *even, const float *odd, size_t count, float bias,
                              ck_activation activation, float slope, float *dst) {
    const __m512i low = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i high = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
    const __m512 vbias = _mm512_set1_ps(bias), vslope = _mm512_set1_ps(slope);
    for (size_t i = 0; i < count; i += 16) {
        size_t n = count - i < 16 ? count - i : 16;
        __mmask16 mask = n == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
        __m512 a = ck_activate16(_mm512_add_ps(_mm512_maskz_loadu_ps(mask, even + i), vbias), activation, vslope);
        __m512 b = ck_activate16(_mm512_add_ps(_mm512_maskz_loadu_ps(mask, odd + i), vbias), activation, vslope);
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
        dst[2 * i] = ck_activate(even[i] + bias, activation, slope);
        dst[2 * i + 1] = ck_activate(odd[i] + bias, activation, slope);
    }
}
