// Google Benchmark micro-benchmarks of Plexus's kernels, through the public API.
//
//   plexus_micro_bench                                  # everything
//   plexus_micro_bench --benchmark_filter='Dense.*Seed' # the seed's shapes only
//
// Dense forward / backward at the seed's shapes (8x2->4, 8x4->4, 8x4->2) and
// workload M's (128x784->512, 128x512->256, 128x256->10, and 1024x784->512 for
// inference), optimizer steps (SGD, Adam over M's 535,818 parameters), and full
// training steps (Sequential::train_on_batch) for both workloads. Counters:
// FLOP/s for the dense kernels (2·n·in·out per GEMM), items/s = samples/s for
// the train steps.
#include <benchmark/benchmark.h>

#include <numbers>
#include <vector>

#include "plexus/plexus.hpp"

namespace {

using namespace plexus;

Matrix random_matrix(Index rows, Index cols, std::uint64_t seed) {
    Rng rng(seed);
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(rng.uniform(-1, 1));
    return m;
}

// A Dense layer bound to its own parameter storage, as Sequential would bind it.
struct BoundDense {
    Dense layer;
    std::vector<Scalar> params, grads;
    BoundDense(Index in, Index out, const std::string& activation) : layer(DenseOptions{.units = out, .activation = activation}) {
        const auto specs = layer.param_specs(in);
        std::size_t total = 0;
        for (const auto& s : specs) total += static_cast<std::size_t>(s.rows * s.cols);
        params.assign(total, Scalar(0));
        grads.assign(total, Scalar(0));
        std::vector<ParamView> views;
        std::size_t offset = 0;
        Rng rng(7);
        for (const auto& s : specs) {
            views.push_back({params.data() + offset, grads.data() + offset, s.rows, s.cols});
            Eigen::Map<Matrix> value(params.data() + offset, s.rows, s.cols);
            initialize(s.initializer, value, rng);
            offset += static_cast<std::size_t>(s.rows * s.cols);
        }
        layer.bind(views);
    }
};

// args: rows, in, out
void dense_forward(benchmark::State& state, const char* activation) {
    const Index n = state.range(0), in = state.range(1), out = state.range(2);
    BoundDense d(in, out, activation);
    d.layer.reserve(n);
    const Matrix x = random_matrix(n, in, 1);
    Matrix y(n, out);
    Rng rng(0);
    for (auto _ : state) {
        d.layer.forward(x, y, true, rng);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.counters["FLOP/s"] = benchmark::Counter(2.0 * double(n * in * out), benchmark::Counter::kIsIterationInvariantRate);
}

// Backward with dL/dx (every layer but the first needs it); args: rows, in, out.
void dense_backward(benchmark::State& state, const char* activation) {
    const Index n = state.range(0), in = state.range(1), out = state.range(2);
    BoundDense d(in, out, activation);
    d.layer.reserve(n);
    const Matrix x = random_matrix(n, in, 1);
    Matrix y(n, out), dx(n, in);
    const Matrix dy0 = random_matrix(n, out, 2);
    Matrix dy = dy0;
    Rng rng(0);
    d.layer.forward(x, y, true, rng);
    for (auto _ : state) {
        dy = dy0;  // backward may overwrite dy
        d.layer.backward(x, y, dy, dx, GradientOf::output);
        benchmark::DoNotOptimize(dx.data());
        benchmark::DoNotOptimize(d.grads.data());
        benchmark::ClobberMemory();
    }
    state.counters["FLOP/s"] = benchmark::Counter(4.0 * double(n * in * out), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK_CAPTURE(dense_forward, Seed_tanh, "tanh")->Args({8, 2, 4})->Args({8, 4, 4});
BENCHMARK_CAPTURE(dense_forward, Seed_softmax, "softmax")->Args({8, 4, 2});
BENCHMARK_CAPTURE(dense_backward, Seed_tanh, "tanh")->Args({8, 2, 4})->Args({8, 4, 4});
BENCHMARK_CAPTURE(dense_backward, Seed_linear, "linear")->Args({8, 4, 2});
BENCHMARK_CAPTURE(dense_forward, M_relu, "relu")->Args({128, 784, 512})->Args({128, 512, 256})->Args({1024, 784, 512})->UseRealTime();
BENCHMARK_CAPTURE(dense_forward, M_softmax, "softmax")->Args({128, 256, 10})->UseRealTime();
BENCHMARK_CAPTURE(dense_backward, M_relu, "relu")->Args({128, 784, 512})->Args({128, 512, 256})->UseRealTime();
BENCHMARK_CAPTURE(dense_backward, M_linear, "linear")->Args({128, 256, 10})->UseRealTime();

// Optimizer steps over a flat buffer; arg: parameter count.
void optimizer_step(benchmark::State& state, const char* name) {
    const auto size = static_cast<std::size_t>(state.range(0));
    auto opt = make_optimizer({.name = name});
    opt->build({{0, size}}, size);
    std::vector<Scalar> w(size, Scalar(0.5)), g(size, Scalar(1e-3));
    for (auto _ : state) {
        opt->step(w, g);
        benchmark::DoNotOptimize(w.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK_CAPTURE(optimizer_step, Sgd, "sgd")->Arg(82)->Arg(535818)->UseRealTime();
BENCHMARK_CAPTURE(optimizer_step, Adam, "adam")->Arg(82)->Arg(535818)->UseRealTime();

// The seed model and data (workload S) for a full training step at batch 8.
Sequential seed_model() {
    Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 4, .activation = "tanh"}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd", .learning_rate = 0.01}, .loss = "categorical_crossentropy", .seed = 1});
    model.build(2, 1);
    return model;
}

void train_step_seed(benchmark::State& state) {
    Sequential model = seed_model();
    Matrix x(8, 2), y = Matrix::Zero(8, 2);
    for (Index i = 0; i < 8; ++i) {
        const double t = 2 * std::numbers::pi * double(i * 60) / 255;
        x(i, 0) = static_cast<Scalar>(t);
        x(i, 1) = static_cast<Scalar>(std::cos(1.2 * t) + (i % 2 ? -0.8 : 0.8));
        y(i, i % 2) = 1;
    }
    for (auto _ : state) benchmark::DoNotOptimize(model.train_on_batch(x, y));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 8);
}
BENCHMARK(train_step_seed);

// Validation of the seed model: evaluate on 103 rows (what fit does after every epoch).
void evaluate_seed_validation(benchmark::State& state) {
    Sequential model = seed_model();
    const Matrix x = random_matrix(103, 2, 3);
    Matrix y = Matrix::Zero(103, 2);
    y.col(1).setOnes();
    for (auto _ : state) benchmark::DoNotOptimize(model.evaluate(x, y));
}
BENCHMARK(evaluate_seed_validation);

Sequential m_model() {
    Sequential model({Dense({.units = 512, .activation = "relu", .input_dim = 784}), Dense({.units = 256, .activation = "relu"}),
                      Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 1e-3}, .loss = "categorical_crossentropy", .seed = 1});
    model.build(784, 1);
    return model;
}

void train_step_m(benchmark::State& state) {
    Sequential model = m_model();
    const Matrix x = random_matrix(128, 784, 4);
    Matrix y = Matrix::Zero(128, 10);
    for (Index i = 0; i < 128; ++i) y(i, i % 10) = 1;
    model.train_on_batch(x, y);  // sizes the workspaces
    for (auto _ : state) benchmark::DoNotOptimize(model.train_on_batch(x, y));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 128);
    state.counters["FLOP/s"] = benchmark::Counter(128 * 3.21e6, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(train_step_m)->UseRealTime();

void predict_m(benchmark::State& state) {
    Sequential model = m_model();
    const Matrix x = random_matrix(1024, 784, 5);
    for (auto _ : state) benchmark::DoNotOptimize(model.predict(x, 1024));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1024);
    state.counters["FLOP/s"] = benchmark::Counter(1024 * 1.07e6, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(predict_m)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
