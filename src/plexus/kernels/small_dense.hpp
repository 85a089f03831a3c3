// Dense-layer products for small layers, as plain loops.
//
// Small layers (the seed's 2->4, 4->4, 4->2) spend their time in dispatch, not
// arithmetic: Eigen's dynamic-size products pick a kernel on every call and, above
// a tiny size, allocate GEMM blocking buffers. These loops have the width known at
// compile time for the common widths (1, 2, 3, 4, 8, 16 units), so that a row stays
// in registers. Every sum runs in a fixed order, so results do not depend on
// alignment. Large layers use kernels/gemm.hpp.
//
// Shapes (all row-major; n batch rows, k inputs, u units):
//   x (n, k), kernel w (k, u) contiguous, bias b (u), z / dz (n, u), dx (n, k).
#pragma once

#include "plexus/core/tensor.hpp"

namespace plexus::kernels {

// Row-major operands as (pointer, distance between rows).
struct Rows {
    const Scalar* data;
    Index stride;
};
struct MutRows {
    Scalar* data;
    Index stride;
};

// Whether a product of this shape should use these loops (in * units <= 256, or
// rows * in * units <= 8192) rather than the GEMM.
bool small_layer(Index rows, Index in, Index units);

// z (n, u) = x (n, k) · w (k, u) + b (b may be null: no bias).
void small_forward_any(Rows x, Index n, Index k, Index u, const Scalar* w, const Scalar* b, MutRows z);

// From dz (n, u): gw (k, u) = xᵀ·dz; gb (u) = column sums of dz (if gb is not null);
// dx (n, k) = dz·wᵀ (if dx.data is not null). Every sum runs over the rows in order.
void small_backward_any(Rows x, Index n, Index k, Index u, Rows dz, const Scalar* w, Scalar* gw, Scalar* gb, MutRows dx);

}  // namespace plexus::kernels
