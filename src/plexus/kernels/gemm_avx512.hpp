// Single-precision GEMM for AVX-512 CPUs, C (m, n) += op(A) · op(B) on row-major operands:
// the product behind every large Dense layer where the CPU has AVX-512 (kernels/gemm_isa.cpp
// uses it in its float copies compiled for AVX-512; Eigen's GEMM everywhere else).
//
// Why Plexus has its own: Eigen 3.4's AVX-512 kernel keeps a 48x4 block of C in 12 of the 32
// vector registers and reaches 0.66-0.73 of OpenBLAS's AVX-512 kernels on an AMD Zen 5
// (BENCHMARKS.md). OpenBLAS does not serve well in-process in its place: its kernel choice
// (OPENBLAS_CORETYPE, read once when it loads; the Zen 5 machines measured on set it to Haswell,
// AVX2, for every process) and its thread count are global to the process, and numpy and torch
// load the same libopenblas.so.0, so Plexus could neither pick its kernels nor run one
// single-threaded product per chunk on its own threads without changing theirs.
//
// The layout is the one of BLIS and OpenBLAS (Goto's): op(B) is packed in panels of
// kNr = 32 columns (two vectors) by kc rows, op(A) in panels of kMr = 12 rows by kc, and the
// micro-kernel keeps a 12 x 32 block of C in 24 registers, with per step of depth two vector
// loads of B and twelve broadcasts of A for 24 fused multiply-adds. Edges are padded with
// zeros in the packed panels and written back with masked stores.
//
// Determinism: every element of C is the sum over the depth in order, one kc-block after the
// other (kc depends on k only, or is imposed), by the same instructions whatever tile it
// falls in. So a product cut into chunks along m or n, with the same kc, gives the bits of
// the whole product (tests/unit/gemm_isa_test.cpp; whole fits: tests/unit/parallel_test.cpp).
//
// Included by gemm_isa.cpp only, in its copies compiled for AVX-512 (__AVX512F__ and the
// BW, DQ and VL extensions); their float libraries use it.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstddef>

// Internal linkage: gemm_isa.cpp is compiled several times, for different instruction sets.
namespace plexus::kernels::avx512_gemm {
namespace {

using Index = std::ptrdiff_t;

constexpr Index kMr = 12;   // rows of C per micro-tile (broadcasts of A)
constexpr Index kNr = 32;   // columns of C per micro-tile (two 16-float vectors of B)
constexpr Index kKc = 256;  // depth block: a packed B micro-panel (kKc x kNr, 32 KB) stays in L1
constexpr Index kMc = 120;  // rows of A packed at once (kMc x kKc, 120 KB): in L2

inline Index round_up(Index v, Index to) { return (v + to - 1) / to * to; }

// The depth blocking of a product of depth k: its own or, for a chunk, that of the whole.
// Blocks of about equal depth (a multiple of 8, at most kKc): 784 is cut 200 + 200 + 200 +
// 184, not 256 + 256 + 256 + 16, whose last block would pay a whole pass over C for 16 steps.
inline Index depth_block(Index k, Index kc) {
    if (kc > 0) return kc;
    const Index blocks = (k + kKc - 1) / kKc;
    return std::min(kKc, round_up((k + blocks - 1) / blocks, 8));
}

// Floats of packing space for A, and for B, that a product of n columns with depth blocking kc needs.
inline std::size_t packed_a_size(Index kc) { return static_cast<std::size_t>(kMc * kc); }
inline std::size_t packed_b_size(Index n, Index kc) { return static_cast<std::size_t>(kc * round_up(n, kNr)); }

inline __mmask16 lanes(Index count) {
    return count >= 16 ? __mmask16(0xFFFF) : count <= 0 ? __mmask16(0) : static_cast<__mmask16>((1u << count) - 1u);
}

// Transposes a 16 x 16 block held in r[0..15] (r[i] is row i): afterwards r[j] is column j.
// Three rounds of shuffles within and across the four 128-bit lanes (64 in all).
inline void transpose16(__m512 r[16]) {
    __m512 t[16], u[16];
    for (int g = 0; g < 16; g += 2) {  // (a0 b0 a1 b1 | a4 b4 a5 b5 | ...), (a2 b2 a3 b3 | ...)
        t[g] = _mm512_unpacklo_ps(r[g], r[g + 1]);
        t[g + 1] = _mm512_unpackhi_ps(r[g], r[g + 1]);
    }
    for (int g = 0; g < 16; g += 4) {  // u[g + c]: column c of rows g..g+3 in lane 0, c+4 in 1, c+8 in 2, c+12 in 3
        u[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[g]), _mm512_castps_pd(t[g + 2])));
        u[g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[g]), _mm512_castps_pd(t[g + 2])));
        u[g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[g + 1]), _mm512_castps_pd(t[g + 3])));
        u[g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[g + 1]), _mm512_castps_pd(t[g + 3])));
    }
    for (int c = 0; c < 4; ++c) {  // lanes (c, c+8 | ...) and (c+4, c+12 | ...) of rows 0..7 and of rows 8..15
        t[c] = _mm512_shuffle_f32x4(u[c], u[4 + c], 0x88);
        t[4 + c] = _mm512_shuffle_f32x4(u[c], u[4 + c], 0xdd);
        t[8 + c] = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0x88);
        t[12 + c] = _mm512_shuffle_f32x4(u[8 + c], u[12 + c], 0xdd);
    }
    for (int c = 0; c < 4; ++c) {
        r[c] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0x88);
        r[8 + c] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0xdd);
        r[4 + c] = _mm512_shuffle_f32x4(t[4 + c], t[12 + c], 0x88);
        r[12 + c] = _mm512_shuffle_f32x4(t[4 + c], t[12 + c], 0xdd);
    }
}

// Copies a block of `count` (<= 16) source rows, each contiguous along the depth, into a
// depth-major panel: out[p * stride + i] = row i's element p, for p < depth (<= kc) and
// i < count; the first `width` (16 or 12) entries of each depth step are written (zeros
// past `count`). 16 x 16 blocks are transposed in registers.
inline void pack_transposed(const float* src, Index ld, Index count, Index depth, float* out, Index stride, int width) {
    const __mmask16 store_mask = lanes(width);
    __m512 r[16];
    for (Index p = 0; p < depth; p += 16) {
        const Index steps = std::min<Index>(16, depth - p);
        const __mmask16 load_mask = lanes(steps);
        for (Index i = 0; i < 16; ++i) {
            // Sixteen rows are read side by side, more streams than the hardware prefetchers
            // follow: fetch each row four cache lines ahead.
            if (i < count && p + 64 < depth) _mm_prefetch(reinterpret_cast<const char*>(src + i * ld + p + 64), _MM_HINT_T0);
            r[i] = i < count ? _mm512_maskz_loadu_ps(load_mask, src + i * ld + p) : _mm512_setzero_ps();
        }
        transpose16(r);
        for (Index q = 0; q < steps; ++q) _mm512_mask_storeu_ps(out + (p + q) * stride, store_mask, r[q]);
    }
}

// Packs rows [i0, i0 + mc) and depth [p0, p0 + kc) of op(A) (element (i, p): a[p*lda + i] when
// trans, else a[i*lda + p]) into panels of kMr rows, each kc x kMr (depth-major), zero-padded.
inline void pack_a(bool trans, const float* a, Index lda, Index i0, Index mc, Index p0, Index kc, float* out) {
    for (Index r = 0; r < mc; r += kMr) {
        const Index rows = std::min(kMr, mc - r);
        float* panel = out + r * kc;
        if (trans && rows == kMr) {  // 12 contiguous floats per step: 8 + 4
            static_assert(kMr == 12);
            for (Index p = 0; p < kc; ++p) {
                const float* src = a + (p0 + p) * lda + i0 + r;
                _mm256_storeu_ps(panel + p * kMr, _mm256_loadu_ps(src));
                _mm_storeu_ps(panel + p * kMr + 8, _mm_loadu_ps(src + 8));
            }
        } else if (trans) {
            for (Index p = 0; p < kc; ++p) {
                const float* src = a + (p0 + p) * lda + i0 + r;
                for (Index i = 0; i < kMr; ++i) panel[p * kMr + i] = i < rows ? src[i] : 0.0f;
            }
        } else {
            pack_transposed(a + (i0 + r) * lda + p0, lda, rows, kc, panel, kMr, static_cast<int>(kMr));
        }
    }
}

// Packs depth [p0, p0 + kc) and columns [j0, j0 + nc) of op(B) (element (p, j): b[j*ldb + p]
// when trans, else b[p*ldb + j]) into panels of kNr columns, each kc x kNr, zero-padded.
inline void pack_b(bool trans, const float* b, Index ldb, Index p0, Index kc, Index j0, Index nc, float* out) {
    if (!trans) {
        // Row by row of B (each read in one sequential sweep), into every panel.
        const Index whole = nc / kNr * kNr;
        const __mmask16 m0 = lanes(nc - whole), m1 = lanes(nc - whole - 16);
        for (Index p = 0; p < kc; ++p) {
            const float* src = b + (p0 + p) * ldb + j0;
            for (Index q = 0; q < whole; q += kNr) {
                float* dst = out + q * kc + p * kNr;
                _mm512_store_ps(dst, _mm512_loadu_ps(src + q));
                _mm512_store_ps(dst + 16, _mm512_loadu_ps(src + q + 16));
            }
            if (whole < nc) {
                float* dst = out + whole * kc + p * kNr;
                _mm512_store_ps(dst, _mm512_maskz_loadu_ps(m0, src + whole));
                _mm512_store_ps(dst + 16, _mm512_maskz_loadu_ps(m1, src + whole + 16));
            }
        }
        return;
    }
    for (Index q = 0; q < nc; q += kNr) {
        const Index cols = std::min(kNr, nc - q);
        float* panel = out + q * kc;
        for (Index h = 0; h < kNr; h += 16)
            pack_transposed(b + (j0 + q + h) * ldb + p0, ldb, std::max<Index>(0, cols - h), kc, panel + h, kNr, 16);
    }
}

// C (rows x cols of a kMr x kNr tile, row stride ldc) += the packed panels' product over kc.
inline void micro_kernel(Index kc, const float* __restrict ap, const float* __restrict bp, float* c, Index ldc, Index rows,
                         Index cols) {
    __m512 acc[kMr][2];
#pragma GCC unroll 12
    for (Index i = 0; i < kMr; ++i) {
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
        if (i < rows) {  // the tile of C is read and written after the loop: fetch it meanwhile
            _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 16), _MM_HINT_T0);
        }
    }
    for (Index p = 0; p < kc; ++p) {
        const __m512 b0 = _mm512_load_ps(bp), b1 = _mm512_load_ps(bp + 16);
#pragma GCC unroll 12
        for (Index i = 0; i < kMr; ++i) {
            const __m512 av = _mm512_set1_ps(ap[i]);
            acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
        }
        ap += kMr;
        bp += kNr;
    }
    const __mmask16 m0 = lanes(cols), m1 = lanes(cols - 16);
#pragma GCC unroll 12
    for (Index i = 0; i < kMr; ++i) {
        if (i >= rows) break;
        float* row = c + i * ldc;
        _mm512_mask_storeu_ps(row, m0, _mm512_add_ps(_mm512_maskz_loadu_ps(m0, row), acc[i][0]));
        _mm512_mask_storeu_ps(row + 16, m1, _mm512_add_ps(_mm512_maskz_loadu_ps(m1, row + 16), acc[i][1]));
    }
}

// C (m, n) += op(A) · op(B); kc > 0 imposes the depth blocking. packed_a holds
// packed_a_size(depth_block(k, kc)) floats, packed_b packed_b_size(n, depth_block(k, kc)), both 64-byte aligned.
inline void gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, const float* a, Index lda, const float* b, Index ldb,
                 float* c, Index ldc, Index kc, float* packed_a, float* packed_b) {
    if (m <= 0 || n <= 0 || k <= 0) return;
    const Index depth = depth_block(k, kc);
    for (Index p0 = 0; p0 < k; p0 += depth) {
        const Index kb = std::min(depth, k - p0);
        pack_b(trans_b, b, ldb, p0, kb, 0, n, packed_b);
        for (Index i0 = 0; i0 < m; i0 += kMc) {
            const Index mc = std::min(kMc, m - i0);
            pack_a(trans_a, a, lda, i0, mc, p0, kb, packed_a);
            for (Index q = 0; q < n; q += kNr) {
                const float* bpanel = packed_b + q * kb;
                for (Index r = 0; r < mc; r += kMr)
                    micro_kernel(kb, packed_a + r * kb, bpanel, c + (i0 + r) * ldc + q, ldc, std::min(kMr, mc - r),
                                 std::min(kNr, n - q));
            }
        }
    }
}

}  // namespace
}  // namespace plexus::kernels::avx512_gemm
