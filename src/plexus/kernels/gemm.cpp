#include "plexus/kernels/gemm.hpp"

#include <algorithm>
#include <array>
#include <vector>

#ifdef PLEXUS_USE_CBLAS
#include <cblas.h>
#endif

#include "plexus/core/parallel.hpp"

namespace plexus::kernels {
namespace {

// Large layers: GEMM (Eigen's, or the BLAS's with PLEXUS_OPENBLAS), cut into one
// chunk per thread along one output dimension; the thread pool runs the chunks.
// The cut depends on the layer's shape and the thread count, never on the batch
// rows, so a short last batch reuses the full batches' chunks and packing buffers.
// The results do not depend on the cut either (tests/unit/parallel_test.cpp): the
// boundaries fall on multiples of Eigen's register-block height (mr), so every
// element is computed by the same micro-kernel path as without a cut, and every
// chunk uses the depth blocking (kc) of the whole product.
constexpr Index kMaxGemmChunks = 8;
constexpr Index kChunkAlign = Eigen::internal::gebp_traits<Scalar, Scalar>::mr;  // 48 floats with AVX-512
static_assert(kChunkAlign % 4 == 0, "chunk boundaries must also be multiples of the register-block width (nr)");
Index gemm_chunks(Index split_size, Index in, Index units) {
    // Worth a thread: >= ~4 MFLOP per chunk for a nominal 128-row batch, >= 2 register blocks wide.
    const auto by_work = static_cast<Index>(2.0 * 128.0 * double(in * units) / 4e6);
    const Index by_size = split_size / (2 * kChunkAlign);
    return std::clamp<Index>(std::min({by_work, by_size, static_cast<Index>(num_threads())}), 1, kMaxGemmChunks);
}
// Chunk c of `chunks` over [0, size): boundaries at multiples of kChunkAlign.
Index chunk_begin(Index size, Index chunks, Index c) {
    if (c >= chunks) return size;
    return std::min(size, (size * c / chunks + kChunkAlign - 1) / kChunkAlign * kChunkAlign);
}

// Packing buffers for Eigen's GEMM, reused from call to call: through
// `C.noalias() = A * B` every product of M's sizes mallocs and frees 0.3-2 MB of
// packing space. Each calling thread owns one set, and chunk c of a parallel GEMM
// always uses buffer c whichever thread runs it, so the buffers reach their final
// sizes in the first training step, deterministically.
struct PackingScratch {
    std::vector<Scalar, Eigen::aligned_allocator<Scalar>> a, b;
};
using ScratchSet = std::array<PackingScratch, 2 * kMaxGemmChunks>;
ScratchSet& caller_scratch() {
    thread_local ScratchSet set;
    return set;
}

#ifndef PLEXUS_USE_CBLAS
// Eigen's GEMM kernel, called directly so that it packs into the given scratch.
// The blocking sizes are Eigen's own. (Eigen::internal API, stable since Eigen 3.2.)

class ScratchBlocking : public Eigen::internal::level3_blocking<Scalar, Scalar> {
public:
    // For a row-major m x n destination, which Eigen computes as the column-major transposed product.
    // The blocking is chosen as if m (the batch rows) were at least 128: Eigen's heuristic
    // picks larger blocks for some smaller m, and the scratch would then grow at the first
    // short batch (the end of an epoch). From 128 rows on the blocks grow with m, so the
    // first, full batch sizes the scratch for every later one. kc > 0 imposes the depth
    // blocking (that of the whole product when this is a chunk of it).
    ScratchBlocking(Index m, Index n, Index k, Index kc, PackingScratch& scratch) {
        this->m_mc = n;
        this->m_nc = std::max<Index>(m, 128);
        this->m_kc = k;
        Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1>(this->m_kc, this->m_mc, this->m_nc, Index{1});
        if (kc > 0) this->m_kc = kc;
        const auto size_a = static_cast<std::size_t>(this->m_mc * this->m_kc);
        const auto size_b = static_cast<std::size_t>(this->m_kc * this->m_nc);
        if (scratch.a.size() < size_a) scratch.a.resize(size_a);  // the first product of a shape only
        if (scratch.b.size() < size_b) scratch.b.resize(size_b);
        this->m_blockA = scratch.a.data();
        this->m_blockB = scratch.b.data();
    }
};

// The depth blocking Eigen chooses for a whole row-major m x n x k product.
Index depth_blocking(Index m, Index n, Index k) {
    Index kc = k, mc = n, nc = std::max<Index>(m, 128);
    Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1>(kc, mc, nc, Index{1});
    return kc;
}

template <int LhsOrder, int RhsOrder>
void eigen_gemm(Index m, Index n, Index k, const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar* c, Index ldc,
                Index kc, PackingScratch& scratch) {
    ScratchBlocking blocking(m, n, k, kc, scratch);
    Eigen::internal::general_matrix_matrix_product<Index, Scalar, LhsOrder, false, Scalar, RhsOrder, false, Eigen::RowMajor,
                                                   1>::run(m, n, k, a, lda, b, ldb, c, 1, ldc, Scalar(1), blocking, nullptr);
}
#endif

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
// kc: the depth blocking to use (0: Eigen's choice for this product).
void gemm(bool accumulate, bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar* c, Index ldc, [[maybe_unused]] Index kc,
          [[maybe_unused]] PackingScratch& scratch) {
#ifdef PLEXUS_USE_CBLAS
    cblas_gemm(trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m),
               static_cast<int>(n), static_cast<int>(k), a, static_cast<int>(lda), b, static_cast<int>(ldb),
               accumulate ? Scalar(1) : Scalar(0), c, static_cast<int>(ldc));
#else
    if (!accumulate)
        for (Index i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, Scalar(0));
    // op(A) of a row-major A is a column-major matrix with the same stride (likewise B).
    constexpr int R = Eigen::RowMajor, C = Eigen::ColMajor;
    if (trans_a && trans_b) eigen_gemm<C, C>(m, n, k, a, lda, b, ldb, c, ldc, kc, scratch);
    else if (trans_a) eigen_gemm<C, R>(m, n, k, a, lda, b, ldb, c, ldc, kc, scratch);
    else if (trans_b) eigen_gemm<R, C>(m, n, k, a, lda, b, ldb, c, ldc, kc, scratch);
    else eigen_gemm<R, R>(m, n, k, a, lda, b, ldb, c, ldc, kc, scratch);
#endif
}

Index full_depth_blocking([[maybe_unused]] Index m, [[maybe_unused]] Index n, [[maybe_unused]] Index k) {
#ifdef PLEXUS_USE_CBLAS
    return 0;
#else
    return depth_blocking(m, n, k);
#endif
}

}  // namespace

// Each chunk of output columns starts from the bias and accumulates the product.
void large_forward(ConstMatrixRef x, const Scalar* kernel, Index units, const Scalar* bias, MatrixRef z) {
    const Index n = x.rows(), k = x.cols(), u = units;
    const Index chunks = gemm_chunks(u, k, u);
    const Index kc = full_depth_blocking(n, u, k);
    ScratchSet& scratch = caller_scratch();
    parallel_for(chunks, [&](Index c) {
        const Index j0 = chunk_begin(u, chunks, c), width = chunk_begin(u, chunks, c + 1) - j0;
        if (width <= 0) return;
        if (bias) z.middleCols(j0, width).rowwise() = Eigen::Map<const RowVector>(bias + j0, width);
        gemm(bias != nullptr, false, false, n, width, k, x.data(), x.outerStride(), kernel + j0, u,
             z.data() + j0, z.outerStride(), kc, scratch[static_cast<std::size_t>(c)]);
    });
}

// Chunks of kernel_grad rows, then chunks of dx columns, all in one parallel_for.
void large_backward(ConstMatrixRef x, ConstMatrixRef dz, const Scalar* kernel, Index units, Scalar* grad, MatrixRef dx) {
    const Index n = x.rows(), k = x.cols(), u = units;
    const Index grad_chunks = gemm_chunks(k, k, u), dx_chunks = dx.rows() > 0 ? gemm_chunks(k, k, u) : 0;
    const Index grad_kc = full_depth_blocking(k, u, n), dx_kc = full_depth_blocking(n, k, u);
    ScratchSet& scratch = caller_scratch();
    parallel_for(grad_chunks + dx_chunks, [&](Index c) {
        PackingScratch& own = scratch[static_cast<std::size_t>(c)];
        if (c < grad_chunks) {
            const Index r0 = chunk_begin(k, grad_chunks, c), rows = chunk_begin(k, grad_chunks, c + 1) - r0;
            if (rows > 0)
                gemm(false, true, false, rows, u, n, x.data() + r0, x.outerStride(), dz.data(), dz.outerStride(),
                     grad + r0 * u, u, grad_kc, own);
        } else {
            c -= grad_chunks;
            const Index c0 = chunk_begin(k, dx_chunks, c), cols = chunk_begin(k, dx_chunks, c + 1) - c0;
            if (cols > 0)
                gemm(false, false, true, n, cols, u, dz.data(), dz.outerStride(), kernel + c0 * u, u,
                     dx.data() + c0, dx.outerStride(), dx_kc, own);
        }
    });
}

}  // namespace plexus::kernels
