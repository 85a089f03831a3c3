// Dense-layer products for large layers: GEMM (Plexus's own for float on AVX-512 CPUs,
// kernels/gemm_avx512.hpp; Eigen's elsewhere; or the system BLAS's with
// PLEXUS_OPENBLAS), cut into at most 8 chunks and run on the thread pool
// (core/parallel.hpp). Each product is cut along the output dimension that leaves the
// smaller operand to be packed by every chunk: the batch rows when a batch has more
// rows than the layer has units (forward) or inputs (input gradient), as in inference
// at batch 1024, else the units or inputs. A portable build runs the widest copy of
// the GEMM the CPU supports (AVX-512, AVX2 or SSE2: kernels/gemm_isa.hpp;
// PLEXUS_GEMM=base|v3|v4[-eigen] in the environment overrides the choice).
//
// Determinism: the results do not depend on the cut at all (every chunk uses the
// depth blocking of the whole product; with Eigen's GEMM the chunk boundaries also
// fall on multiples of its register-block height and width), so training and
// inference are bit-identical with any number of threads
// (tests/unit/parallel_test.cpp). The packing
// buffers are kept per calling thread and reused, and a chunk of batch rows reserves
// room for the shorter batches that are cut the other way: after the first full
// batch of a shape, these functions allocate nothing (tests/unit/no_allocation_test.cpp).
//
// Shapes (all row-major; n batch rows, k inputs, u units):
//   x (n, k) and dz (n, u), z (n, u) and dx (n, k): any row stride (Eigen::Ref);
//   kernel and kernel_grad (k, u): contiguous (row stride u); bias (u) or null.
// Small layers use kernels/small_dense.hpp instead (see small_layer()).
#pragma once

#include "plexus/core/tensor.hpp"

namespace plexus::kernels {

// z (n, u) = x (n, k) · kernel (k, u) + bias (broadcast over rows; null: no bias).
void large_forward(ConstMatrixRef x, const Scalar* kernel, Index units, const Scalar* bias, MatrixRef z);

// kernel_grad (k, u) = xᵀ · dz, overwritten; and, if dx has rows, dx (n, k) = dz · kernelᵀ.
void large_backward(ConstMatrixRef x, ConstMatrixRef dz, const Scalar* kernel, Index units, Scalar* kernel_grad,
                    MatrixRef dx);

}  // namespace plexus::kernels
