// Elementwise work over a flat buffer, spread over the thread pool (core/parallel.hpp):
// the optimizers' updates and the activations of large blocks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "plexus/core/parallel.hpp"

namespace plexus {

// body(begin, end) over [0, n), for elementwise work on a buffer whose first value is at
// `anchor`: one call up to 64k values (and with one thread); beyond, pieces of about 64k
// values, as many as a multiple of the threads, so that every thread gets an equal share
// (the tabular workload's 189k Adam parameters: 4 pieces on 2 threads, not 3). Every piece
// after the first starts on a 64-byte boundary of the buffer, so vectorised code (Eigen's
// packets, or a loop GCC vectorised) treats each value as it would in one call: with
// elementwise work, the results do not depend on the cut or the thread count.
template <typename T, typename F>
void parallel_elementwise(const T* anchor, std::size_t n, F&& body) {
    constexpr std::size_t kPiece = std::size_t{1} << 16, kAlign = 64 / sizeof(T);
    std::size_t pieces = (n + kPiece - 1) / kPiece;
    const auto threads = static_cast<std::size_t>(std::max(1, num_threads()));
    if (pieces <= 1 || threads <= 1) {
        body(std::size_t{0}, n);
        return;
    }
    pieces = (pieces + threads - 1) / threads * threads;
    const auto address = reinterpret_cast<std::uintptr_t>(anchor);
    const std::size_t first = std::min(n, (64 - address % 64) % 64 / sizeof(T));  // values before a boundary
    const auto begin = [&](std::size_t c) -> std::size_t {
        if (c == 0) return 0;
        if (c >= pieces) return n;
        return std::min(n, first + ((n - first) * c / pieces + kAlign - 1) / kAlign * kAlign);
    };
    parallel_for(static_cast<Index>(pieces), [&](Index c) {
        const std::size_t b = begin(static_cast<std::size_t>(c)), e = begin(static_cast<std::size_t>(c) + 1);
        if (b < e) body(b, e);
    });
}

}  // namespace plexus
