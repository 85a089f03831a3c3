#include "plexus/layers/dense.hpp"

#include <algorithm>
#include <array>
#include <vector>

#ifdef PLEXUS_USE_CBLAS
#include <cblas.h>
#endif

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/core/limits.hpp"
#include "plexus/core/parallel.hpp"

namespace plexus {

Dense::Dense(DenseOptions options) : options_(std::move(options)) {
    if (options_.units <= 0)
        throw ConfigError("Dense: units must be a positive integer; received units=" +
                          std::to_string(options_.units));
    if (options_.kernel_l1 < 0 || options_.kernel_l2 < 0)
        throw ConfigError("Dense: kernel regularizer factors must be >= 0; received l1=" +
                          std::to_string(options_.kernel_l1) + ", l2=" + std::to_string(options_.kernel_l2));
    if (options_.units > kMaxLayerWidth)
        throw ConfigError("Dense: units must be at most " + std::to_string(kMaxLayerWidth) + "; received units=" +
                          std::to_string(options_.units));
    if (options_.input_dim < 0 || options_.input_dim > kMaxLayerWidth)
        throw ConfigError("Dense: input_dim must be in [1, " + std::to_string(kMaxLayerWidth) + "] (or 0: from the data); received " +
                          std::to_string(options_.input_dim));
    activation_ = make_activation(options_.activation);
    options_.activation = activation_->name();
    linear_ = options_.activation == "linear";
    check_initializer_name(options_.kernel_initializer.name);
    check_initializer_name(options_.bias_initializer.name);
    if (!options_.name.empty()) set_name(options_.name);
}

Index Dense::output_dim(Index input_dim) const {
    if (input_dim <= 0) throw ShapeError("Dense: input width must be positive; received " + std::to_string(input_dim));
    return options_.units;
}

std::vector<ParamSpec> Dense::param_specs(Index input_dim) const {
    std::vector<ParamSpec> specs{{"kernel", input_dim, options_.units, options_.kernel_initializer}};
    if (options_.use_bias) specs.push_back({"bias", 1, options_.units, options_.bias_initializer});
    return specs;
}

void Dense::bind(std::span<const ParamView> params) {
    new (&kernel_) Map(params[0].value, params[0].rows, params[0].cols);
    new (&kernel_grad_) Map(params[0].grad, params[0].rows, params[0].cols);
    if (options_.use_bias) {
        new (&bias_) Map(params[1].value, 1, params[1].cols);
        new (&bias_grad_) Map(params[1].grad, 1, params[1].cols);
    }
}

void Dense::reserve(Index max_rows) {
    if (!linear_ && z_.rows() < max_rows) z_.resize(max_rows, options_.units);
}

namespace {

// Small layers (the seed's 2->4, 4->4, 4->2) spend their time in dispatch, not
// arithmetic: Eigen's dynamic-size products pick a kernel on every call, and above
// a tiny size they allocate GEMM blocking buffers. Below these sizes Dense uses the
// plain loops here instead, with the width known at compile time for the common
// widths so that a row stays in registers. Every sum runs in a fixed order, so the
// results do not depend on alignment.
constexpr Index kSmallPerRow = 256;     // in * units at most, any number of rows,
constexpr Index kSmallTotal = 1 << 13;  // or rows * in * units at most

bool small_layer(Index rows, Index in, Index units) {
    return in * units <= kSmallPerRow || rows * in * units <= kSmallTotal;
}

// Row-major operands as (pointer, distance between rows).
struct Rows {
    const Scalar* data;
    Index stride;
};
struct MutRows {
    Scalar* data;
    Index stride;
};

// z (n, u) = x (n, k) · w (k, u) + b (b may be null). U is u when > 0; then each
// output row is accumulated in local variables (registers) and stored once.
template <int U>
void small_forward(Rows x, Index n, Index k, Index u_dyn, const Scalar* __restrict w, const Scalar* __restrict b,
                   MutRows z) {
    if constexpr (U > 0) {
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            Scalar acc[U];
            for (int j = 0; j < U; ++j) acc[j] = b ? b[j] : Scalar(0);
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                for (int j = 0; j < U; ++j) acc[j] += xv * w[p * U + j];
            }
            Scalar* __restrict zi = z.data + i * z.stride;
            for (int j = 0; j < U; ++j) zi[j] = acc[j];
        }
    } else {
        const Index u = u_dyn;
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            Scalar* __restrict zi = z.data + i * z.stride;
            for (Index j = 0; j < u; ++j) zi[j] = b ? b[j] : Scalar(0);
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                const Scalar* __restrict wp = w + p * u;
                for (Index j = 0; j < u; ++j) zi[j] += xv * wp[j];
            }
        }
    }
}

// Rows p .. p+P-1 of gw (k, U) = xᵀ·dz, each summed over the batch rows in order.
template <int U, int P>
void small_kernel_rows(Rows x, Index n, Index p, Rows dz, Scalar* __restrict gw) {
    Scalar acc[P][U] = {};
    for (Index i = 0; i < n; ++i) {
        const Scalar* __restrict xi = x.data + i * x.stride + p;
        const Scalar* __restrict di = dz.data + i * dz.stride;
        for (int q = 0; q < P; ++q)
            for (int j = 0; j < U; ++j) acc[q][j] += xi[q] * di[j];
    }
    for (int q = 0; q < P; ++q)
        for (int j = 0; j < U; ++j) gw[(p + q) * U + j] = acc[q][j];
}

// Columns p .. p+P-1 of row dx_i = dz_i · wᵀ, each summed over the U units in order:
// P independent accumulation chains instead of one.
template <int U, int P>
void small_dx_cols(const Scalar* __restrict di, const Scalar* __restrict w, Index p, Scalar* __restrict dxi) {
    Scalar acc[P] = {};
    for (int j = 0; j < U; ++j)
        for (int q = 0; q < P; ++q) acc[q] += di[j] * w[(p + q) * U + j];
    for (int q = 0; q < P; ++q) dxi[p + q] = acc[q];
}

// From dz (n, u): gw (k, u) = xᵀ·dz, gb (u) = column sums of dz (if gb), dx (n, k) = dz·wᵀ (if dx.data).
// Every sum runs over the rows in order.
template <int U>
void small_backward(Rows x, Index n, Index k, Index u_dyn, Rows dz, const Scalar* __restrict w, Scalar* __restrict gw,
                    Scalar* __restrict gb, MutRows dx) {
    const Index u = U > 0 ? U : u_dyn;
    if constexpr (U > 0) {
        // Kernel rows in groups of 4 (then 2, then 1): independent accumulation chains.
        Index p = 0;
        for (; p + 4 <= k; p += 4) small_kernel_rows<U, 4>(x, n, p, dz, gw);
        for (; p + 2 <= k; p += 2) small_kernel_rows<U, 2>(x, n, p, dz, gw);
        for (; p < k; ++p) small_kernel_rows<U, 1>(x, n, p, dz, gw);
        if (gb) {
            Scalar acc[U] = {};
            for (Index i = 0; i < n; ++i)
                for (int j = 0; j < U; ++j) acc[j] += dz.data[i * dz.stride + j];
            for (int j = 0; j < U; ++j) gb[j] = acc[j];
        }
    } else {
        for (Index q = 0; q < k * u; ++q) gw[q] = Scalar(0);
        if (gb)
            for (Index j = 0; j < u; ++j) gb[j] = Scalar(0);
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            const Scalar* __restrict di = dz.data + i * dz.stride;
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                Scalar* __restrict gp = gw + p * u;
                for (Index j = 0; j < u; ++j) gp[j] += xv * di[j];
            }
            if (gb)
                for (Index j = 0; j < u; ++j) gb[j] += di[j];
        }
    }
    if (!dx.data) return;
    if constexpr (U > 0) {
        for (Index i = 0; i < n; ++i) {
            const Scalar* di = dz.data + i * dz.stride;
            Scalar* dxi = dx.data + i * dx.stride;
            Index p = 0;
            for (; p + 4 <= k; p += 4) small_dx_cols<U, 4>(di, w, p, dxi);
            for (; p < k; ++p) small_dx_cols<U, 1>(di, w, p, dxi);
        }
    } else {
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict di = dz.data + i * dz.stride;
            Scalar* __restrict dxi = dx.data + i * dx.stride;
            for (Index p = 0; p < k; ++p) {
                const Scalar* __restrict wp = w + p * u;
                Scalar s = 0;
                for (Index j = 0; j < u; ++j) s += di[j] * wp[j];
                dxi[p] = s;
            }
        }
    }
}

void small_forward_any(Rows x, Index n, Index k, Index u, const Scalar* w, const Scalar* b, MutRows z) {
    switch (u) {
        case 1: return small_forward<1>(x, n, k, u, w, b, z);
        case 2: return small_forward<2>(x, n, k, u, w, b, z);
        case 3: return small_forward<3>(x, n, k, u, w, b, z);
        case 4: return small_forward<4>(x, n, k, u, w, b, z);
        case 8: return small_forward<8>(x, n, k, u, w, b, z);
        case 16: return small_forward<16>(x, n, k, u, w, b, z);
        default: return small_forward<0>(x, n, k, u, w, b, z);
    }
}

void small_backward_any(Rows x, Index n, Index k, Index u, Rows dz, const Scalar* w, Scalar* gw, Scalar* gb, MutRows dx) {
    switch (u) {
        case 1: return small_backward<1>(x, n, k, u, dz, w, gw, gb, dx);
        case 2: return small_backward<2>(x, n, k, u, dz, w, gw, gb, dx);
        case 3: return small_backward<3>(x, n, k, u, dz, w, gw, gb, dx);
        case 4: return small_backward<4>(x, n, k, u, dz, w, gw, gb, dx);
        case 8: return small_backward<8>(x, n, k, u, dz, w, gw, gb, dx);
        case 16: return small_backward<16>(x, n, k, u, dz, w, gw, gb, dx);
        default: return small_backward<0>(x, n, k, u, dz, w, gw, gb, dx);
    }
}

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

// z = x · kernel + bias: each chunk of output columns starts from the bias and accumulates the product.
void large_forward(ConstMatrixRef x, const Eigen::Map<Matrix>& kernel, const Scalar* bias, MatrixRef z) {
    const Index n = x.rows(), k = x.cols(), u = kernel.cols();
    const Index chunks = gemm_chunks(u, k, u);
    const Index kc = full_depth_blocking(n, u, k);
    ScratchSet& scratch = caller_scratch();
    parallel_for(chunks, [&](Index c) {
        const Index j0 = chunk_begin(u, chunks, c), width = chunk_begin(u, chunks, c + 1) - j0;
        if (width <= 0) return;
        if (bias) z.middleCols(j0, width).rowwise() = Eigen::Map<const RowVector>(bias + j0, width);
        gemm(bias != nullptr, false, false, n, width, k, x.data(), x.outerStride(), kernel.data() + j0, u,
             z.data() + j0, z.outerStride(), kc, scratch[static_cast<std::size_t>(c)]);
    });
}

// kernel_grad = xᵀ · dz (chunks of kernel rows), dx = dz · kernelᵀ (chunks of dx columns) if dx has rows.
void large_backward(ConstMatrixRef x, ConstMatrixRef dz, const Eigen::Map<Matrix>& kernel, Eigen::Map<Matrix>& grad,
                    MatrixRef dx) {
    const Index n = x.rows(), k = x.cols(), u = kernel.cols();
    const Index grad_chunks = gemm_chunks(k, k, u), dx_chunks = dx.rows() > 0 ? gemm_chunks(k, k, u) : 0;
    const Index grad_kc = full_depth_blocking(k, u, n), dx_kc = full_depth_blocking(n, k, u);
    ScratchSet& scratch = caller_scratch();
    parallel_for(grad_chunks + dx_chunks, [&](Index c) {
        PackingScratch& own = scratch[static_cast<std::size_t>(c)];
        if (c < grad_chunks) {
            const Index r0 = chunk_begin(k, grad_chunks, c), rows = chunk_begin(k, grad_chunks, c + 1) - r0;
            if (rows > 0)
                gemm(false, true, false, rows, u, n, x.data() + r0, x.outerStride(), dz.data(), dz.outerStride(),
                     grad.data() + r0 * u, u, grad_kc, own);
        } else {
            c -= grad_chunks;
            const Index c0 = chunk_begin(k, dx_chunks, c), cols = chunk_begin(k, dx_chunks, c + 1) - c0;
            if (cols > 0)
                gemm(false, false, true, n, cols, u, dz.data(), dz.outerStride(), kernel.data() + c0 * u, u,
                     dx.data() + c0, dx.outerStride(), dx_kc, own);
        }
    });
}

}  // namespace

void Dense::forward(ConstMatrixRef x, MatrixRef y, bool, Rng&) {
    const Index n = x.rows();
    if (x.cols() != kernel_.rows())
        throw ShapeError("Dense '" + name() + "': expected input of width " + std::to_string(kernel_.rows()) +
                         ", received " + shape_string(x.rows(), x.cols()));
    if (!linear_ && z_.rows() < n) reserve(n);
    // The pre-activation goes to z_ (kept for backward), or straight to y for a linear layer.
    MatrixRef z = linear_ ? y : MatrixRef(z_.topRows(n));
    const Scalar* bias = options_.use_bias ? bias_.data() : nullptr;
    if (small_layer(n, kernel_.rows(), kernel_.cols()))
        small_forward_any({x.data(), x.outerStride()}, n, kernel_.rows(), kernel_.cols(), kernel_.data(), bias,
                          {z.data(), z.outerStride()});
    else
        large_forward(x, kernel_, bias, z);
    if (!linear_) activation_->forward(z, y);
}

ConstMatrixRef Dense::preactivation(ConstMatrixRef x, ConstMatrixRef y) const {
    if (linear_) return y;
    return z_.topRows(x.rows());
}

void Dense::backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) {
    // dz = f'(z) ⊙ dy, in place.
    if (of == GradientOf::output && !linear_) activation_->backward(preactivation(x, y), y, dy, dy);
    const Index n = x.rows();
    if (small_layer(n, kernel_.rows(), kernel_.cols())) {
        small_backward_any({x.data(), x.outerStride()}, n, kernel_.rows(), kernel_.cols(), {dy.data(), dy.outerStride()},
                           kernel_.data(), kernel_grad_.data(), options_.use_bias ? bias_grad_.data() : nullptr,
                           {dx.rows() > 0 ? dx.data() : nullptr, dx.outerStride()});
    } else {
        large_backward(x, dy, kernel_, kernel_grad_, dx);
        if (options_.use_bias) bias_grad_ = dy.colwise().sum();
    }
    if (options_.kernel_l1 > 0)
        kernel_grad_.array() += Scalar(options_.kernel_l1) * kernel_.array().sign();
    if (options_.kernel_l2 > 0) kernel_grad_.array() += Scalar(2 * options_.kernel_l2) * kernel_.array();
}

double Dense::regularization_loss() const {
    double loss = 0;
    if (options_.kernel_l1 > 0) loss += options_.kernel_l1 * static_cast<double>(kernel_.array().abs().sum());
    if (options_.kernel_l2 > 0) loss += options_.kernel_l2 * static_cast<double>(kernel_.squaredNorm());
    return loss;
}

namespace {
nlohmann::json initializer_json(const InitializerOptions& init) {
    nlohmann::json j = {{"name", init.name}};
    if (init.name == "constant") j["value"] = init.value;
    return j;
}
InitializerOptions initializer_from(const JsonField& parent, std::string_view key, const char* fallback) {
    const auto field = parent.find(key);
    if (!field) return {.name = fallback};
    if (field->json().is_string()) return {.name = field->string(64)};
    return {.name = field->string_or("name", fallback, 64), .value = field->number_or("value", 0.0, -1e30, 1e30)};
}
}  // namespace

nlohmann::json Dense::config() const {
    nlohmann::json j = {{"type", type()},
                        {"name", name()},
                        {"units", options_.units},
                        {"activation", options_.activation},
                        {"use_bias", options_.use_bias},
                        {"kernel_initializer", initializer_json(options_.kernel_initializer)},
                        {"bias_initializer", initializer_json(options_.bias_initializer)}};
    if (options_.kernel_l1 > 0 || options_.kernel_l2 > 0)
        j["kernel_regularizer"] = {{"l1", options_.kernel_l1}, {"l2", options_.kernel_l2}};
    if (options_.input_dim > 0) j["input_dim"] = options_.input_dim;
    return j;
}

std::unique_ptr<Layer> Dense::from_config(const nlohmann::json& j) {
    const JsonField config(j, "Dense", JsonErrorKind::config);
    if (!config.has("units"))
        throw ConfigError("Dense: config needs an integer 'units', e.g. {\"type\": \"Dense\", \"units\": 4}");
    DenseOptions options{.units = config.at("units").integer(1, kMaxLayerWidth),
                         .activation = config.string_or("activation", "linear", 64),
                         .use_bias = config.boolean_or("use_bias", true),
                         .kernel_initializer = initializer_from(config, "kernel_initializer", "glorot_uniform"),
                         .bias_initializer = initializer_from(config, "bias_initializer", "zeros"),
                         .input_dim = config.integer_or("input_dim", 0, 0, kMaxLayerWidth),
                         .name = config.string_or("name", "", 256)};
    if (const auto r = config.find("kernel_regularizer")) {
        options.kernel_l1 = r->number_or("l1", 0.0, 0.0, 1e30);
        options.kernel_l2 = r->number_or("l2", 0.0, 0.0, 1e30);
    }
    return std::make_unique<Dense>(std::move(options));
}

}  // namespace plexus
