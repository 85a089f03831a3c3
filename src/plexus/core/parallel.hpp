// A small thread pool for the large kernels (GEMM chunks of big Dense layers,
// optimizer updates over big parameter buffers). Small layers never use it.
//
//   parallel_for(chunks, [&](Index c) { ... chunk c ... });
//
// The calling thread works too, and claims chunks from the same counter as the
// helpers, so it never waits for a helper that has not started: on a busy
// machine where a helper is not scheduled, the caller simply runs every chunk
// itself. It only waits for chunks a helper is already running. The cut into
// chunks may follow the thread count only where no result can depend on it
// (elementwise updates; GEMM chunks on Eigen's register-block boundaries), so
// results are the same with any number of threads (tests/unit/parallel_test.cpp).
//
// Threads: the hardware's, or PLEXUS_NUM_THREADS from the environment, or
// set_num_threads(). Helpers start on the first parallel_for and sleep when idle.
// Nested or concurrent calls (from two threads at once) run serially in the caller.
#pragma once

#include <type_traits>

#include "plexus/core/tensor.hpp"

namespace plexus {

// Threads used by parallel_for, the calling thread included (>= 1).
int num_threads();
// Sets it; 0 restores the default. Takes effect at the next parallel_for.
void set_num_threads(int threads);

namespace detail {
using ChunkFunction = void (*)(void* context, Index chunk);
void parallel_for(Index chunks, ChunkFunction function, void* context);
}  // namespace detail

// Runs fn(c) for every c in [0, chunks), in any order, possibly concurrently. Allocates nothing.
template <typename F>
void parallel_for(Index chunks, F&& fn) {
    if (chunks <= 0) return;
    if (chunks == 1) {
        fn(Index{0});
        return;
    }
    using Fn = std::remove_reference_t<F>;
    detail::parallel_for(
        chunks, [](void* context, Index c) { (*static_cast<Fn*>(context))(c); },
        const_cast<void*>(static_cast<const void*>(&fn)));
}

}  // namespace plexus
