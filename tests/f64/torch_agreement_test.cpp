// Plexus against PyTorch (float64) on fixed weights: forward outputs, losses,
// every gradient, and steps of every optimizer option (plain, momentum, Nesterov,
// each clipping mode, each schedule); every loss option and activation; and large
// layers that take Dense's GEMM path, with 1 and 3 threads. The fixture
// tests/golden/torch_golden.json was produced by tests/golden/make_torch_golden.py
// with Debian's python3-torch; this test needs no Python.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "plexus/core/parallel.hpp"

namespace plexus {
namespace {

using testing::golden;
using testing::to_matrix;

static_assert(sizeof(Scalar) == sizeof(double), "the agreement test runs on the double build");

// Per element: |got - want| <= 1e-10 |want| (+ 1e-15 for values that are exactly 0 or
// cancel to round-off). Double precision agrees to ~1e-13; a formula that differs from
// the reference in any term (a clip without its threshold, a schedule off by one step,
// epsilon outside the square root) is off by far more.
constexpr double kRelative = 1e-10;
constexpr double kFloor = 1e-15;

// The fixture's size, so that a truncated or regenerated-with-less file fails here.
constexpr std::size_t kCases = 8, kLargeCases = 2, kLosses = 10, kActivations = 11, kOptimizerRuns = 17;

void expect_near(double got, double want, const std::string& what) {
    EXPECT_LE(std::abs(got - want), kRelative * std::abs(want) + kFloor) << what << ": " << got << " vs " << want;
}

void expect_close(const Matrix& got, const Matrix& want, const std::string& what) {
    ASSERT_EQ(got.rows(), want.rows()) << what;
    ASSERT_EQ(got.cols(), want.cols()) << what;
    for (Index i = 0; i < got.rows(); ++i)
        for (Index k = 0; k < got.cols(); ++k)
            expect_near(got(i, k), want(i, k), what + " at (" + std::to_string(i) + ", " + std::to_string(k) + ")");
}

Sequential model_for(const nlohmann::json& c, const OptimizerOptions& optimizer) {
    Sequential model;
    for (const auto& layer : c["layers"])
        model.add(Dense({.units = layer["units"].get<Index>(), .activation = layer["activation"].get<std::string>()}));
    model.compile({.optimizer = optimizer,
                   .loss = c["loss"].get<std::string>(),
                   .from_logits = c.value("from_logits", false),
                   .huber_delta = c.value("huber_delta", 1.0)});
    model.build(c["input_dim"].get<Index>());
    for (std::size_t l = 0; l < c["weights"].size(); ++l)
        model.set_weights(l, {to_matrix(c["weights"][l]["kernel"]), to_matrix(c["weights"][l]["bias"])});
    return model;
}

TEST(TorchGolden, FixtureHoldsEveryCase) {
    const auto& g = golden();
    EXPECT_EQ(g["format_version"].get<int>(), 2);
    EXPECT_EQ(g["cases"].size(), kCases);
    EXPECT_EQ(g["large_cases"].size(), kLargeCases);
    EXPECT_EQ(g["losses"].size(), kLosses);
    EXPECT_EQ(g["activations"].size(), kActivations);
    for (const auto& c : g["cases"]) EXPECT_EQ(c["optimizers"].size(), kOptimizerRuns) << c["name"];
}

class TorchCase : public ::testing::TestWithParam<std::size_t> {};

TEST_P(TorchCase, ForwardLossAndGradients) {
    const auto& c = golden()["cases"][GetParam()];
    const std::string name = c["name"];
    Sequential model = model_for(c, {.name = "sgd"});
    const Matrix x = to_matrix(c["x"]), y = to_matrix(c["y"]);
    expect_close(model.predict(x), to_matrix(c["output"]), name + " output");
    const double want = c["loss_value"].get<double>();
    expect_near(model.compute_gradients(x, y), want, name + " loss");
    expect_near(model.evaluate(x, y)["loss"], want, name + " evaluate loss");
    // Gradients: the flat buffer is laid out layer by layer, kernel then bias.
    std::size_t offset = 0;
    const auto grads = model.gradients();
    for (std::size_t l = 0; l < c["grads"].size(); ++l)
        for (const char* part : {"kernel", "bias"}) {
            const Matrix expected = to_matrix(c["grads"][l][part]);
            const Matrix got = Eigen::Map<const Matrix>(grads.data() + offset, expected.rows(), expected.cols());
            expect_close(got, expected, name + " grad layer " + std::to_string(l) + " " + part);
            offset += static_cast<std::size_t>(expected.size());
        }
    EXPECT_EQ(offset, grads.size());
}

TEST_P(TorchCase, OptimizerSteps) {
    const auto& c = golden()["cases"][GetParam()];
    const Matrix x = to_matrix(c["x"]), y = to_matrix(c["y"]);
    for (const auto& [name, run] : c["optimizers"].items()) {
        Sequential model = model_for(c, optimizer_options_from_json(run["config"]));
        const std::string what = c["name"].get<std::string>() + " " + name;
        for (std::size_t step = 0; step < run["steps"].size(); ++step) {
            const auto& expected = run["steps"][step];
            const std::string at = what + " step " + std::to_string(step);
            expect_near(model.train_on_batch(x, y), expected["loss"].get<double>(), at + " loss");
            for (std::size_t l = 0; l < expected["weights"].size(); ++l) {
                const auto w = model.get_weights(l);
                expect_close(w[0], to_matrix(expected["weights"][l]["kernel"]), at + " kernel " + std::to_string(l));
                expect_close(w[1], to_matrix(expected["weights"][l]["bias"]), at + " bias " + std::to_string(l));
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Golden, TorchCase, ::testing::Range<std::size_t>(0, kCases));

// Large layers (Dense's GEMM path, cut into chunks with 3 threads): inputs and weights
// rebuilt from the case's seed; sampled elements and whole-tensor norms compared.
class TorchLargeCase : public ::testing::TestWithParam<std::tuple<std::size_t, int>> {};

void compare_weights(Sequential& model, const nlohmann::json& want, const std::string& what) {
    for (std::size_t l = 0; l < want.size(); ++l) {
        const auto w = model.get_weights(l);
        testing::compare_sample(w[0].data(), static_cast<std::size_t>(w[0].size()), want[l]["kernel"],
                                what + " kernel " + std::to_string(l), expect_near);
        testing::compare_sample(w[1].data(), static_cast<std::size_t>(w[1].size()), want[l]["bias"],
                                what + " bias " + std::to_string(l), expect_near);
    }
}

TEST_P(TorchLargeCase, ForwardBackwardAndOptimizerSteps) {
    const auto& [index, threads] = GetParam();
    set_num_threads(threads);
    const auto& c = golden()["large_cases"][index];
    const std::string name = c["name"].get<std::string>() + " (" + std::to_string(threads) + " threads)";
    const testing::LargeCase data(c);
    const Matrix x = data.x, y = data.y;
    testing::compare_sample(x.data(), static_cast<std::size_t>(x.size()), c["x_sample"], name + " x", expect_near);

    Sequential model = data.model({.name = "sgd"}, c);
    compare_weights(model, c["weights"], name + " initial");
    const Matrix out = model.predict(x);
    testing::compare_sample(out.data(), static_cast<std::size_t>(out.size()), c["output"], name + " output", expect_near);
    expect_near(model.compute_gradients(x, y), c["loss_value"].get<double>(), name + " loss");
    const auto grads = model.gradients();
    std::size_t offset = 0;
    for (std::size_t l = 0; l < c["grads"].size(); ++l)
        for (const char* part : {"kernel", "bias"}) {
            const auto n = static_cast<std::size_t>(model.get_weights(l)[part == std::string("kernel") ? 0 : 1].size());
            testing::compare_sample(grads.data() + offset, n, c["grads"][l][part],
                                    name + " grad " + part + " " + std::to_string(l), expect_near);
            offset += n;
        }
    EXPECT_EQ(offset, grads.size());

    for (const auto& [opt, run] : c["optimizers"].items()) {
        Sequential m = data.model(optimizer_options_from_json(run["config"]), c);
        for (std::size_t step = 0; step < run["steps"].size(); ++step) {
            const std::string at = name + " " + opt + " step " + std::to_string(step);
            expect_near(m.train_on_batch(x, y), run["steps"][step]["loss"].get<double>(), at + " loss");
            compare_weights(m, run["steps"][step]["weights"], at);
        }
    }
    set_num_threads(0);
}

INSTANTIATE_TEST_SUITE_P(Golden, TorchLargeCase,
                         ::testing::Combine(::testing::Range<std::size_t>(0, kLargeCases), ::testing::Values(1, 3)));

TEST(TorchLosses, ValuesAndGradients) {
    for (const auto& c : golden()["losses"]) {
        const std::string name = c["name"];
        const bool logits = c["from_logits"].get<bool>();
        auto loss = make_loss({.name = name, .from_logits = logits, .delta = c.value("delta", 1.0)});
        Matrix y_true = to_matrix(c["y_true"]);
        if (name == "sparse_categorical_crossentropy") y_true.transposeInPlace();  // labels [n] -> (n, 1)
        const Matrix y_pred = to_matrix(c["y_pred"]);
        Matrix grad(y_pred.rows(), y_pred.cols());
        const std::string what = name + (logits ? " (logits)" : "") + " delta " + std::to_string(c.value("delta", 1.0));
        expect_near(loss->gradient(y_pred, y_true, nullptr, grad), c["value"].get<double>(), what + " value");
        expect_close(grad, to_matrix(c["grad"]), what + " grad");
    }
}

TEST(TorchActivations, OutputsAndInputGradients) {
    for (const auto& c : golden()["activations"]) {
        const auto act = make_activation(c["name"].get<std::string>());
        const Matrix x = to_matrix(c["input"]), upstream = to_matrix(c["upstream"]);
        Matrix a(x.rows(), x.cols()), dz(x.rows(), x.cols());
        act->forward(x, a);
        expect_close(a, to_matrix(c["output"]), act->name() + " output");
        act->backward(x, a, upstream, dz);
        expect_close(dz, to_matrix(c["grad_input"]), act->name() + " grad");
    }
}

}  // namespace
}  // namespace plexus
