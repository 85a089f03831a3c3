// Plexus against PyTorch (float64) on fixed weights: forward outputs, losses,
// every gradient, and three steps of each optimizer. The fixture
// tests/golden/torch_golden.json was produced by tests/golden/make_torch_golden.py
// with Debian's python3-torch; this test needs no Python.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {
namespace {

constexpr double kRelative = 1e-5;  // the bound; double precision actually agrees to ~1e-12

const nlohmann::json& golden() {
    static const nlohmann::json j = [] {
        std::ifstream in(std::string(PLEXUS_TEST_DATA_DIR) + "/golden/torch_golden.json");
        return nlohmann::json::parse(in);
    }();
    return j;
}

Matrix to_matrix(const nlohmann::json& j) {
    if (!j.empty() && !j[0].is_array()) {  // a vector -> one row
        Matrix m(1, static_cast<Index>(j.size()));
        for (std::size_t k = 0; k < j.size(); ++k) m(0, static_cast<Index>(k)) = j[k].get<double>();
        return m;
    }
    Matrix m(static_cast<Index>(j.size()), static_cast<Index>(j[0].size()));
    for (Index i = 0; i < m.rows(); ++i)
        for (Index k = 0; k < m.cols(); ++k) m(i, k) = j[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)].get<double>();
    return m;
}

void expect_close(const Matrix& got, const Matrix& want, const std::string& what) {
    ASSERT_EQ(got.rows(), want.rows()) << what;
    ASSERT_EQ(got.cols(), want.cols()) << what;
    for (Index i = 0; i < got.rows(); ++i)
        for (Index k = 0; k < got.cols(); ++k)
            EXPECT_LE(std::abs(got(i, k) - want(i, k)), kRelative * std::max(1.0, std::abs(want(i, k))))
                << what << " at (" << i << ", " << k << "): " << got(i, k) << " vs " << want(i, k);
}

Sequential model_for(const nlohmann::json& c, const OptimizerOptions& optimizer) {
    Sequential model;
    for (const auto& layer : c["layers"])
        model.add(Dense({.units = layer["units"].get<Index>(), .activation = layer["activation"].get<std::string>()}));
    model.compile({.optimizer = optimizer, .loss = c["loss"].get<std::string>()});
    model.build(c["input_dim"].get<Index>());
    for (std::size_t l = 0; l < c["weights"].size(); ++l)
        model.set_weights(l, {to_matrix(c["weights"][l]["kernel"]), to_matrix(c["weights"][l]["bias"])});
    return model;
}

class TorchCase : public ::testing::TestWithParam<std::size_t> {};

TEST_P(TorchCase, ForwardLossAndGradients) {
    const auto& c = golden()["cases"][GetParam()];
    Sequential model = model_for(c, {.name = "sgd"});
    const Matrix x = to_matrix(c["x"]), y = to_matrix(c["y"]);
    expect_close(model.predict(x), to_matrix(c["output"]), c["name"].get<std::string>() + " output");
    const double loss = model.compute_gradients(x, y);
    EXPECT_NEAR(loss, c["loss_value"].get<double>(), kRelative * std::abs(c["loss_value"].get<double>()));
    EXPECT_NEAR(model.evaluate(x, y)["loss"], c["loss_value"].get<double>(), kRelative * std::abs(c["loss_value"].get<double>()));
    // Gradients: the flat buffer is laid out layer by layer, kernel then bias.
    std::size_t offset = 0;
    const auto grads = model.gradients();
    for (std::size_t l = 0; l < c["grads"].size(); ++l)
        for (const char* part : {"kernel", "bias"}) {
            const Matrix want = to_matrix(c["grads"][l][part]);
            const Matrix got = Eigen::Map<const Matrix>(grads.data() + offset, want.rows(), want.cols());
            expect_close(got, want, c["name"].get<std::string>() + " grad layer " + std::to_string(l) + " " + part);
            offset += static_cast<std::size_t>(want.size());
        }
    EXPECT_EQ(offset, grads.size());
}

TEST_P(TorchCase, ThreeOptimizerStepsEach) {
    const auto& c = golden()["cases"][GetParam()];
    const Matrix x = to_matrix(c["x"]), y = to_matrix(c["y"]);
    for (const auto& [name, run] : c["optimizers"].items()) {
        const auto& cfg = run["config"];
        OptimizerOptions options = optimizer_options_from_json(cfg);
        options.name = name.rfind("sgd", 0) == 0 ? "sgd" : name;
        Sequential model = model_for(c, options);
        for (std::size_t step = 0; step < run["steps"].size(); ++step) {
            const auto& expected = run["steps"][step];
            const double loss = model.train_on_batch(x, y);
            EXPECT_NEAR(loss, expected["loss"].get<double>(), kRelative * std::abs(expected["loss"].get<double>()))
                << name << " step " << step;
            for (std::size_t l = 0; l < expected["weights"].size(); ++l) {
                const auto w = model.get_weights(l);
                expect_close(w[0], to_matrix(expected["weights"][l]["kernel"]), name + " step " + std::to_string(step) + " kernel");
                expect_close(w[1], to_matrix(expected["weights"][l]["bias"]), name + " step " + std::to_string(step) + " bias");
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Golden, TorchCase, ::testing::Range<std::size_t>(0, 4));

TEST(TorchLosses, ValuesAndGradients) {
    for (const auto& c : golden()["losses"]) {
        const std::string name = c["name"];
        auto loss = make_loss({.name = name, .from_logits = c["from_logits"].get<bool>(), .delta = c.value("delta", 1.0)});
        Matrix y_true = to_matrix(c["y_true"]);
        if (name == "sparse_categorical_crossentropy") y_true.transposeInPlace();  // labels [n] -> (n, 1)
        const Matrix y_pred = to_matrix(c["y_pred"]);
        Matrix grad(y_pred.rows(), y_pred.cols());
        const double value = loss->gradient(y_pred, y_true, nullptr, grad);
        EXPECT_NEAR(value, c["value"].get<double>(), kRelative * std::abs(c["value"].get<double>())) << name;
        expect_close(grad, to_matrix(c["grad"]), name + (c["from_logits"].get<bool>() ? " (logits)" : "") + " grad");
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
