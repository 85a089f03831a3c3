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

// Large layers: GEMM (Eigen's, or the BLAS's with PLEXUS_OPENBLAS), cut into one
// chunk per thread along one output dimension; the thread pool runs the chunks.
// The cut depends on the layer's shape and the thread count, never on the batch
// rows, so a short last batch reuses the full batches' chunks and packing buffers.
// The results do not depend on the cut either (tests/unit/parallel_test.cpp): the
// boundaries fall on multiples of Eigen's register-block height (mr), so every
// element is computed by the same micro-kernel path as without a cut, and every
// chunk uses the depth blocking (kc) of the whole product.
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
// Which copy of Eigen's GEMM runs (gemm_isa.hpp). A -march=native build uses its own
// (base). A portable build (PLEXUS_GEMM_DISPATCH) picks, once, the widest copy this
// CPU runs: x86-64-v4 (AVX-512 F/BW/CD/DQ/VL), x86-64-v3 (AVX2, FMA, BMI, ...), or base.
// PLEXUS_GEMM=base|v3|v4 in the environment overrides the choice (for measurements
// and tests); a copy the CPU cannot run is refused.
const isa::Kernels& chosen_kernels() {
    static const isa::Kernels* chosen = [] {
        const isa::Kernels* pick = isa::base();
#if defined(PLEXUS_GEMM_DISPATCH) && (defined(__x86_64__) || defined(_M_X64))
        const bool has_v3 = cpu_runs_x86_64_v3(), has_v4 = cpu_runs_x86_64_v4();
        if (has_v4 && isa::v4()) pick = isa::v4();
        else if (has_v3 && isa::v3()) pick = isa::v3();
        if (const char* forced = std::getenv("PLEXUS_GEMM")) {
            const std::string_view f(forced);
            if (f == "base") pick = isa::base();
            else if (f == "v3" && has_v3 && isa::v3()) pick = isa::v3();
            else if (f == "v4" && has_v4 && isa::v4()) pick = isa::v4();
        }
#endif
        return pick;
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

Index gemm_chunks(Index split_size, Index in, Index units) {
    // Worth a thread: >= ~4 MFLOP per chunk for a nominal 128-row batch, >= 2 register blocks wide.
    const auto by_work = static_cast<Index>(2.0 * 128.0 * double(in * units) / 4e6);
    const Index by_size = split_size / (2 * chunk_align());
    return std::clamp<Index>(std::min({by_work, by_size, static_cast<Index>(num_threads())}), 1, kMaxGemmChunks);
}
// Chunk c of `chunks` over [0, size): boundaries at multiples of chunk_align().
Index chunk_begin(Index size, Index chunks, Index c) {
    if (c >= chunks) return size;
    const Index align = chunk_align();
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
// (the calling thread's caller_scratch()): the packing buffers.
void gemm(bool accumulate, bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar* c, Index ldc, [[maybe_unused]] Index kc, [[maybe_unused]] void* scratch,
          [[maybe_unused]] int slot) {
#ifdef PLEXUS_USE_CBLAS
    cblas_gemm(trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m),
               static_cast<int>(n), static_cast<int>(k), a, static_cast<int>(lda), b, static_cast<int>(ldb),
               accumulate ? Scalar(1) : Scalar(0), c, static_cast<int>(ldc));
#else
    if (!accumulate)
        for (Index i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, Scalar(0));
    chosen_kernels().gemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, kc, scratch, slot);
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

// Each chunk of output columns starts from the bias and accumulates the product.
void large_forward(ConstMatrixRef x, const Scalar* kernel, Index units, const Scalar* bias, MatrixRef z) {
    const Index n = x.rows(), k = x.cols(), u = units;
    const Index chunks = gemm_chunks(u, k, u);
    const Index kc = full_depth_blocking(n, u, k);
    void* scratch = caller_scratch();
    parallel_for(chunks, [&](Index c) {
        const Index j0 = chunk_begin(u, chunks, c), width = chunk_begin(u, chunks, c + 1) - j0;
        if (width <= 0) return;
        if (bias) z.middleCols(j0, width).rowwise() = Eigen::Map<const RowVector>(bias + j0, width);
        gemm(bias != nullptr, false, false, n, width, k, x.data(), x.outerStride(), kernel + j0, u,
             z.data() + j0, z.outerStride(), kc, scratch, static_cast<int>(c));
    });
}

// Chunks of kernel_grad rows, then chunks of dx columns, all in one parallel_for.
void large_backward(ConstMatrixRef x, ConstMatrixRef dz, const Scalar* kernel, Index units, Scalar* grad, MatrixRef dx) {
    const Index n = x.rows(), k = x.cols(), u = units;
    const Index grad_chunks = gemm_chunks(k, k, u), dx_chunks = dx.rows() > 0 ? gemm_chunks(k, k, u) : 0;
    const Index grad_kc = full_depth_blocking(k, u, n), dx_kc = full_depth_blocking(n, k, u);
    void* scratch = caller_scratch();
    parallel_for(grad_chunks + dx_chunks, [&](Index c) {
        const int slot = static_cast<int>(c);
        if (c < grad_chunks) {
            const Index r0 = chunk_begin(k, grad_chunks, c), rows = chunk_begin(k, grad_chunks, c + 1) - r0;
            if (rows > 0)
                gemm(false, true, false, rows, u, n, x.data() + r0, x.outerStride(), dz.data(), dz.outerStride(),
                     grad + r0 * u, u, grad_kc, scratch, slot);
        } else {
            c -= grad_chunks;
            const Index c0 = chunk_begin(k, dx_chunks, c), cols = chunk_begin(k, dx_chunks, c + 1) - c0;
            if (cols > 0)
                gemm(false, false, true, n, cols, u, dz.data(), dz.outerStride(), kernel + c0 * u, u,
                     dx.data() + c0, dx.outerStride(), dx_kc, scratch, slot);
        }
    });
}

}  // namespace plexus::kernels
