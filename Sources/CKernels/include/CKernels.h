#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// Small CPU kernels that run entirely in the calling thread (no thread pool, no locks,
/// no allocation). Only the Swift module `Tensor` imports this header.

/// Instruction sets `ck_gemm_bias_clamp` can use.
typedef enum {
    CK_GEMM_PORTABLE = 0,  ///< Plain C, any CPU.
    CK_GEMM_AVX512 = 1,    ///< AVX-512F + FMA, 12×32 register block.
} ck_gemm_isa;

/// The best `ck_gemm_isa` this CPU and OS support (cpuid + xgetbv). Query once: cpuid is slow
/// inside virtual machines.
ck_gemm_isa ck_gemm_best_isa(void);

/// Floats of scratch `ck_gemm_bias_clamp` needs for a product of this size.
size_t ck_gemm_scratch_count(size_t depth, size_t cols);

/// out (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias (cols), lo, hi),
/// all row-major and tightly packed: a 1×1 NHWC convolution with OHWI weights.
///
/// `bias` may be NULL. `scratch` holds `ck_gemm_scratch_count(depth, cols)` floats; the weights
/// are repacked there on every call (cols·depth floats, small next to rows·cols·depth MACs).
/// An `isa` the CPU lacks is undefined behaviour: pass what `ck_gemm_best_isa` returned, or
/// `CK_GEMM_PORTABLE`.
void ck_gemm_bias_clamp(ck_gemm_isa isa, const float *a, size_t rows, size_t depth,
                        const float *weight, const float *bias, size_t cols,
                        float lo, float hi, float *out, float *scratch);

#endif
