// The binary interface between libplexus and the program that includes its headers.
//
// Matrices cross the library boundary by value (fit takes them, predict returns
// them), so the library and the program must agree on how Eigen allocates and
// aligns them. Eigen derives that from the instruction set unless told:
// EIGEN_MAX_ALIGN_BYTES is 64 under -march=native on an AVX-512 machine and 16
// under plain x86-64, and a Matrix allocated with one setting and freed with the
// other corrupts the heap ("double free or corruption"). So the library pins
//   EIGEN_MAX_ALIGN_BYTES = EIGEN_MAX_STATIC_ALIGN_BYTES = 64 (CMake option PLEXUS_EIGEN_ALIGN_BYTES)
// as compile definitions that travel with it: CMake's plexus::plexus target
// (find_package(plexus)) and pkg-config's `plexus` Cflags both carry them, and
// then the program's own -march does not matter.
//
// A program built without them is stopped, never left to corrupt memory:
// - at link time: every file that includes this header refers to a symbol whose
//   name spells its scalar type and Eigen alignment, e.g.
//   plexus::detail::abi_float_align_16_static_16; the library defines only its
//   own, so the link fails with "undefined reference to ...abi_float_align_16...".
// - at start-up: the sizes and alignments of types the API passes (Matrix,
//   std::vector, std::string, std::function, a fixed-size Eigen matrix) are
//   compared with the library's before main(); a mismatch (e.g. a program built
//   with _GLIBCXX_DEBUG) throws ConfigError naming the first difference, which
//   ends the program with that message.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#ifndef PLEXUS_SCALAR
#define PLEXUS_SCALAR float
#endif

namespace plexus::detail {

// What this translation unit's compiler settings make of the types the API passes.
struct AbiSignature {
    std::size_t scalar_size;
    std::size_t eigen_max_align_bytes;
    std::size_t eigen_max_static_align_bytes;
    std::size_t eigen_default_align_bytes;  // how Eigen's allocator aligns (and so how it frees)
    std::size_t matrix_size, matrix_align;
    std::size_t fixed_matrix_size, fixed_matrix_align;  // Eigen::Matrix4f: statically aligned
    std::size_t vector_size, string_size, function_size;
};

constexpr AbiSignature abi_signature_here() {
    using Matrix = Eigen::Matrix<PLEXUS_SCALAR, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    return {sizeof(PLEXUS_SCALAR),          EIGEN_MAX_ALIGN_BYTES,   EIGEN_MAX_STATIC_ALIGN_BYTES,
            EIGEN_DEFAULT_ALIGN_BYTES,      sizeof(Matrix),          alignof(Matrix),
            sizeof(Eigen::Matrix4f),        alignof(Eigen::Matrix4f), sizeof(std::vector<int>),
            sizeof(std::string),            sizeof(std::function<void()>)};
}

#define PLEXUS_ABI_NAME_(scalar, align, static_align) abi_##scalar##_align_##align##_static_##static_align
#define PLEXUS_ABI_NAME(scalar, align, static_align) PLEXUS_ABI_NAME_(scalar, align, static_align)
// The library's signature, under a name that only matches a program built with its settings.
#define PLEXUS_ABI_TAG PLEXUS_ABI_NAME(PLEXUS_SCALAR, EIGEN_MAX_ALIGN_BYTES, EIGEN_MAX_STATIC_ALIGN_BYTES)
extern const AbiSignature PLEXUS_ABI_TAG;

// Compares `here` with the library's signature; throws ConfigError naming the
// first field that differs, both values and the fix. Returns true otherwise.
bool check_abi(const AbiSignature& library, const AbiSignature& here);

namespace {
// One check per translation unit, before main().
[[maybe_unused]] const bool abi_checked = check_abi(PLEXUS_ABI_TAG, abi_signature_here());
}  // namespace

}  // namespace plexus::detail
