#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// Small CPU kernels for channels-last (NHWC) networks that run entirely in the calling thread
/// (no thread pool, no locks, no allocation). Only the Swift module `Tensor` imports this header.

/// Instruction sets the kernels can use.
typedef enum {
    CK_ISA_PORTABLE = 0,  ///< Plain C, any CPU.
    CK_ISA_AVX512 = 1,    ///< AVX-512F + FMA.
} ck_isa;

/// The best `ck_isa` this CPU and OS support (cpuid + xgetbv). Query once: cpuid is slow inside
/// virtual machines. Passing a kernel an `isa` the CPU lacks is undefined behaviour.
ck_isa ck_best_isa(void);

// MARK: GEMM for 1×1 (and im2col) convolutions

/// Floats `ck_gemm_pack` writes for weights (cols, depth).
size_t ck_gemm_packed_count(size_t depth, size_t cols);

/// Repacks row-major weights (cols, depth) and bias (cols, or NULL for zeros) into the column
/// panels `ck_gemm_bias_clamp` reads: done once per model, not per call.
void ck_gemm_pack(const float *weight, const float *bias, size_t depth, size_t cols, float *packed);

/// Floats of scratch `ck_gemm_bias_clamp` needs (a zero-padded copy of the last row block).
size_t ck_gemm_scratch_count(size_t depth);

/// out (rows, cols) = clamp(a (rows, depth) · weightᵀ + bias, lo, hi), with the weights and bias
/// as `ck_gemm_pack` wrote them. `a` and `out` are row-major and tightly packed: a 1×1 NHWC
/// convolution with OHWI weights.
void ck_gemm_bias_clamp(ck_isa isa, const float *a, size_t rows, size_t depth,
                        const float *packed, size_t cols,
                        float lo, float hi, float *out, float *scratch);

// MARK: Depthwise convolution

/// Depthwise convolution (multiplier 1), zero padding, fused bias and clamp:
/// out (n, out_h, out_w, c) from input (n, h, w, c), weight (kh, kw, c), bias (c) or NULL.
/// Output pixel (oy, ox) reads input rows oy·stride − pad_top + ky and columns
/// ox·stride − pad_left + kx; taps outside the input count as zero.
void ck_depthwise_conv(ck_isa isa, const float *input, size_t n, size_t h, size_t w, size_t c,
                       const float *weight, const float *bias, size_t kh, size_t kw,
                       size_t stride, size_t pad_top, size_t pad_left,
                       float lo, float hi, float *out, size_t out_h, size_t out_w);

#endif
