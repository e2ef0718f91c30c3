// Max-pooling over planes (N·C planes of H × W), as PyTorch's MaxPool2d with dilation 1 and floor
// mode: taps outside the input never win.
//
// Every output starts at −∞ and takes its taps in (ky, kx) order, each replacing the running
// value when `tap >= best` — the comparison the plain reference makes, so both paths agree bit
// for bit, signed zeros and NaN included.

#include "CKernels.h"
#include "Lanes.h"

#include <immintrin.h>

static void max_pool_portable(const float *input, size_t planes, size_t h, size_t w, size_t kernel, size_t stride,
                              size_t padding, float *out, size_t out_h, size_t out_w) {
    for (size_t p = 0; p < planes; p++) {
        const float *x = input + p * h * w;  // (H, W)
        float *y = out + p * out_h * out_w;  // (OH, OW)
        for (size_t oy = 0; oy < out_h; oy++) {
            for (size_t ox = 0; ox < out_w; ox++) {
                float best = -__builtin_inff();
                for (size_t ky = 0; ky < kernel; ky++) {
                    ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)padding;
                    if (iy < 0 || iy >= (ptrdiff_t)h) continue;
                    for (size_t kx = 0; kx < kernel; kx++) {
                        ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)padding;
                        if (ix < 0 || ix >= (ptrdiff_t)w) continue;
                        float v = x[iy * (ptrdiff_t)w + ix];
                        best = v >= best ? v : best;
                    }
                }
                y[oy * out_w + ox] = best;
            }
        }
    }
}

/// AVX-512: 16 outputs of a row at a time. Stride 1 reads each tap's 16 inputs with one masked
/// load, stride 2 with two masked loads of the even elements (then compressed), other strides
/// gather; lanes outside the input or past the row are masked off and never read.
__attribute__((target("avx512f,bmi2")))
static void max_pool_avx512(const float *input, size_t planes, size_t h, size_t w, size_t kernel, size_t stride,
                            size_t padding, float *out, size_t out_h, size_t out_w) {
    const __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i step = _mm512_mullo_epi32(iota, _mm512_set1_epi32((int)stride));
    for (size_t p = 0; p < planes; p++) {
        const float *x = input + p * h * w;  // (H, W)
        float *y = out + p * out_h * out_w;  // (OH, OW)
        for (size_t oy = 0; oy < out_h; oy++) {
            for (size_t ox0 = 0; ox0 < out_w; ox0 += 16) {
                __mmask16 row = out_w - ox0 >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (out_w - ox0)) - 1u);
                __m512 best = _mm512_set1_ps(-__builtin_inff());
                for (size_t ky = 0; ky < kernel; ky++) {
                    ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)padding;
                    if (iy < 0 || iy >= (ptrdiff_t)h) continue;
                    const float *line = x + iy * (ptrdiff_t)w;
                    for (size_t kx = 0; kx < kernel; kx++) {
                        ptrdiff_t first = (ptrdiff_t)(ox0 * stride + kx) - (ptrdiff_t)padding;  // lane 0's column
                        __m512i ix = _mm512_add_epi32(_mm512_set1_epi32((int)first), step);
                        __mmask16 inside = row & _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32((int)w));
                        if (!inside) continue;
                        __m512 v;
                        if (stride == 1) {
                            v = _mm512_maskz_loadu_ps(inside, line + first);
                        } else if (stride == 2) {
                            v = ck_load_evens16(line + first, inside);
                        } else {
                            v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, ix, line, 4);
                        }
                        __mmask16 wins = inside & _mm512_cmp_ps_mask(v, best, _CMP_GE_OQ);
                        best = _mm512_mask_mov_ps(best, wins, v);
                    }
                }
                _mm512_mask_storeu_ps(y + oy * out_w + ox0, row, best);
            }
        }
    }
}

void ck_max_pool(ck_isa isa, const float *input, size_t planes, size_t h, size_t w, size_t kernel, size_t stride,
                 size_t padding, float *out, size_t out_h, size_t out_w) {
    if (isa == CK_ISA_AVX512) max_pool_avx512(input, planes, h, w, kernel, stride, padding, out, out_h, out_w);
    else max_pool_portable(input, planes, h, w, kernel, stride, padding, out, out_h, out_w);
}
