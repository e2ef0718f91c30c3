// Matrix products with bfloat16 inputs and float32 accumulation, on Intel AMX tiles when the CPU
// and OS allow them, otherwise in plain C with the same rounding of the inputs.
//
// C (m, n) = A (m, k) · B (k, n). A is a layer's weights, rounded and packed once
// (`ck_bf16_pack_a`) into 16×32 tiles: `packed (mp/16, kp/32, 16, 32)` with mp and kp rounded up
// to 32 and the padding zero. B is float32 (activations or im2col columns). Each call walks B in
// panels of up to 1024 rows and a few hundred columns (about 512 KB once rounded, so a panel
// stays in L2), rounds each panel into AMX's pair-interleaved tiles (`panel_offset`), and
// multiplies every 32-row block of A against it. The AMX kernel keeps a 32×32 block of C in four
// accumulator tiles: per 32-deep step it loads two A tiles and two B tiles and issues four
// TDPBF16PS. Deeper products continue from the partial sums stored in C. Blocks that reach past
// m or n go through a 16×16 bounce tile.
//
// Rounding to bfloat16 is to nearest, ties to even, with float32 subnormals flushed to signed
// zero and NaN kept quiet, as VCVTNE2PS2BF16 does; the portable path rounds the same way, so
// both paths multiply identical inputs and differ only in the order of float32 additions.

#include "CKernels.h"
#include "Lanes.h"

#include <immintrin.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cpuid.h>

enum { TILE_ROWS = 16, TILE_DEPTH = 32, BLOCK = 32 };

static size_t round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }

// MARK: Rounding

uint16_t ck_bf16_round(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    if ((u & 0x7F800000u) == 0) return (uint16_t)((u >> 16) & 0x8000u);  // zero or subnormal → signed zero
    if ((u & 0x7F800000u) == 0x7F800000u && (u & 0x007FFFFFu)) return (uint16_t)((u >> 16) | 0x0040u);  // quiet NaN
    u += 0x7FFFu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

static float bf16_value(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

// MARK: Packing

size_t ck_bf16_packed_count(size_t m, size_t k) { return round_up(m, BLOCK) * round_up(k, TILE_DEPTH); }

void ck_bf16_pack_a(const float *a, size_t lda, size_t m, size_t k, uint16_t *packed) {
    size_t mp = round_up(m, BLOCK), kp = round_up(k, TILE_DEPTH), depth_tiles = kp / TILE_DEPTH;
    for (size_t row = 0; row < mp; row++) {
        for (size_t d = 0; d < kp; d++) {
            float x = (row < m && d < k) ? a[row * lda + d] : 0.0f;
            size_t tile = (row / TILE_ROWS) * depth_tiles + d / TILE_DEPTH;
            packed[tile * TILE_ROWS * TILE_DEPTH + (row % TILE_ROWS) * TILE_DEPTH + d % TILE_DEPTH] = ck_bf16_round(x);
        }
    }
}

/// Depth of one B panel: products deeper than this accumulate over several panels.
enum { DEPTH_BLOCK = 1024 };

static size_t depth_block(size_t k) { size_t kp = round_up(k, TILE_DEPTH); return kp < DEPTH_BLOCK ? kp : DEPTH_BLOCK; }

/// Columns per B panel for depth k: the panel (kc·nbp·2 bytes) stays within about 512 KB of L2.
static size_t panel_columns(size_t k) {
    size_t columns = (512u * 1024u) / (depth_block(k) * 2) / BLOCK * BLOCK;
    if (columns < BLOCK) columns = BLOCK;
    if (columns > 1024) columns = 1024;
    return columns;
}

size_t ck_bf16_scratch_bytes(size_t k) {
    return depth_block(k) * panel_columns(k) * sizeof(uint16_t)   // the panel
         + TILE_ROWS * TILE_ROWS * sizeof(float)                  // the bounce tile
         + 3 * panel_columns(k) * sizeof(int32_t)                 // a convolution panel's column table
         + panel_columns(k) / 16 * sizeof(int64_t)                // and its 16-column runs
         + depth_block(k) * (panel_columns(k) + 1) * sizeof(float) // the portable path's float panel and A row
         + 64;                                                    // alignment
}

/// Offset of element (row, column) within a panel of depth `depth` (a multiple of 32): tiles
/// (nbp/16, depth/32) of 16 row pairs × 16 columns × 2, each tile 1 KB contiguous, the tiles
/// of one column block consecutive in depth.
static size_t panel_offset(size_t row, size_t column, size_t depth) {
    size_t tile = (column / TILE_ROWS) * (depth / TILE_DEPTH) + row / TILE_DEPTH;
    return tile * TILE_ROWS * TILE_DEPTH + ((row % TILE_DEPTH) / 2) * TILE_DEPTH + (column % TILE_ROWS) * 2 + row % 2;
}

/// The panel (depth, nbp) of `rows` rows and `columns` columns of b, rounded; zero past them.
static void pack_panel_portable(const float *b, size_t ldb, size_t rows, size_t columns, size_t depth, size_t nbp,
                                uint16_t *panel) {
    for (size_t row = 0; row < depth; row++) {
        for (size_t j = 0; j < nbp; j++) {
            panel[panel_offset(row, j, depth)] = (row < rows && j < columns) ? ck_bf16_round(b[row * ldb + j]) : 0;
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512bf16")))
static void pack_panel_avx512(const float *b, size_t ldb, size_t rows, size_t columns, size_t depth, size_t nbp,
                              uint16_t *panel) {
    // Interleave the two rounded rows: output element 2j is the even row's j, 2j + 1 the odd row's.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512 zero = _mm512_setzero_ps();
    for (size_t r0 = 0; r0 < depth; r0 += 2) {
        const float *even = b + r0 * ldb, *odd = even + ldb;
        for (size_t j = 0; j < nbp; j += TILE_ROWS) {
            size_t valid = j < columns ? (columns - j < TILE_ROWS ? columns - j : TILE_ROWS) : 0;
            __mmask16 mask = (__mmask16)((1u << valid) - 1u);
            __m512 v0 = r0 < rows ? _mm512_maskz_loadu_ps(mask, even + j) : zero;
            __m512 v1 = r0 + 1 < rows ? _mm512_maskz_loadu_ps(mask, odd + j) : zero;
            __m512i both = (__m512i)_mm512_cvtne2ps_pbh(v1, v0);  // [0, 16) even row, [16, 32) odd row
            _mm512_store_si512(panel + panel_offset(r0, j, depth), _mm512_permutexvar_epi16(interleave, both));
        }
    }
}

// MARK: Convolution panels (im2col fused into the rounding)

/// Where a convolution panel's columns read: per column, the input offset of its window origin
/// within a channel plane group (frame offset + iy0·W + ix0) and the origin itself; columns past
/// the panel's width get an origin no tap can bring inside the input.
static void column_table(const ck_conv_source *s, size_t n0, size_t nb, size_t nbp, int32_t *offset, int32_t *y0, int32_t *x0) {
    size_t plane = (size_t)s->out_h * s->out_w;
    for (size_t j = 0; j < nbp; j++) {
        if (j >= nb) { offset[j] = 0; y0[j] = x0[j] = -(1 << 29); continue; }
        size_t col = s->first_column + n0 + j, frame = col / plane, p = col % plane;
        int oy = (int)(p / s->out_w), ox = (int)(p % s->out_w);
        y0[j] = oy * s->stride + s->origin_y;
        x0[j] = ox * s->stride + s->origin_x;
        offset[j] = (int32_t)(frame * s->frame_stride) + y0[j] * s->width + x0[j];
    }
}

/// Row `row` of the convolution's B: channel c, tap (ky, kx).
static void row_tap(const ck_conv_source *s, size_t row, size_t *c, int *ky, int *kx) {
    size_t taps = (size_t)s->kernel_h * s->kernel_w;
    *c = row / taps;
    *ky = (int)((row % taps) / s->kernel_w);
    *kx = (int)(row % s->kernel_w);
}

static float conv_value(const ck_conv_source *s, size_t row, int32_t offset, int32_t y0, int32_t x0) {
    size_t c;
    int ky, kx;
    row_tap(s, row, &c, &ky, &kx);
    int iy = y0 + ky, ix = x0 + kx;
    if (iy < 0 || iy >= s->height || ix < 0 || ix >= s->width) return 0.0f;
    return s->input[c * s->channel_stride + (size_t)(offset + ky * s->width + kx)];
}

static void pack_conv_portable(const ck_conv_source *s, size_t k, size_t k0, size_t depth, size_t n0, size_t nb,
                               size_t nbp, uint16_t *panel, int32_t *table) {
    int32_t *offset = table, *y0 = table + nbp, *x0 = table + 2 * nbp;
    column_table(s, n0, nb, nbp, offset, y0, x0);
    for (size_t row = 0; row < depth; row++) {
        for (size_t j = 0; j < nbp; j++) {
            float x = (k0 + row < k && j < nb) ? conv_value(s, k0 + row, offset[j], y0[j], x0[j]) : 0.0f;
            panel[panel_offset(row, j, depth)] = ck_bf16_round(x);
        }
    }
}

/// One row of a convolution's B: its channel's plane and its tap, or none past k.
typedef struct {
    const float *plane;  // NULL: a zero row
    int ky, kx, tap;     // tap = ky·width + kx
} conv_row;

static conv_row conv_row_at(const ck_conv_source *s, size_t row, size_t k) {
    conv_row r = {NULL, 0, 0, 0};
    if (row >= k) return r;
    size_t c;
    row_tap(s, row, &c, &r.ky, &r.kx);
    r.plane = s->input + c * s->channel_stride;
    r.tap = r.ky * s->width + r.kx;
    return r;
}

/// 16 columns of row `r` (zero outside the input and past the panel). `run` ≥ 0 when the 16
/// columns read evenly spaced input addresses (one output row), encoded as start·2 + step − 1:
/// step 1 (stride 1) is one masked load, step 2 (stride 2) two masked loads of the even
/// elements, compressed; masked-off lanes never touch memory. Otherwise a masked gather.
__attribute__((target("avx512f,avx512bw,bmi2")))
static __m512 gather_row(const ck_conv_source *s, conv_row r, __m512i offset, __m512i y0, __m512i x0, int64_t run) {
    if (!r.plane) return _mm512_setzero_ps();
    __m512i iy = _mm512_add_epi32(y0, _mm512_set1_epi32(r.ky)), ix = _mm512_add_epi32(x0, _mm512_set1_epi32(r.kx));
    // 0 ≤ i < extent as one unsigned comparison.
    __mmask16 inside = _mm512_cmplt_epu32_mask(iy, _mm512_set1_epi32(s->height))
                     & _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32(s->width));
    if (run >= 0) {
        const float *start = r.plane + (run >> 1) + r.tap;
        if (!(run & 1)) return _mm512_maskz_loadu_ps(inside, start);
        return ck_load_evens16(start, inside);  // lane i reads element 2i of the 32 from start
    }
    __m512i index = _mm512_add_epi32(offset, _mm512_set1_epi32(r.tap));
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, index, r.plane, 4);
}

__attribute__((target("avx512f,avx512bw,avx512bf16,bmi2")))
static void pack_conv_avx512(const ck_conv_source *s, size_t k, size_t k0, size_t depth, size_t n0, size_t nb,
                             size_t nbp, uint16_t *panel, int32_t *table) {
    int32_t *offset = table, *y0 = table + nbp, *x0 = table + 2 * nbp;
    column_table(s, n0, nb, nbp, offset, y0, x0);
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    // Per 16-column group: its evenly spaced input addresses as start·2 + step − 1 (step 1 or
    // 2), or −1 (gather). Groups are at most 1024 / 16; the runs live after the column table.
    int64_t *runs = (int64_t *)(x0 + nbp);
    const __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    for (size_t j = 0; j < nbp; j += TILE_ROWS) {
        runs[j / TILE_ROWS] = -1;
        if (j + TILE_ROWS > nb || offset[j] < 0) continue;
        __m512i off = _mm512_loadu_si512(offset + j), first = _mm512_set1_epi32(offset[j]);
        for (int step = 1; step <= 2; step++) {
            __m512i spaced = _mm512_add_epi32(first, _mm512_mullo_epi32(iota, _mm512_set1_epi32(step)));
            if (_mm512_cmpeq_epi32_mask(off, spaced) == 0xFFFF) runs[j / TILE_ROWS] = (int64_t)offset[j] * 2 + step - 1;
        }
    }
    // Rows outer: each input plane is read front to back while the panel (in L2) is written.
    for (size_t r0 = 0; r0 < depth; r0 += 2) {
        conv_row even = conv_row_at(s, k0 + r0, k), odd = conv_row_at(s, k0 + r0 + 1, k);
        for (size_t j = 0; j < nbp; j += TILE_ROWS) {
            __m512i off = _mm512_loadu_si512(offset + j), y = _mm512_loadu_si512(y0 + j), x = _mm512_loadu_si512(x0 + j);
            int64_t run = runs[j / TILE_ROWS];
            __m512 v0 = gather_row(s, even, off, y, x, run);
            __m512 v1 = gather_row(s, odd, off, y, x, run);
            __m512i both = (__m512i)_mm512_cvtne2ps_pbh(v1, v0);
            _mm512_store_si512(panel + panel_offset(r0, j, depth), _mm512_permutexvar_epi16(interleave, both));
        }
    }
}

/// Where a product's B comes from: a float32 matrix, or a convolution's input read through its
/// windows.
typedef struct {
    const float *b;             // matrix: row-major, leading dimension ldb
    size_t ldb;
    const ck_conv_source *conv; // or, when not NULL, the convolution
} panel_source;

/// Panel rows k0..<k0+depth (zero past k), columns n0..<n0+nb (zero up to nbp).
static void pack_panel(const panel_source *src, int amx, size_t k, size_t k0, size_t depth, size_t n0, size_t nb,
                       size_t nbp, uint16_t *panel, int32_t *table) {
    size_t rows = k - k0 < depth ? k - k0 : depth;
    if (src->conv) {
        if (amx) pack_conv_avx512(src->conv, k, k0, depth, n0, nb, nbp, panel, table);
        else pack_conv_portable(src->conv, k, k0, depth, n0, nb, nbp, panel, table);
    } else if (amx) {
        pack_panel_avx512(src->b + k0 * src->ldb + n0, src->ldb, rows, nb, depth, nbp, panel);
    } else {
        pack_panel_portable(src->b + k0 * src->ldb + n0, src->ldb, rows, nb, depth, nbp, panel);
    }
}

// MARK: Epilogue

/// One finished value: (sum + bias) + residual, then the activation (`ck_activate`) — the
/// float32 path's output pass, so both paths agree on it bit for bit.
static float finish_value(const ck_epilogue *ep, float sum, size_t row, const float *residual) {
    float v = sum + (ep->bias ? ep->bias[row] : 0.0f);
    if (residual) v = v + *residual;
    return ck_activate(v, ep->activation, ep->slope);
}

/// Finishes C rows row..row+rows, columns col..col+cols in place (sums already stored there);
/// the residual has C's layout. Run on a block just written, while it is still in L2, so the
/// residual and C are read as long rows rather than tile by tile.
__attribute__((target("avx512f")))
static void finish_block(const ck_epilogue *ep, size_t row, size_t rows, size_t col, size_t cols, float *c, size_t ldc) {
    const __m512 slope = _mm512_set1_ps(ep->slope);
    for (size_t r = row; r < row + rows; r++) {
        const __m512 bias = _mm512_set1_ps(ep->bias ? ep->bias[r] : 0.0f);
        for (size_t j = col; j < col + cols; j += TILE_ROWS) {
            size_t count = col + cols - j < TILE_ROWS ? col + cols - j : TILE_ROWS;
            __mmask16 mask = (__mmask16)((1u << count) - 1u);
            size_t at = r * ldc + j;
            __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, c + at), bias);
            if (ep->residual) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, ep->residual + at));
            _mm512_mask_storeu_ps(c + at, mask, ck_activate16(v, ep->activation, slope));
        }
    }
}

// MARK: AMX

#define ARCH_REQ_XCOMP_PERM 0x1023
#define XFEATURE_XTILEDATA 18

int ck_amx_usable(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned amx_bf16 = 1u << 22, amx_tile = 1u << 24;
    if ((edx & (amx_bf16 | amx_tile)) != (amx_bf16 | amx_tile)) return 0;
    if (!(ebx & (1u << 16)) || !(ebx & (1u << 30))) return 0;  // avx512f, avx512bw (panel packing)
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) || !(eax & (1u << 5))) return 0;  // avx512_bf16
    // XCR0 bits 17 and 18: the OS manages tile configuration and data.
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & (3u << 17)) != (3u << 17)) return 0;
    // Linux lends the 8 KB tile state only to processes that ask for it.
    return syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
}

struct tile_config {
    uint8_t palette, start_row, reserved[14];
    uint16_t bytes_per_row[16];
    uint8_t rows[16];
} __attribute__((packed));

/// Stores accumulator tile `t` as C's rows row..row+16, columns col..col+16, clipped to m × n.
#define STORE_TILE(t, row, col)                                                                  \
    do {                                                                                         \
        if ((row) + TILE_ROWS <= m && (col) + TILE_ROWS <= n) {                                  \
            _tile_stored(t, c + (row) * ldc + (col), (long)(ldc * sizeof(float)));              \
        } else if ((row) < m && (col) < n) {                                                     \
            _tile_stored(t, bounce, TILE_ROWS * sizeof(float));                                  \
            size_t rows_ = m - (row) < TILE_ROWS ? m - (row) : TILE_ROWS;                        \
            size_t cols_ = n - (col) < TILE_ROWS ? n - (col) : TILE_ROWS;                        \
            for (size_t r_ = 0; r_ < rows_; r_++)                                                \
                memcpy(c + ((row) + r_) * ldc + (col), bounce + r_ * TILE_ROWS, cols_ * sizeof(float)); \
        }                                                                                        \
    } while (0)

/// Loads accumulator tile `t` from C's rows row..row+16, columns col..col+16 (zero past m × n).
#define LOAD_TILE(t, row, col)                                                                   \
    do {                                                                                         \
        if ((row) + TILE_ROWS <= m && (col) + TILE_ROWS <= n) {                                  \
            _tile_loadd(t, c + (row) * ldc + (col), (long)(ldc * sizeof(float)));               \
        } else {                                                                                 \
            memset(bounce, 0, TILE_ROWS * TILE_ROWS * sizeof(float));                            \
            if ((row) < m && (col) < n) {                                                        \
                size_t rows_ = m - (row) < TILE_ROWS ? m - (row) : TILE_ROWS;                    \
                size_t cols_ = n - (col) < TILE_ROWS ? n - (col) : TILE_ROWS;                    \
                for (size_t r_ = 0; r_ < rows_; r_++)                                            \
                    memcpy(bounce + r_ * TILE_ROWS, c + ((row) + r_) * ldc + (col), cols_ * sizeof(float)); \
            }                                                                                    \
            _tile_loadd(t, bounce, TILE_ROWS * sizeof(float));                                   \
        }                                                                                        \
    } while (0)

__attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512bf16")))
static void gemm_amx(size_t m, size_t n, size_t k, const uint16_t *packed, const panel_source *src,
                     float *c, size_t ldc, const ck_epilogue *ep, void *scratch) {
    size_t kp = round_up(k, TILE_DEPTH), depth_tiles = kp / TILE_DEPTH, mp = round_up(m, BLOCK);
    size_t kc_max = depth_block(k), nb_max = panel_columns(k);
    uint16_t *panel = (uint16_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    float *bounce = (float *)(panel + kc_max * nb_max);
    int32_t *table = (int32_t *)(bounce + TILE_ROWS * TILE_ROWS);
    struct tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) { config.bytes_per_row[t] = 64; config.rows[t] = TILE_ROWS; }
    _tile_loadconfig(&config);
    const size_t tile = TILE_ROWS * TILE_DEPTH;  // uint16 per tile
    for (size_t n0 = 0; n0 < n; n0 += nb_max) {
        size_t nb = n - n0 < nb_max ? n - n0 : nb_max, nbp = round_up(nb, BLOCK);
        for (size_t k0 = 0; k0 < kp; k0 += kc_max) {
            size_t kc = kp - k0 < kc_max ? kp - k0 : kc_max, kc_tiles = kc / TILE_DEPTH;
            pack_panel(src, 1, k, k0, kc, n0, nb, nbp, panel, table);
            for (size_t row = 0; row < mp; row += BLOCK) {
                const uint16_t *a0 = packed + ((row / TILE_ROWS) * depth_tiles + k0 / TILE_DEPTH) * tile;
                const uint16_t *a1 = a0 + depth_tiles * tile;
                for (size_t col = 0; col < nbp; col += BLOCK) {
                    const uint16_t *b0 = panel + (col / TILE_ROWS) * kc_tiles * tile, *b1 = b0 + kc_tiles * tile;
                    size_t cc = n0 + col;
                    if (k0 == 0) {
                        _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
                    } else {
                        LOAD_TILE(0, row, cc);
                        LOAD_TILE(1, row, cc + TILE_ROWS);
                        LOAD_TILE(2, row + TILE_ROWS, cc);
                        LOAD_TILE(3, row + TILE_ROWS, cc + TILE_ROWS);
                    }
                    for (size_t d = 0; d < kc_tiles; d++) {
                        _tile_loadd(4, a0 + d * tile, 64);
                        _tile_loadd(5, a1 + d * tile, 64);
                        _tile_loadd(6, b0 + d * tile, 64);
                        _tile_loadd(7, b1 + d * tile, 64);
                        _tile_dpbf16ps(0, 4, 6);
                        _tile_dpbf16ps(1, 4, 7);
                        _tile_dpbf16ps(2, 5, 6);
                        _tile_dpbf16ps(3, 5, 7);
                    }
                    STORE_TILE(0, row, cc);
                    STORE_TILE(1, row, cc + TILE_ROWS);
                    STORE_TILE(2, row + TILE_ROWS, cc);
                    STORE_TILE(3, row + TILE_ROWS, cc + TILE_ROWS);
                }
                // Last depth block: finish this row block's share of the panel (bias, residual,
                // activation) in place, once its tiles are stored and while it is in L2.
                if (ep && k0 + kc >= kp && row < m) finish_block(ep, row, m - row < BLOCK ? m - row : BLOCK, n0, nb, c, ldc);
            }
        }
    }
    _tile_release();
}

// MARK: Portable

/// The same products in plain C: each C element sums its k products in increasing k.
static void gemm_portable(size_t m, size_t n, size_t k, const uint16_t *packed, const panel_source *src,
                          float *c, size_t ldc, const ck_epilogue *ep, void *scratch) {
    size_t kp = round_up(k, TILE_DEPTH), depth_tiles = kp / TILE_DEPTH;
    size_t kc_max = depth_block(k), nb_max = panel_columns(k);
    uint16_t *panel = (uint16_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    int32_t *table = (int32_t *)((float *)(panel + kc_max * nb_max) + TILE_ROWS * TILE_ROWS);
    float *values = (float *)(table + 3 * nb_max);  // the panel as floats, (kc, nb)
    float *a_row = values + kc_max * nb_max;        // one row of A's depth block
    for (size_t n0 = 0; n0 < n; n0 += nb_max) {
        size_t nb = n - n0 < nb_max ? n - n0 : nb_max, nbp = round_up(nb, BLOCK);
        for (size_t row = 0; row < m; row++)
            for (size_t j = 0; j < nb; j++) c[row * ldc + n0 + j] = 0;
        for (size_t k0 = 0; k0 < kp; k0 += kc_max) {
            size_t kc = kp - k0 < kc_max ? kp - k0 : kc_max;
            size_t rows = k - k0 < kc ? k - k0 : kc;
            bool last = k0 + kc >= kp;
            pack_panel(src, 0, k, k0, kc, n0, nb, nbp, panel, table);
            for (size_t d = 0; d < rows; d++)
                for (size_t j = 0; j < nb; j++) values[d * nb + j] = bf16_value(panel[panel_offset(d, j, kc)]);
            for (size_t row = 0; row < m; row++) {
                const uint16_t *a = packed + (row / TILE_ROWS) * depth_tiles * TILE_ROWS * TILE_DEPTH + (row % TILE_ROWS) * TILE_DEPTH;
                for (size_t d = 0; d < rows; d++) {
                    size_t depth = k0 + d;
                    a_row[d] = bf16_value(a[(depth / TILE_DEPTH) * TILE_ROWS * TILE_DEPTH + depth % TILE_DEPTH]);
                }
                // Each element sums its products in increasing depth.
                float *sums = c + row * ldc + n0;
                for (size_t d = 0; d < rows; d++) {
                    float x = a_row[d];
                    const float *b = values + d * nb;
                    for (size_t j = 0; j < nb; j++) sums[j] += x * b[j];
                }
                if (ep && last) {
                    for (size_t j = 0; j < nb; j++) {
                        size_t at = row * ldc + n0 + j;
                        c[at] = finish_value(ep, c[at], row, ep->residual ? ep->residual + at : NULL);
                    }
                }
            }
        }
    }
}

void ck_bf16_gemm(ck_bf16_path path, size_t m, size_t n, size_t k, const uint16_t *packed,
                  const float *b, size_t ldb, float *c, size_t ldc, const ck_epilogue *epilogue, void *scratch) {
    if (m == 0 || n == 0) return;
    panel_source src = {b, ldb, NULL};
    if (path == CK_BF16_AMX) gemm_amx(m, n, k, packed, &src, c, ldc, epilogue, scratch);
    else gemm_portable(m, n, k, packed, &src, c, ldc, epilogue, scratch);
}

void ck_bf16_conv(ck_bf16_path path, size_t m, size_t k, const uint16_t *packed, const ck_conv_source *source,
                  size_t first, size_t count, float *c, size_t ldc, const ck_epilogue *epilogue, void *scratch) {
    if (m == 0 || count == 0) return;
    // Columns first..<first+count: the same source, output and residual with their columns shifted.
    ck_conv_source shifted = *source;
    shifted.first_column = source->first_column + first;
    panel_source src = {NULL, 0, &shifted};
    ck_epilogue ep;
    if (epilogue) {
        ep = *epilogue;
        if (ep.residual) ep.residual += first;
    }
    if (path == CK_BF16_AMX) gemm_amx(m, count, k, packed, &src, c + first, ldc, epilogue ? &ep : NULL, scratch);
    else gemm_portable(m, count, k, packed, &src, c + first, ldc, epilogue ? &ep : NULL, scratch);
}
