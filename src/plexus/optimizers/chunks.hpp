// Internal to the optimizers: runs an elementwise update over the flat buffer in
// chunks of at most 64k parameters, spread over the thread pool when there is more
// than one chunk. The updates are elementwise, so the cut changes no result.
#pragma once

#include <algorithm>
#include <cstddef>

#include "plexus/core/parallel.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus::detail {

// body(begin, end) over [0, n); one call when n fits one chunk. Otherwise the chunks
// are made equal and their number a multiple of the threads, so that every thread
// gets the same share (the tabular workload's 189k parameters: 4 chunks of 47k on 2
// threads, not 3 of 64k, two of which would fall to one thread).
template <typename F>
void for_chunks(std::size_t n, F&& body) {
    constexpr std::size_t kChunk = std::size_t{1} << 16, kAlign = 16;  // 64 bytes of float
    std::size_t chunks = (n + kChunk - 1) / kChunk;
    if (chunks <= 1) {
        body(std::size_t{0}, n);
        return;
    }
    const auto threads = static_cast<std::size_t>(std::max(1, plexus::num_threads()));
    chunks = (chunks + threads - 1) / threads * threads;
    const std::size_t size = ((n + chunks - 1) / chunks + kAlign - 1) / kAlign * kAlign;
    plexus::parallel_for(static_cast<Index>(chunks), [&](Index c) {
        const std::size_t begin = std::min(n, static_cast<std::size_t>(c) * size);
        const std::size_t end = std::min(n, begin + size);
        if (begin < end) body(begin, end);
    });
}

}  // namespace plexus::detail
