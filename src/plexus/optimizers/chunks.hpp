// Internal to the optimizers: runs an elementwise update over the flat buffer in
// fixed chunks of 64k parameters, spread over the thread pool when there is more
// than one chunk. The updates are elementwise, so the cut changes no result.
#pragma once

#include <algorithm>
#include <cstddef>

#include "plexus/core/parallel.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus::detail {

// body(begin, end) over [0, n); one call when n fits one chunk (M's 535k parameters: 9 chunks).
template <typename F>
void for_chunks(std::size_t n, F&& body) {
    constexpr std::size_t kChunk = std::size_t{1} << 16;
    const auto chunks = static_cast<Index>((n + kChunk - 1) / kChunk);
    if (chunks <= 1) {
        body(std::size_t{0}, n);
        return;
    }
    plexus::parallel_for(chunks, [&](Index c) {
        const std::size_t begin = static_cast<std::size_t>(c) * kChunk;
        body(begin, std::min(n, begin + kChunk));
    });
}

}  // namespace plexus::detail
