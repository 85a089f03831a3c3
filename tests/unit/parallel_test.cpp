// The thread pool (plexus/core/parallel.hpp), and the promise that results do not
// depend on the thread count: large Dense layers cut their GEMMs into one chunk per
// thread, and training must give bit-identical weights with 1, 2 or 3 threads.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "doctor_fit.hpp"
#include "plexus/core/float_mode.hpp"
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
Sequential wide_model(Index second_units, std::uint64_t seed) {
    Sequential model({Dense({.units = 300, .activation = "relu", .input_dim = 200}),
                      Dense({.units = second_units, .activation = "tanh"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy", .seed = seed});
    model.build(200, seed);
    return model;
}

// With `threads` threads: two training steps on `rows` rows, one on `last_rows` (a short last
// batch), then a prediction at batch 1024; the parameters and the predictions.
std::vector<Scalar> train_and_predict(int threads, Sequential model, Index rows, Index last_rows, std::uint64_t data_seed,
                                      Index label_step) {
    ThreadCount scope(threads);
    Rng rng(data_seed);
    Matrix x(rows, 200), y = Matrix::Zero(rows, 10);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(rng.normal());
    for (Index i = 0; i < rows; ++i) y(i, (i * label_step) % 10) = 1;
    for (int step = 0; step < 3; ++step) {
        const Index n = step == 2 ? last_rows : rows;
        model.train_on_batch(x.topRows(n), y.topRows(n));
    }
    std::vector<Scalar> out(model.parameters().begin(), model.parameters().end());
    const Matrix p = model.predict(x, 1024);
    out.insert(out.end(), p.data(), p.data() + p.size());
    return out;
}

// run(threads) gives the same values with each of `threads` threads as with one.
void expect_same_bits(const std::function<std::vector<Scalar>(int)>& run, std::initializer_list<int> threads) {
    const std::vector<Scalar> one = run(1);
    for (int t : threads) {
        const std::vector<Scalar> many = run(t);
        ASSERT_EQ(one.size(), many.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < one.size(); ++i) differ += one[i] != many[i] ? 1 : 0;
        EXPECT_EQ(differ, 0u) << t << " threads changed " << differ << " of " << one.size() << " values";
    }
}

// Every chunk runs in the caller's floating-point mode, whichever thread runs it, and fit
// flushes denormals while it trains (core/float_mode.hpp) and restores the caller's mode.
TEST(ParallelFor, ChunksRunInTheCallersFloatMode) {
    ThreadCount scope(2);
    const auto modes = [] {
        std::vector<std::atomic<int>> flushing(64);
        for (int round = 0; round < 20; ++round)
            parallel_for(static_cast<Index>(flushing.size()), [&](Index c) {
                volatile float tiny = 1e-30f;
                const float product = tiny * 1e-10f;  // 1e-40: denormal, or 0 when flushed
                flushing[static_cast<std::size_t>(c)].fetch_add(flushing_denormals() && product == 0.0f ? 1 : 0);
            });
        std::vector<int> out;
        for (const auto& f : flushing) out.push_back(f.load());
        return out;
    };
    EXPECT_FALSE(flushing_denormals());
    EXPECT_EQ(modes(), std::vector<int>(64, 0));
    {
        const FlushDenormals flush;
        EXPECT_EQ(modes(), std::vector<int>(64, 20));
    }
    EXPECT_FALSE(flushing_denormals());
    EXPECT_EQ(modes(), std::vector<int>(64, 0));

    bool during = false;
    Sequential model = wide_model(40, 1);
    Matrix x = Matrix::Random(64, 200), y = Matrix::Zero(64, 10);
    for (Index i = 0; i < 64; ++i) y(i, i % 10) = 1;
    model.fit(x, y, {.epochs = 1, .verbose = 0, .callbacks = {std::make_shared<LambdaCallback>(LambdaCallbackOptions{
                                                    .on_epoch_end = [&](Sequential&, int, Logs&) { during = flushing_denormals(); }})}});
    EXPECT_TRUE(during);
    EXPECT_FALSE(flushing_denormals());
}

// train_on_batch computes in fit's mode: a gradient below the smallest normal Scalar becomes 0
// (Keras's train_on_batch runs in TensorFlow's executors, which flush too), and the caller's
// mode is back afterwards.
TEST(FloatMode, TrainOnBatchFlushesDenormalsAsFitDoes) {
    const Scalar target = std::numeric_limits<Scalar>::min() / 8;  // the kernel's gradient, -2·target, is denormal
    const auto trained_kernel = [&](bool by_fit) {
        Sequential model({Dense({.units = 1, .use_bias = false, .kernel_initializer = {.name = "zeros"}, .input_dim = 1})});
        model.compile({.optimizer = {.name = "sgd", .learning_rate = 1.0}, .loss = "mse"});
        const Matrix x = Matrix::Ones(1, 1), y = Matrix::Constant(1, 1, target);
        if (by_fit) model.fit(x, y, {.epochs = 1, .batch_size = 1, .shuffle = false, .verbose = 0});
        else model.train_on_batch(x, y);
        return model.get_weights(0)[0](0, 0);
    };
    volatile Scalar denormal = -2 * target;  // what the kernel would become without the flush
    ASSERT_NE(denormal, Scalar(0));
    EXPECT_EQ(trained_kernel(true), Scalar(0));
    EXPECT_EQ(trained_kernel(false), Scalar(0));
    EXPECT_FALSE(flushing_denormals());
}

TEST(ParallelDeterminism, TrainingGivesTheSameBitsWithAnyThreadCount) {
    // Batches of 96 and 40 rows: every product is cut along the units or inputs.
    expect_same_bits([](int t) { return train_and_predict(t, wide_model(130, 5), 96, 40, 9, 1); }, {2, 3});
}

TEST(ParallelDeterminism, ProductsCutAlongTheBatchGiveTheSameBitsWithAnyThreadCount) {
    // Batches with more rows than the layers have units and inputs, so that the forward
    // passes and the input gradients are cut along the batch rows, and a first layer with
    // fewer inputs than units, so that its kernel gradient is cut along the units
    // (kernels/gemm.cpp); 777 and 301 rows are not multiples of any alignment. The tanh
    // layer's 777 x 250 outputs are also split among the threads (activations/activation.cpp).
    expect_same_bits([](int t) { return train_and_predict(t, wide_model(250, 6), 777, 301, 11, 3); }, {2, 3, 5});
}

// A whole fit (shuffling, validation split, short last batch, the doctor's recorder on
// every batch) with `threads` threads: weights, every logged value and the doctor's
// findings with their evidence.
struct FitResult {
    std::vector<Scalar> weights;
    std::map<std::string, std::vector<double>> history;
    std::vector<std::string> findings;
};

// batch 32: every batch gathered by the caller; batch 160 (of 480 training rows): each
// batch gathered by min(threads, 2) threads (fit.cpp, kGatherRowsPerChunk).
FitResult fit_with(int threads, const std::string& optimizer, Index batch = 32) {
    ThreadCount scope(threads);
    Sequential model({Dense({.units = 300, .activation = "relu", .input_dim = 40}),
                      Dense({.units = 129, .activation = "tanh"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = optimizer, .learning_rate = 0.01, .momentum = optimizer == "sgd" ? 0.9 : 0.0},
                   .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    Rng rng(17);
    const Index rows = batch == 32 ? 150 : 600;
    Matrix x(rows, 40), y = Matrix::Zero(rows, 10);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(rng.normal());
    for (Index i = 0; i < rows; ++i) y(i, (i * 7) % 10) = 1;
    FitOptions options{.epochs = 3, .batch_size = batch, .validation_split = 0.2, .seed = 3, .verbose = 0};
    const auto doctor = testing::attach_doctor(options);
    const History h = model.fit(x, y, options);
    FitResult r{{model.parameters().begin(), model.parameters().end()}, h.history, {}};
    for (const auto& f : doctor->findings()) r.findings.push_back(to_json(f).dump());
    return r;
}

TEST(ParallelDeterminism, WholeFitsGiveTheSameBitsWithAnyThreadCount) {
    for (const auto& [optimizer, batch] : {std::pair{"sgd", Index{32}}, std::pair{"adam", Index{32}}, std::pair{"adam", Index{160}}}) {
        const FitResult one = fit_with(1, optimizer, batch);
        ASSERT_EQ(one.history.at("loss").size(), 3u);
        for (int threads : {2, 3}) {
            const FitResult many = fit_with(threads, optimizer, batch);
            ASSERT_EQ(one.weights.size(), many.weights.size());
            std::size_t differ = 0;
            for (std::size_t i = 0; i < one.weights.size(); ++i) differ += one.weights[i] != many.weights[i] ? 1 : 0;
            EXPECT_EQ(differ, 0u) << optimizer << ", batch " << batch << ", " << threads << " threads changed " << differ << " weights";
            EXPECT_EQ(one.history, many.history) << optimizer << ", batch " << batch << ", " << threads << " threads";
            EXPECT_EQ(one.findings, many.findings) << optimizer << ", batch " << batch << ", " << threads << " threads";
        }
    }
}

}  // namespace
}  // namespace plexus
