// GEMM for one instruction set (Eigen's, or for float with AVX-512 Plexus's own:
// gemm_avx512.hpp), behind plain pointers, so that a portable
// build can carry AVX2 and AVX-512 copies of it and pick one at run time
// (kernels/gemm.cpp; issue 18: a library or wheel for any x86-64 CPU without the
// 4-5x slower SSE2 products).
//
// gemm_isa.cpp is compiled several times (CMakeLists.txt):
//  - into the library with its own flags (-march=native, or none for a portable build): base();
//  - with -march=x86-64-v3 (AVX2, FMA) and -march=x86-64-v4 (AVX-512): v3() and v4(),
//    with Eigen's namespace renamed (-DEigen=PlexusEigen_v4 ...), so that Eigen's
//    templates compiled for AVX-512 get names of their own and the linker can never
//    use them for another path. Nothing of Eigen's appears in this header.
// The namespace carries the scalar type: the float library and the double one
// (plexus_f64) are linked into the same test programs.
#pragma once

#include <cstddef>

#ifndef PLEXUS_SCALAR
#error "PLEXUS_SCALAR (float or double) must be defined"
#endif

#define PLEXUS_GEMM_CAT2(a, b) a##b
#define PLEXUS_GEMM_CAT(a, b) PLEXUS_GEMM_CAT2(a, b)
#define PLEXUS_GEMM_NAMESPACE PLEXUS_GEMM_CAT(gemm_, PLEXUS_SCALAR)

namespace plexus::kernels::PLEXUS_GEMM_NAMESPACE {

using Scalar = PLEXUS_SCALAR;
using Index = std::ptrdiff_t;

// Packing buffers per calling thread: chunk c of a parallel product uses slot c.
constexpr int kScratchSlots = 16;

struct Kernels {
    const char* name;     // the instruction set: "base", "x86-64-v3", "x86-64-v4"
    const char* gemm_name;  // whose GEMM: "eigen", or "plexus-avx512" (gemm_avx512.hpp)
    Index register_rows;  // chunk boundaries are multiples of it (Eigen's register-block height mr, on which its results depend)
    // The depth blocking (kc) this GEMM uses for a whole row-major m x n x k product.
    Index (*depth_blocking)(Index m, Index n, Index k);
    // The calling thread's packing buffers (kScratchSlots of them). A parallel product
    // takes its caller's set and gives every chunk c slot c of it, whichever thread runs
    // the chunk, so the buffers reach their final sizes in the first product of a shape.
    void* (*caller_scratch)();
    // C (m, n) += op(A) · op(B), row-major operands with row strides lda, ldb, ldc;
    // kc > 0 imposes the depth blocking (that of the whole product, for a chunk of it).
    // Packs into slot `slot` (in [0, kScratchSlots)) of `scratch` (from caller_scratch),
    // whose buffer for op(A) is made large enough for at least `reserve_rows` rows of C
    // (so that a later product of up to that many rows, cut otherwise, allocates nothing).
    void (*gemm)(bool trans_a, bool trans_b, Index m, Index n, Index k, const Scalar* a, Index lda, const Scalar* b, Index ldb,
                 Scalar* c, Index ldc, Index kc, Index reserve_rows, void* scratch, int slot);
};

// Each copy's GEMM: for float where the copy is compiled for AVX-512, Plexus's own
// (gemm_avx512.hpp), else Eigen's; and the same copy's Eigen GEMM (the `_eigen` entries,
// for PLEXUS_GEMM=eigen and for the tests).
const Kernels* base();
const Kernels* base_eigen();
// Null where not compiled (not x86-64, or a PLEXUS_OPENBLAS build).
const Kernels* v3();
const Kernels* v4();
const Kernels* v3_eigen();
const Kernels* v4_eigen();

}  // namespace plexus::kernels::PLEXUS_GEMM_NAMESPACE
