// The thread pool (plexus/core/parallel.hpp), and the promise that results do not
// depend on the thread count: large Dense layers cut their GEMMs into one chunk per
// thread, and training must give bit-identical weights with 1, 2 or 3 threads.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "plexus/core/parallel.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

// Restores the default thread count when a test ends.
struct ThreadCount {
    explicit ThreadCount(int threads) { set_num_threads(threads); }
    ~ThreadCount() { set_num_threads(0); }
};

TEST(ParallelFor, RunsEveryChunkOnce) {
    for (int threads : {1, 2, 3}) {
        ThreadCount scope(threads);
        EXPECT_EQ(num_threads(), threads);
        std::vector<std::atomic<int>> hits(37);
        for (int round = 0; round < 50; ++round)
            parallel_for(static_cast<Index>(hits.size()), [&](Index c) { hits[static_cast<std::size_t>(c)].fetch_add(1); });
        for (const auto& h : hits) EXPECT_EQ(h.load(), 50) << threads << " threads";
    }
}

TEST(ParallelFor, NestedCallsRunInTheCaller) {
    ThreadCount scope(2);
    std::atomic<int> inner{0};
    parallel_for(4, [&](Index) { parallel_for(3, [&](Index) { inner.fetch_add(1); }); });
    EXPECT_EQ(inner.load(), 12);
}

// Widths that are not multiples of the chunk alignment, large enough to be cut.
Sequential wide_model() {
    Sequential model({Dense({.units = 300, .activation = "relu", .input_dim = 200}),
                      Dense({.units = 130, .activation = "tanh"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy", .seed = 5});
    model.build(200, 5);
    return model;
}

std::vector<Scalar> train_and_predict(int threads) {
    ThreadCount scope(threads);
    Sequential model = wide_model();
    Rng rng(9);
    Matrix x(96, 200), y = Matrix::Zero(96, 10);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(rng.normal());
    for (Index i = 0; i < 96; ++i) y(i, i % 10) = 1;
    for (int step = 0; step < 3; ++step) model.train_on_batch(x.topRows(step == 2 ? 40 : 96), y.topRows(step == 2 ? 40 : 96));
    std::vector<Scalar> out(model.parameters().begin(), model.parameters().end());
    const Matrix p = model.predict(x, 1024);
    out.insert(out.end(), p.data(), p.data() + p.size());
    return out;
}

TEST(ParallelDeterminism, TrainingGivesTheSameBitsWithAnyThreadCount) {
    const std::vector<Scalar> one = train_and_predict(1);
    for (int threads : {2, 3}) {
        const std::vector<Scalar> many = train_and_predict(threads);
        ASSERT_EQ(one.size(), many.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < one.size(); ++i) differ += one[i] != many[i] ? 1 : 0;
        EXPECT_EQ(differ, 0u) << threads << " threads changed " << differ << " of " << one.size() << " values";
    }
}

}  // namespace
}  // namespace plexus
