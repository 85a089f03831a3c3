// ShardReduction: statistics summed over the processes of a sharded (data-parallel) fit.
//
// The callback that averages the gradients over processes (GradientAllreduce,
// distributed/data_parallel.hpp) implements it. Callbacks that measure the batches of
// their own shard (the doctor's Recorder) find it among FitOptions::callbacks and
// combine their per-shard numbers through it, so that every process ends up with the
// statistics of the whole global batches, as one process training alone would have.
// Every process must call the same reductions in the same order with spans of the
// same length (a collective). A fit without sharding has no such callback, and the
// statistics stay local.
#pragma once

#include <span>
#include <vector>

#include "plexus/model/callback.hpp"

namespace plexus {

class ShardReduction {
public:
    virtual ~ShardReduction() = default;
    // In place: each element becomes its sum (resp. maximum) over the processes.
    // `what` names the data in errors (a rank that died, a timeout).
    virtual void sum_over_shards(std::span<double> values, const char* what) = 0;
    virtual void max_over_shards(std::span<double> values, const char* what) = 0;
};

// The position in `callbacks` of the first ShardReduction, or -1 if there is none.
inline long find_shard_reduction(const std::vector<CallbackPtr>& callbacks) {
    for (std::size_t i = 0; i < callbacks.size(); ++i)
        if (dynamic_cast<ShardReduction*>(callbacks[i].get())) return static_cast<long>(i);
    return -1;
}

}  // namespace plexus
