// The GEMM kernels behind plain pointers (Eigen's, and for float where the copy is
// compiled for AVX-512 Plexus's own, gemm_avx512.hpp); see gemm_isa.hpp. Compiled once
// per instruction set: PLEXUS_GEMM_ISA names the entry point (base, v3 or v4).
// Includes no other Plexus header but gemm_avx512.hpp (which uses no Eigen type):
// core/tensor.hpp would bring Eigen types into Plexus's own signatures, and under a
// renamed Eigen they would differ.
#include "plexus/kernels/gemm_isa.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <type_traits>
#include <vector>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
#include "plexus/kernels/gemm_avx512.hpp"
// The float copies for AVX-512 run Plexus's own GEMM (gemm_avx512.hpp), the others Eigen's.
#define PLEXUS_GEMM_OWN_AVX512 1
#endif

#ifdef PLEXUS_GEMM_ISA
#define PLEXUS_GEMM_ISA_NAME_GIVEN 1  // a per-ISA copy (CMakeLists.txt gives the name and the -march)
#else
#define PLEXUS_GEMM_ISA base  // the library's own copy, with the library's flags (-march=native, or none)
#define PLEXUS_GEMM_ISA_NAME "base"
#endif

namespace plexus::kernels::PLEXUS_GEMM_NAMESPACE {
namespace {

// Packing buffers for Eigen's GEMM, reused from call to call: through
// `C.noalias() = A * B` every product of M's sizes mallocs and frees 0.3-2 MB of
// packing space. Each calling thread owns one set, and chunk c of a parallel GEMM
// always uses slot c of its caller's set whichever thread runs it, so the buffers
// reach their final sizes in the first training step, deterministically.
struct PackingScratch {
    std::vector<Scalar, Eigen::aligned_allocator<Scalar>> a, b;
};
using ScratchSet = std::array<PackingScratch, kScratchSlots>;
void* caller_scratch() {
    thread_local ScratchSet set;
    return &set;
}

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
    // reserve_rows: the buffer packing the row-major A (Eigen's right-hand side) is sized for
    // at least that many rows of C.
    ScratchBlocking(Index m, Index n, Index k, Index kc, Index reserve_rows, PackingScratch& scratch) {
        this->m_mc = n;
        this->m_nc = std::max<Index>(m, 128);
        this->m_kc = k;
        Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1>(this->m_kc, this->m_mc, this->m_nc, Index{1});
        if (kc > 0) this->m_kc = kc;
        const auto size_a = static_cast<std::size_t>(this->m_mc * this->m_kc);
        const auto size_b = static_cast<std::size_t>(this->m_kc * std::max(this->m_nc, reserve_rows));
        if (scratch.a.size() < size_a) scratch.a.resize(size_a);  // the first product of a shape only
        if (scratch.b.size() < size_b) scratch.b.resize(size_b);
        this->m_blockA = scratch.a.data();
        this->m_blockB = scratch.b.data();
    }
};

Index eigen_depth_blocking(Index m, Index n, Index k) {
    Index kc = k, mc = n, nc = std::max<Index>(m, 128);
    Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1>(kc, mc, nc, Index{1});
    return kc;
}

template <int LhsOrder, int RhsOrder>
void eigen_gemm(Index m, Index n, Index k, const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar* c, Index ldc,
                Index kc, Index reserve_rows, PackingScratch& scratch) {
    ScratchBlocking blocking(m, n, k, kc, reserve_rows, scratch);
    Eigen::internal::general_matrix_matrix_product<Index, Scalar, LhsOrder, false, Scalar, RhsOrder, false, Eigen::RowMajor,
                                                   1>::run(m, n, k, a, lda, b, ldb, c, 1, ldc, Scalar(1), blocking, nullptr);
}

PackingScratch& slot_of(void* scratch, int slot) { return (*static_cast<ScratchSet*>(scratch))[static_cast<std::size_t>(slot)]; }

void eigen_entry(bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda, const Scalar* b, Index ldb,
                 Scalar* c, Index ldc, Index kc, Index reserve_rows, void* scratch, int slot) {
    PackingScratch& own = slot_of(scratch, slot);
    // op(A) of a row-major A is a column-major matrix with the same stride (likewise B).
    constexpr int R = Eigen::RowMajor, C = Eigen::ColMajor;
    if (trans_a && trans_b) eigen_gemm<C, C>(m, n, k, a, lda, b, ldb, c, ldc, kc, reserve_rows, own);
    else if (trans_a) eigen_gemm<C, R>(m, n, k, a, lda, b, ldb, c, ldc, kc, reserve_rows, own);
    else if (trans_b) eigen_gemm<R, C>(m, n, k, a, lda, b, ldb, c, ldc, kc, reserve_rows, own);
    else eigen_gemm<R, R>(m, n, k, a, lda, b, ldb, c, ldc, kc, reserve_rows, own);
}

constexpr Index kEigenRegisterRows = Eigen::internal::gebp_traits<Scalar, Scalar>::mr;
static_assert(kEigenRegisterRows % 4 == 0, "chunk boundaries must also be multiples of the register-block width (nr)");
const Kernels kEigenKernels{PLEXUS_GEMM_ISA_NAME, "eigen", kEigenRegisterRows, &eigen_depth_blocking, &caller_scratch,
                           &eigen_entry};

#ifdef PLEXUS_GEMM_OWN_AVX512
Index own_depth_blocking(Index, Index, Index k) { return avx512_gemm::depth_block(k, 0); }

// A template, so that the float-only branch is discarded in the double library.
template <class T>
void own_gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, const T* a, Index lda, const T* b, Index ldb, T* c,
              Index ldc, Index kc, void* scratch, int slot) {
    if constexpr (std::is_same_v<T, float>) {
        // Its packing space depends on n and the depth blocking, not on m: the first full
        // batch of a shape sizes it for every later one.
        PackingScratch& own = slot_of(scratch, slot);
        const Index depth = avx512_gemm::depth_block(k, kc);
        const std::size_t size_a = avx512_gemm::packed_a_size(depth), size_b = avx512_gemm::packed_b_size(n, depth);
        if (own.a.size() < size_a) own.a.resize(size_a);
        if (own.b.size() < size_b) own.b.resize(size_b);
        avx512_gemm::gemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, kc, own.a.data(), own.b.data());
    } else {
        eigen_entry(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, kc, 0, scratch, slot);
    }
}

void own_entry(bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda, const Scalar* b, Index ldb,
               Scalar* c, Index ldc, Index kc, Index, void* scratch, int slot) {
    own_gemm<Scalar>(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, kc, scratch, slot);
}

// Chunk boundaries fall on whole tiles (kNr columns); its results do not depend on the cut.
const Kernels kOwnKernels{PLEXUS_GEMM_ISA_NAME, "plexus-avx512", avx512_gemm::kNr, &own_depth_blocking, &caller_scratch,
                         &own_entry};
constexpr bool kHasOwn = std::is_same_v<Scalar, float>;
#else
const Kernels& kOwnKernels = kEigenKernels;
constexpr bool kHasOwn = false;
#endif

}  // namespace

const Kernels* PLEXUS_GEMM_ISA() { return kHasOwn ? &kOwnKernels : &kEigenKernels; }
const Kernels* PLEXUS_GEMM_CAT(PLEXUS_GEMM_ISA, _eigen)() { return &kEigenKernels; }

#if !defined(PLEXUS_GEMM_ISA_NAME_GIVEN) && !defined(PLEXUS_GEMM_ISA_OBJECTS)
// The library's own copy, in a build without the per-ISA copies (not x86-64, or
// PLEXUS_OPENBLAS): there are none to choose.
const Kernels* v3() { return nullptr; }
const Kernels* v4() { return nullptr; }
const Kernels* v3_eigen() { return nullptr; }
const Kernels* v4_eigen() { return nullptr; }
#endif

}  // namespace plexus::kernels::PLEXUS_GEMM_NAMESPACE
