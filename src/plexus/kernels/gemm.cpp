#include "plexus/kernels/gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#ifdef PLEXUS_USE_CBLAS
#include <cblas.h>
#endif

#include "plexus/core/parallel.hpp"
#include "plexus/kernels/gemm_isa.hpp"

namespace plexus::kernels {
namespace {
namespace isa = PLEXUS_GEMM_NAMESPACE;

// Large layers: GEMM (gemm_isa.hpp's, or the BLAS's with PLEXUS_OPENBLAS), cut into one
// chunk per thread along one output dimension; the thread pool runs the chunks.
// Every chunk packs its own part of the operand that is cut and all of the other
// one, so each product is cut along the dimension that leaves the smaller operand
// to be packed twice: a forward pass (z = x·W) along the batch rows when the batch
// has more rows than the layer has units (inference, large batches), else along the
// units (the first full batch then sizes the packing buffers for every later one).
// The results do not depend on the cut (tests/unit/parallel_test.cpp). Plexus's own
// AVX-512 GEMM sums every element in the same order wherever its tile falls; for
// Eigen's, the boundaries fall on multiples of its register-block height (mr) along the
// dimension Eigen packs into register rows, and on multiples of kRowAlign (a
// multiple of its register-block width, nr) along the other, so every element is
// computed by the same micro-kernel path as without a cut, and every chunk uses the
// depth blocking (kc) of the whole product.
constexpr Index kMaxGemmChunks = 8;
static_assert(2 * kMaxGemmChunks <= isa::kScratchSlots, "one packing slot per chunk of a forward or backward pass");

#if defined(PLEXUS_GEMM_DISPATCH) && (defined(__x86_64__) || defined(_M_X64))
// Whether this CPU runs code built with -march=x86-64-v3 / -v4: GCC (12 and later) knows the
// levels themselves; otherwise their defining features (all of v4's, v3's vector ones).
bool cpu_runs_x86_64_v3() {
    __builtin_cpu_init();
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
    return __builtin_cpu_supports("x86-64-v3");
#else
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe");
#endif
}
bool cpu_runs_x86_64_v4() {
    __builtin_cpu_init();
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
    return __builtin_cpu_supports("x86-64-v4");
#else
    return cpu_runs_x86_64_v3() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#endif
}
#endif

#ifndef PLEXUS_USE_CBLAS
// Which copy of the GEMM runs (gemm_isa.hpp). A -march=native build uses its own (base).
// A portable build (PLEXUS_GEMM_DISPATCH) picks, once, the widest copy this CPU runs:
// x86-64-v4 (AVX-512 F/BW/CD/DQ/VL), x86-64-v3 (AVX2, FMA, BMI, ...), or base. A copy
// compiled for AVX-512 runs Plexus's own float GEMM (gemm_avx512.hpp), the others Eigen's.
// PLEXUS_GEMM in the environment overrides the choice (for measurements and tests):
// `base`, `v3` or `v4` (portable builds) picks the copy, and `eigen` (alone or added, as in
// `v4-eigen`) runs Eigen's GEMM in it; a copy the CPU cannot run is refused.
const isa::Kernels& chosen_kernels() {
    static const isa::Kernels* chosen = [] {
        const isa::Kernels* pick = isa::base();
        const isa::Kernels* pick_eigen = isa::base_eigen();
        const char* env = std::getenv("PLEXUS_GEMM");
        const std::string_view forced = env ? env : "";
#if defined(PLEXUS_GEMM_DISPATCH) && (defined(__x86_64__) || defined(_M_X64))
        const bool has_v3 = cpu_runs_x86_64_v3(), has_v4 = cpu_runs_x86_64_v4();
        if (has_v4 && isa::v4()) pick = isa::v4(), pick_eigen = isa::v4_eigen();
        else if (has_v3 && isa::v3()) pick = isa::v3(), pick_eigen = isa::v3_eigen();
        if (forced.starts_with("base")) pick = isa::base(), pick_eigen = isa::base_eigen();
        else if (forced.starts_with("v3") && has_v3 && isa::v3()) pick = isa::v3(), pick_eigen = isa::v3_eigen();
        else if (forced.starts_with("v4") && has_v4 && isa::v4()) pick = isa::v4(), pick_eigen = isa::v4_eigen();
#endif
        return forced.find("eigen") != std::string_view::npos ? pick_eigen : pick;
    }();
    return *chosen;
}
#endif

Index chunk_align() {
#ifdef PLEXUS_USE_CBLAS
    return 48;
#else
    return chosen_kernels().register_rows;
#endif
}

// Boundaries of chunks along the dimension Eigen does not pack into register rows (its
// result columns): a multiple of every copy's register-block width (nr = 4).
constexpr Index kRowAlign = 16;

// How many chunks a product of a layer with `in` inputs and `units` units is cut into,
// along a dimension of `split_size` cut at multiples of `align`.
Index gemm_chunks(Index split_size, Index in, Index units, Index align) {
    // Worth a thread: >= ~4 MFLOP per chunk for a nominal 128-row batch, >= 2 alignment blocks wide.
    const auto by_work = static_cast<Index>(2.0 * 128.0 * double(in * units) / 4e6);
    const Index by_size = split_size / (2 * align);
    return std::clamp<Index>(std::min({by_work, by_size, static_cast<Index>(num_threads())}), 1, kMaxGemmChunks);
}
// Chunk c of `chunks` over [0, size): boundaries at multiples of `align`.
Index chunk_begin(Index size, Index chunks, Index c, Index align) {
    if (c >= chunks) return size;
    return std::min(size, (size * c / chunks + align - 1) / align * align);
}

#ifdef PLEXUS_USE_CBLAS
// Plexus runs GEMM chunks on its own threads: OpenBLAS's threads would only oversubscribe the cores.
[[maybe_unused]] const bool kOpenblasSingleThreaded = (openblas_set_num_threads(1), true);

// Row-major C = alpha·op(A)·op(B) + beta·C with alpha = 1, for either scalar type.
[[maybe_unused]] void cblas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* a, int lda,
                                 const float* b, int ldb, float beta, float* c, int ldc) {
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}
[[maybe_unused]] void cblas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const double* a, int lda,
                                 const double* b, int ldb, double beta, double* c, int ldc) {
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}
#endif

// C (m, n) = or += op(A) · op(B), row-major operands with row strides lda, ldb, ldc.
// kc: the depth blocking to use (0: Eigen's choice for this product); slot of scratch
// (the calling thread's caller_scratch()): the packing buffers, sized for at least
// reserve_rows rows of C (a chunk of batch rows reserves room for the short batches,
// which are cut along the other dimension and pack every row).
void gemm(bool accumulate, bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar* c, Index ldc, [[maybe_unused]] Index kc, [[maybe_unused]] Index reserve_rows,
          [[maybe_unused]] void* scratch,
          [[maybe_unused]] int slot) {
#ifdef PLEXUS_USE_CBLAS
    cblas_gemm(trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m),
               static_cast<int>(n), static_cast<int>(k), a, static_cast<int>(lda), b, static_cast<int>(ldb),
               accumulate ? Scalar(1) : Scalar(0), c, static_cast<int>(ldc));
#else
    if (!accumulate)
        for (Index i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, Scalar(0));
    chosen_kernels().gemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, kc, reserve_rows, scratch, slot);
#endif
}

// The calling thread's packing buffers (null with a BLAS, which packs on its own).
void* caller_scratch() {
#ifdef PLEXUS_USE_CBLAS
    return nullptr;
#else
    return chosen_kernels().caller_scratch();
#endif
}

Index full_depth_blocking([[maybe_unused]] Index m, [[maybe_unused]] Index n, [[maybe_unused]] Index k) {
#ifdef PLEXUS_USE_CBLAS
    return 0;
#else
    return chosen_kernels().depth_blocking(m, n, k);
#endif
}

}  // namespace

// Each chunk of z starts from the bias and accumulates the product. Eigen computes the
// row-major z as the column-major zᵀ = Wᵀ·xᵀ: the units are its register rows, the
// batch rows its columns.
void large_forward(ConstMatrixRef x, const Scalar* kernel, Index units, const Scalar* bias, MatrixRef z) {
    const Index n = x.rows(), k = x.cols(), u = units;
    const Index kc = full_depth_blocking(n, u, k);
    void* scratch = caller_scratch();
    if (n > u) {  // cut the batch rows: each chunk packs all of W (k·u) and its rows of x
        const Index chunks = gemm_chunks(n, k, u, kRowAlign);
        parallel_for(chunks, [&](Index c) {
            const Index r0 = chunk_begin(n, chunks, c, kRowAlign), rows = chunk_begin(n, chunks, c + 1, kRowAlign) - r0;
            if (rows <= 0) return;
            if (bias) z.middleRows(r0, rows).rowwise() = Eigen::Map<const RowVector>(bias, u);
            gemm(bias != nullptr, false, false, rows, u, k, x.data() + r0 * x.outerStride(), x.outerStride(), kernel, u,
                 z.data() + r0 * z.outerStride(), z.outerStride(), kc, u, scratch, static_cast<int>(c));
        });
        return;
    }
    // Cut the units: each chunk packs all of x (n·k) and its columns of W.
    const Index chunks = gemm_chunks(u, k, u, chunk_align());
    parallel_for(chunks, [&](Index c) {
        const Index j0 = chunk_begin(u, chunks, c, chunk_align()), width = chunk_begin(u, chunks, c + 1, chunk_align()) - j0;
        if (width <= 0) return;
        if (bias) z.middleCols(j0, width).rowwise() = Eigen::Map<const RowVector>(bias + j0, width);
        gemm(bias != nullptr, false, false, n, width, k, x.data(), x.outerStride(), kernel + j0, u, z.data() + j0,
             z.outerStride(), kc, 0, scratch, static_cast<int>(c));
    });
}

// kernel_grad (k, u) = xᵀ·dz, computed by Eigen as dzᵀ·x (units as register rows, inputs as
// columns), and dx (n, k) = dz·Wᵀ, computed as W·dzᵀ (inputs as register rows, batch rows as
// columns): chunks of both in one parallel_for, each product cut where the operand packed
// twice is the smaller one.
void large_backward(ConstMatrixRef x, ConstMatrixRef dz, const Scalar* kernel, Index units, Scalar* grad, MatrixRef dx) {
    const Index n = x.rows(), k = x.cols(), u = units;
    // kernel_grad: cutting its rows (inputs) packs dz (n·u) twice, cutting its units packs x (n·k) twice.
    const bool grad_by_units = k < u;
    const Index grad_align = grad_by_units ? chunk_align() : kRowAlign;
    const Index grad_chunks = gemm_chunks(grad_by_units ? u : k, k, u, grad_align);
    // dx: cutting its rows (batch) packs W (k·u) twice, cutting its columns (inputs) packs dz (n·u) twice.
    const bool dx_by_rows = n > k;
    const Index dx_align = dx_by_rows ? kRowAlign : chunk_align();
    const Index dx_chunks = dx.rows() > 0 ? gemm_chunks(dx_by_rows ? n : k, k, u, dx_align) : 0;
    const Index grad_kc = full_depth_blocking(k, u, n), dx_kc = full_depth_blocking(n, k, u);
    void* scratch = caller_scratch();
    parallel_for(grad_chunks + dx_chunks, [&](Index c) {
        const int slot = static_cast<int>(c);
        if (c < grad_chunks) {
            if (grad_by_units) {
                const Index j0 = chunk_begin(u, grad_chunks, c, grad_align);
                const Index width = chunk_begin(u, grad_chunks, c + 1, grad_align) - j0;
                if (width > 0)
                    gemm(false, true, false, k, width, n, x.data(), x.outerStride(), dz.data() + j0, dz.outerStride(),
                         grad + j0, u, grad_kc, 0, scratch, slot);
            } else {
                const Index r0 = chunk_begin(k, grad_chunks, c, grad_align);
                const Index rows = chunk_begin(k, grad_chunks, c + 1, grad_align) - r0;
                if (rows > 0)
                    gemm(false, true, false, rows, u, n, x.data() + r0, x.outerStride(), dz.data(), dz.outerStride(),
                         grad + r0 * u, u, grad_kc, 0, scratch, slot);
            }
        } else {
            c -= grad_chunks;
            if (dx_by_rows) {
                const Index r0 = chunk_begin(n, dx_chunks, c, dx_align), rows = chunk_begin(n, dx_chunks, c + 1, dx_align) - r0;
                if (rows > 0)
                    gemm(false, false, true, rows, k, u, dz.data() + r0 * dz.outerStride(), dz.outerStride(), kernel, u,
                         dx.data() + r0 * dx.outerStride(), dx.outerStride(), dx_kc, k, scratch, slot);
            } else {
                const Index c0 = chunk_begin(k, dx_chunks, c, dx_align), cols = chunk_begin(k, dx_chunks, c + 1, dx_align) - c0;
                if (cols > 0)
                    gemm(false, false, true, n, cols, u, dz.data(), dz.outerStride(), kernel + c0 * u, u, dx.data() + c0,
                         dx.outerStride(), dx_kc, 0, scratch, slot);
            }
        }
    });
}

}  // namespace plexus::kernels
