#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

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

// MARK: Sparse GEMM for 1×1 convolutions with mostly zero weights

/// Non-zero values among weight (cols, depth).
size_t ck_sparse_nonzero_count(const float *weight, size_t depth, size_t cols);

/// Compressed rows of weight (cols, depth): output c's non-zero weights are value[j] at depth
/// index[j] for j in start[c] ..< start[c + 1], in increasing depth. `start` holds cols + 1
/// entries; `index` and `value` `ck_sparse_nonzero_count` each.
void ck_sparse_pack(const float *weight, size_t depth, size_t cols, int32_t *start, int32_t *index, float *value);

/// Floats of scratch `ck_sparse_gemm_bias_clamp` needs (the transposed inputs and outputs of a
/// 64-row block).
size_t ck_sparse_scratch_count(size_t depth, size_t cols);

/// out (rows, cols) = clamp(a (rows, depth) · weightᵀ + bias, lo, hi) from the weights'
/// compressed rows (`ck_sparse_pack`) and bias (cols, or NULL for zeros), reading only the
/// non-zero weights. Equal to `ck_gemm_bias_clamp` on the same weights for finite inputs (the
/// same sums in the same order), except possibly the sign of a zero.
void ck_sparse_gemm_bias_clamp(ck_isa isa, const float *a, size_t rows, size_t depth, const int32_t *start,
                               const int32_t *index, const float *value, const float *bias, size_t cols,
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

// MARK: Max-pooling

/// Max-pooling of `planes` planes (h, w) into (out_h, out_w) each, square `kernel`, `stride`,
/// `padding` on every side, dilation 1: taps outside the input never win; each output takes its
/// taps in (ky, kx) order, replacing the running value (from −∞) when `tap >= best`.
void ck_max_pool(ck_isa isa, const float *input, size_t planes, size_t h, size_t w, size_t kernel, size_t stride,
                 size_t padding, float *out, size_t out_h, size_t out_w);

// MARK: bfloat16 GEMM

/// How `ck_bf16_gemm` computes: plain C, or Intel AMX tiles (TDPBF16PS).
typedef enum {
    CK_BF16_PORTABLE = 0,
    CK_BF16_AMX = 1,
} ck_bf16_path;

/// True when this CPU has AMX-BF16 (with AVX-512 BW and BF16 for the packing) and Linux grants
/// this process the tile state (`arch_prctl(ARCH_REQ_XCOMP_PERM)`). Call once, before any
/// thread uses `CK_BF16_AMX`.
int ck_amx_usable(void);

/// x rounded to bfloat16 (the top 16 bits of a float32): to nearest, ties to even; float32
/// subnormals become signed zero; NaN stays NaN (quiet).
uint16_t ck_bf16_round(float x);

/// uint16 elements `ck_bf16_pack_a` writes for an (m, k) matrix.
size_t ck_bf16_packed_count(size_t m, size_t k);

/// Rounds row-major a (m, k), leading dimension lda, to bfloat16 in the tile order
/// `ck_bf16_gemm` reads: done once per weight matrix.
void ck_bf16_pack_a(const float *a, size_t lda, size_t m, size_t k, uint16_t *packed);

/// Bytes of scratch `ck_bf16_gemm` needs for depth k (one rounded panel of B, and a bounce tile).
size_t ck_bf16_scratch_bytes(size_t k);

/// Activations `ck_epilogue` applies.
typedef enum {
    CK_ACTIVATION_NONE = 0,
    CK_ACTIVATION_RELU = 1,        ///< max(x, 0)
    CK_ACTIVATION_RELU6 = 2,       ///< min(max(x, 0), 6)
    CK_ACTIVATION_LEAKY_RELU = 3,  ///< x ≥ 0 ? x : slope·x
} ck_activation;

/// What a product does to each finished value of C: c = activation((sum + bias[row]) + residual),
/// bias per row (or NULL), residual laid out as C with the same ldc (or NULL).
typedef struct {
    const float *bias;
    const float *residual;
    ck_activation activation;
    float slope;
} ck_epilogue;

/// c (m, n), leading dimension ldc ← A · round(b), where A (m, k) is `ck_bf16_pack_a`'s output
/// and b (k, n) is row-major float32 with leading dimension ldb; products of bfloat16 inputs are
/// summed in float32, then finished by `epilogue` (NULL: stored as they are). c is overwritten
/// (columns past n are untouched). Single-threaded.
void ck_bf16_gemm(ck_bf16_path path, size_t m, size_t n, size_t k, const uint16_t *packed,
                  const float *b, size_t ldb, float *c, size_t ldc, const ck_epilogue *epilogue, void *scratch);

/// A convolution's input seen as the B of its product (im2col without the columns): row
/// c·kh·kw + ky·kw + kx, column (frame·out_h + oy)·out_w + ox reads input
/// [c·channel_stride + frame·frame_stride + iy·width + ix] at iy = oy·stride + origin_y + ky,
/// ix = ox·stride + origin_x + kx, and zero outside height × width. Offsets must fit in int32.
typedef struct {
    const float *input;
    size_t channel_stride, frame_stride;  // floats
    int height, width, kernel_h, kernel_w, stride, origin_y, origin_x, out_h, out_w;
    size_t first_column;                  // column 0 of the product is this column of the source
} ck_conv_source;

/// As `ck_bf16_gemm` with B the convolution `source` (its k = channels·kh·kw rows), computing
/// only C's columns first..<first+count (c points at column 0): the window values are gathered
/// and rounded straight into each panel, so no float32 column buffer is written.
void ck_bf16_conv(ck_bf16_path path, size_t m, size_t k, const uint16_t *packed, const ck_conv_source *source,
                  size_t first, size_t count, float *c, size_t ldc, const ck_epilogue *epilogue, void *scratch);

// MARK: Interleaving (transposed convolution output)

/// dst[2i] = f(even[i] + bias), dst[2i + 1] = f(odd[i] + bias) for i < count, f the activation
/// as the Swift output pass computes it: relu = max(v, 0)
/// (`0 >= v ? 0 : v`), relu6 = min(that, 6), leaky = `v >= 0 ? v : slope·v`.
void ck_interleave_pair(ck_isa isa, const float *even, const float *odd, size_t count, float bias,
                        ck_activation activation, float slope, float *dst);

#endif
