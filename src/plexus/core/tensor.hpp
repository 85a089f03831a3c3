// The numeric types of Plexus: row-major matrices over Eigen.
//
// A batch is a Matrix of shape (rows = samples, cols = features). Biases are
// RowVectors. `Scalar` is float in the main library (`plexus`) and double in the
// `plexus_f64` build of the same sources, which the finite-difference gradient
// checks and the PyTorch agreement tests use (compare GROMACS's mixed/double builds).
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "plexus/core/abi.hpp"

#ifndef PLEXUS_SCALAR
#define PLEXUS_SCALAR float
#endif

namespace plexus {

using Scalar = PLEXUS_SCALAR;
using Index = Eigen::Index;
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
using ColVector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
// A flat buffer aligned as Eigen's own matrices. Alignment matters for
// determinism, not only speed: Eigen's vectorised kernels peel differently at
// different alignments, which changes the order of floating-point sums.
using AlignedBuffer = std::vector<Scalar, Eigen::aligned_allocator<Scalar>>;
// Views that accept a Matrix or a block of contiguous rows of one (e.g. m.topRows(n))
// without copying; the workspaces of the training loop are passed this way.
using MatrixRef = Eigen::Ref<Matrix>;
using ConstMatrixRef = Eigen::Ref<const Matrix>;
// A list of rows of a matrix (a split's part, a sample, a fold, held-out rows): 32-bit row
// numbers, so a large table's split costs 4 bytes per row, not 8. fit, its plan and the
// run layer take at most kMaxRows rows (ShapeError beyond).
using RowIndex = std::uint32_t;
using RowList = std::vector<RowIndex>;
inline constexpr Index kMaxRows = static_cast<Index>(std::numeric_limits<RowIndex>::max());

// A read-only view of a contiguous row-major (rows, cols) matrix in memory owned
// elsewhere: a Matrix, a float32 C-order NumPy array, a memory-mapped .npy file.
// fit, its plan and the doctor read their data through it, so the caller's
// memory is used in place. A Matrix converts to it implicitly (nothing is
// copied); the memory must outlive the view. Unlike Eigen::Map it never
// converts back to a Matrix implicitly, so a hidden copy cannot creep in:
// use map() for an Eigen expression (it binds to ConstMatrixRef without a copy).
class MatrixView {
public:
    MatrixView() = default;
    MatrixView(const Matrix& m) noexcept : data_(m.data()), rows_(m.rows()), cols_(m.cols()) {}  // NOLINT(implicit)
    MatrixView(const Scalar* data, Index rows, Index cols) noexcept : data_(data), rows_(rows), cols_(cols) {}
    const Scalar* data() const noexcept { return data_; }
    Index rows() const noexcept { return rows_; }
    Index cols() const noexcept { return cols_; }
    Eigen::Map<const Matrix> map() const { return {data_, rows_, cols_}; }
    auto row(Index i) const { return map().row(i); }
    Scalar operator()(Index i, Index j) const { return data_[i * cols_ + j]; }

private:
    const Scalar* data_ = nullptr;
    Index rows_ = 0, cols_ = 0;
};

// "(rows, cols)" for error messages.
inline std::string shape_string(Index rows, Index cols) {
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}
inline std::string shape_string(const Matrix& m) { return shape_string(m.rows(), m.cols()); }
inline std::string shape_string(const MatrixView& m) { return shape_string(m.rows(), m.cols()); }

// True when no element is NaN or Inf. Use this, not Eigen's allFinite(), on data:
// Eigen walks any matrix column by column, which on a large row-major matrix is a
// cache miss per element (measured 1.1 s against 0.04 s for 60000 x 784 floats).
// This reads memory in order: x * 0 is 0 for finite x and NaN otherwise, and the
// vectorised sum carries a NaN through.
inline bool all_finite(ConstMatrixRef m) {
    using Flat = Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>>;
    if (m.size() == 0) return true;
    if (m.outerStride() == m.cols()) return std::isfinite((Flat(m.data(), m.size()) * Scalar(0)).sum());
    for (Index i = 0; i < m.rows(); ++i)
        if (!std::isfinite((Flat(m.row(i).data(), m.cols()) * Scalar(0)).sum())) return false;
    return true;
}

}  // namespace plexus
