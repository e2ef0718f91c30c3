// Depthwise (per-channel) convolution over NHWC buffers: multiplier 1, zero padding, fused bias
// and clamp.
//
// Channels are the innermost axis, so each tap is a contiguous run of `c` floats in both the
// input and the (kh, kw, c) weights. For every output pixel the taps inside the input are worked
// out once (no per-tap bounds checks); the accumulators start at the bias, take the taps in
// (ky, kx) order and are clamped on the way out.

#include "CKernels.h"

#include <immintrin.h>

/// Taps k ∈ [*k0, *k1) of a window starting at `origin` (may be negative) that land in [0, extent).
static inline void tap_range(ptrdiff_t origin, size_t k, size_t extent, size_t *k0, size_t *k1) {
    ptrdiff_t end = (ptrdiff_t)extent - origin;  // taps before the far edge
    *k0 = origin < 0 ? (size_t)(-origin) : 0;
    *k1 = end <= 0 ? 0 : (end < (ptrdiff_t)k ? (size_t)end : k);
}

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// Portable: per output pixel, a loop over channels per tap that the compiler vectorizes.
static void depthwise_portable(const float *input, size_t n, size_t h, size_t w, size_t c,
                               const float *weight, const float *bias, size_t kh, size_t kw,
                               size_t stride, size_t pad_top, size_t pad_left,
                               float lo, float hi, float *out, size_t out_h, size_t out_w) {
    for (size_t b = 0; b < n; b++) {
        for (size_t oy = 0; oy < out_h; oy++) {
            ptrdiff_t y0 = (ptrdiff_t)(oy * stride) - (ptrdiff_t)pad_top;
            size_t ky0, ky1;
            tap_range(y0, kh, h, &ky0, &ky1);
            for (size_t ox = 0; ox < out_w; ox++) {
                ptrdiff_t x0 = (ptrdiff_t)(ox * stride) - (ptrdiff_t)pad_left;
                size_t kx0, kx1;
                tap_range(x0, kw, w, &kx0, &kx1);
                float *o = out + ((b * out_h + oy) * out_w + ox) * c;  // (c)
                for (size_t ch = 0; ch < c; ch++) o[ch] = bias ? bias[ch] : 0;
                for (size_t ky = ky0; ky < ky1; ky++) {
                    for (size_t kx = kx0; kx < kx1; kx++) {
                        const float *x = input + ((b * h + (size_t)(y0 + (ptrdiff_t)ky)) * w + (size_t)(x0 + (ptrdiff_t)kx)) * c;  // (c)
                        const float *wt = weight + (ky * kw + kx) * c;  // (c)
                        for (size_t ch = 0; ch < c; ch++) o[ch] += x[ch] * wt[ch];
                    }
                }
                for (size_t ch = 0; ch < c; ch++) o[ch] = clampf(o[ch], lo, hi);
            }
        }
    }
}

/// Channels [ch, ch + 16) that exist, as a mask.
static inline __mmask16 lanes(size_t ch, size_t c) {
    if (ch >= c) return 0;
    return c - ch >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (c - ch)) - 1);
}

/// AVX-512F, one output pixel's channels [ch, ch + 16·nv) in `nv` accumulators (independent add
/// chains); `nv` is a constant at every call, so the loops unroll. Lanes past `c` are masked:
/// never read or written.
__attribute__((target("avx512f"), always_inline))
static inline void depthwise_avx512_group(int nv, const float *input, size_t row, ptrdiff_t x0, size_t w, size_t c,
                                          const float *weight, const float *bias, size_t kw, size_t ch,
                                          size_t ky0, size_t ky1, size_t kx0, size_t kx1,
                                          __m512 vlo, __m512 vhi, float *o) {
    __mmask16 m[4];
    __m512 acc[4];
    for (int i = 0; i < nv; i++) {
        m[i] = lanes(ch + 16 * (size_t)i, c);
        acc[i] = bias ? _mm512_maskz_loadu_ps(m[i], bias + ch + 16 * i) : _mm512_setzero_ps();
    }
    for (size_t ky = ky0; ky < ky1; ky++) {
        const float *xrow = input + (row + ky) * w * c + ch;  // input row row+ky, channel ch
        const float *wrow = weight + ky * kw * c + ch;
        for (size_t kx = kx0; kx < kx1; kx++) {
            const float *x = xrow + (size_t)(x0 + (ptrdiff_t)kx) * c, *wt = wrow + kx * c;
            for (int i = 0; i < nv; i++) {
                acc[i] = _mm512_add_ps(acc[i], _mm512_mul_ps(_mm512_maskz_loadu_ps(m[i], x + 16 * i),
                                                             _mm512_maskz_loadu_ps(m[i], wt + 16 * i)));
            }
        }
    }
    for (int i = 0; i < nv; i++) {
        _mm512_mask_storeu_ps(o + ch + 16 * i, m[i], _mm512_min_ps(_mm512_max_ps(acc[i], vlo), vhi));
    }
}

/// AVX-512F, four adjacent output pixels (input columns x0 + p·stride, p < 4) whose taps all lie
/// inside the input row: each weight vector, loaded once, serves the four, and the 4·nv
/// accumulators are independent add chains. Each pixel's sum is formed exactly as in
/// `depthwise_avx512_group`.
__attribute__((target("avx512f"), always_inline))
static inline void depthwise_avx512_quad(int nv, const float *input, size_t row, size_t x0, size_t stride, size_t w,
                                         size_t c, const float *weight, const float *bias, size_t kw, size_t ch,
                                         size_t ky0, size_t ky1, __m512 vlo, __m512 vhi, float *o) {
    __mmask16 m[4];
    __m512 acc[4][4];  // [pixel][vector]
    for (int i = 0; i < nv; i++) {
        m[i] = lanes(ch + 16 * (size_t)i, c);
        const __m512 b = bias ? _mm512_maskz_loadu_ps(m[i], bias + ch + 16 * i) : _mm512_setzero_ps();
        for (int p = 0; p < 4; p++) acc[p][i] = b;
    }
    for (size_t ky = ky0; ky < ky1; ky++) {
        const float *xrow = input + ((row + ky) * w + x0) * c + ch;  // input row row+ky, column x0, channel ch
        const float *wrow = weight + ky * kw * c + ch;
        for (size_t kx = 0; kx < kw; kx++) {
            const float *x = xrow + kx * c, *wt = wrow + kx * c;
            for (int i = 0; i < nv; i++) {
                const __m512 wv = _mm512_maskz_loadu_ps(m[i], wt + 16 * i);
                for (int p = 0; p < 4; p++) {
                    const __m512 xv = _mm512_maskz_loadu_ps(m[i], x + (size_t)p * stride * c + 16 * i);
                    acc[p][i] = _mm512_add_ps(acc[p][i], _mm512_mul_ps(xv, wv));
                }
            }
        }
    }
    for (int p = 0; p < 4; p++) {
        for (int i = 0; i < nv; i++) {
            _mm512_mask_storeu_ps(o + (size_t)p * c + ch + 16 * i, m[i], _mm512_min_ps(_mm512_max_ps(acc[p][i], vlo), vhi));
        }
    }
}

/// AVX-512F: the channels in groups of 64, then the tail in as few vectors as it needs; pixels
/// four at a time away from the borders, one at a time near them. The group is the outer loop: one group's weights (kh·kw·64 floats) and the input rows under its
/// window stay in L1 while the pixels go by (pixel-outer order streamed every weight from L2
/// for each pixel of the 7×7×1152 layers). Each tap is a multiply then an add, not a fused
/// multiply-add, exactly as in the portable loop: both paths give bit-identical results, so
/// detections do not depend on the CPU.
__attribute__((target("avx512f")))
static void depthwise_avx512(const float *input, size_t n, size_t h, size_t w, size_t c,
                             const float *weight, const float *bias, size_t kh, size_t kw,
                             size_t stride, size_t pad_top, size_t pad_left,
                             float lo, float hi, float *out, size_t out_h, size_t out_w) {
    const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
    for (size_t b = 0; b < n; b++) {
        for (size_t ch = 0; ch < c; ch += 64) {
            const size_t vectors = c - ch >= 64 ? 4 : (c - ch + 15) / 16;
            for (size_t oy = 0; oy < out_h; oy++) {
                ptrdiff_t y0 = (ptrdiff_t)(oy * stride) - (ptrdiff_t)pad_top;
                size_t ky0, ky1;
                tap_range(y0, kh, h, &ky0, &ky1);
                // Input row of tap ky is `row + ky` (row may wrap below zero; only ky ≥ ky0 is used).
                size_t row = b * h + (size_t)y0;
                for (size_t ox = 0; ox < out_w;) {
                    ptrdiff_t x0 = (ptrdiff_t)(ox * stride) - (ptrdiff_t)pad_left;
                    float *o = out + ((b * out_h + oy) * out_w + ox) * c;  // (c)
                    if (ox + 4 <= out_w && x0 >= 0 && (size_t)x0 + 3 * stride + kw <= w) {
                        // Four pixels away from the left and right borders.
                        size_t x = (size_t)x0;
                        switch (vectors) {
                        case 4: depthwise_avx512_quad(4, input, row, x, stride, w, c, weight, bias, kw, ch, ky0, ky1, vlo, vhi, o); break;
                        case 3: depthwise_avx512_quad(3, input, row, x, stride, w, c, weight, bias, kw, ch, ky0, ky1, vlo, vhi, o); break;
                        case 2: depthwise_avx512_quad(2, input, row, x, stride, w, c, weight, bias, kw, ch, ky0, ky1, vlo, vhi, o); break;
                        default: depthwise_avx512_quad(1, input, row, x, stride, w, c, weight, bias, kw, ch, ky0, ky1, vlo, vhi, o); break;
                        }
                        ox += 4;
                        continue;
                    }
                    size_t kx0, kx1;
                    tap_range(x0, kw, w, &kx0, &kx1);
                    switch (vectors) {
                    case 4: depthwise_avx512_group(4, input, row, x0, w, c, weight, bias, kw, ch, ky0, ky1, kx0, kx1, vlo, vhi, o); break;
                    case 3: depthwise_avx512_group(3, input, row, x0, w, c, weight, bias, kw, ch, ky0, ky1, kx0, kx1, vlo, vhi, o); break;
                    case 2: depthwise_avx512_group(2, input, row, x0, w, c, weight, bias, kw, ch, ky0, ky1, kx0, kx1, vlo, vhi, o); break;
                    default: depthwise_avx512_group(1, input, row, x0, w, c, weight, bias, kw, ch, ky0, ky1, kx0, kx1, vlo, vhi, o); break;
                    }
                    ox += 1;
                }
            }
        }
    }
}

void ck_depthwise_conv(ck_isa isa, const float *input, size_t n, size_t h, size_t w, size_t c,
                       const float *weight, const float *bias, size_t kh, size_t kw,
                       size_t stride, size_t pad_top, size_t pad_left,
                       float lo, float hi, float *out, size_t out_h, size_t out_w) {
    if (isa == CK_ISA_AVX512) {
        depthwise_avx512(input, n, h, w, c, weight, bias, kh, kw, stride, pad_top, pad_left, lo, hi, out, out_h, out_w);
    } else {
        depthwise_portable(input, n, h, w, c, weight, bias, kh, kw, stride, pad_top, pad_left, lo, hi, out, out_h, out_w);
    }
}
