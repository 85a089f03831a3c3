// The layer conformance test: every registered layer type (layers/registry.cpp)
// passes the same checks, so adding a layer is one file pair, one registry line
// and one line in kExamples below. A registered type without an example fails.
//
// Per example: the registry builds it from its config; output width and parameter
// count are the example's; the parameters are exactly param_specs' (order, shapes);
// config() round-trips through layer_from_config; inference is deterministic (the
// rng is not used, and a rebuilt layer with the same parameters agrees); the
// traits (has_kernel, is_activation_only, is_identity_at_inference) tell the truth;
// and, in the double build, backward matches central finite differences in
// inference and training mode (tests/support/gradient_check.hpp).
//
// This file is compiled into plexus_tests (float) and plexus_tests_f64 (double,
// PLEXUS_TEST_F64, which adds the gradient check).
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/rng.hpp"
#include "plexus/layers/layer.hpp"

#ifdef PLEXUS_TEST_F64
#include "gradient_check.hpp"
#define PLEXUS_CONFORMANCE_PREFIX F64
#else
#define PLEXUS_CONFORMANCE_PREFIX Registry
#endif

namespace plexus {
namespace {

struct Example {
    const char* config;  // a layer config, as JSON
    Index input_dim;     // the input width it is checked on
    Index output_dim;    // the output width it must report
    Index params;        // the number of parameters it must ask for
};

// One line per example; every registered layer type needs at least one.
const std::vector<Example> kExamples = {
    {R"({"type": "Dense", "units": 3, "activation": "tanh"})", 4, 3, 4 * 3 + 3},
    {R"({"type": "Dense", "units": 5, "activation": "linear", "use_bias": false, "kernel_regularizer": {"l1": 0.01, "l2": 0.02}})", 3, 5, 3 * 5},
    {R"({"type": "Dense", "units": 4, "activation": "softmax"})", 2, 4, 2 * 4 + 4},
    {R"({"type": "Activation", "activation": "sigmoid"})", 4, 4, 0},
    {R"({"type": "Dropout", "rate": 0.3})", 6, 6, 0},
    {R"({"type": "BatchNormalization"})", 4, 4, 4 * 4},
    {R"({"type": "BatchNormalization", "center": false, "momentum": 0.9})", 3, 3, 3 * 3},
    {R"({"type": "LayerNormalization"})", 5, 5, 2 * 5},
    {R"({"type": "GaussianNoise", "stddev": 0.1})", 3, 3, 0},
};

nlohmann::json config_of(const Example& e) { return nlohmann::json::parse(e.config); }
std::string type_of(const Example& e) { return config_of(e)["type"].get<std::string>(); }

// How gtest names an example in test listings (short, and the same in every build).
void PrintTo(const Example& e, std::ostream* os) { *os << type_of(e) << " on width " << e.input_dim; }

// A layer with parameters of its own, bound and reserved for `rows` rows.
struct BoundLayer {
    std::unique_ptr<Layer> layer;
    std::vector<Matrix> values, grads;

    BoundLayer(const nlohmann::json& config, Index input_dim, Index rows, std::uint64_t seed)
        : layer(layer_from_config(config)) {
        Rng rng(seed);
        std::vector<ParamView> views;
        for (const auto& s : layer->param_specs(input_dim)) {
            values.emplace_back(s.rows, s.cols);
            grads.push_back(Matrix::Zero(s.rows, s.cols));
            // State a layer keeps for itself (moving statistics) stays positive, as variances must.
            const double lo = s.trainable ? -1.0 : 0.5, hi = s.trainable ? 1.0 : 1.5;
            for (Index k = 0; k < values.back().size(); ++k) values.back().data()[k] = static_cast<Scalar>(rng.uniform(lo, hi));
        }
        for (std::size_t k = 0; k < values.size(); ++k)
            views.push_back({values[k].data(), grads[k].data(), values[k].rows(), values[k].cols()});
        layer->bind(views);
        layer->reserve(rows);
    }

    Matrix forward(const Matrix& x, Index output_dim, bool training, std::uint64_t rng_seed) {
        Matrix y(x.rows(), output_dim);
        Rng rng(rng_seed);
        layer->forward(x, y, training, rng);
        return y;
    }
};

Matrix random_input(Index rows, Index cols, std::uint64_t seed) {
    Rng rng(seed);
    Matrix x(rows, cols);
    for (Index k = 0; k < x.size(); ++k) x.data()[k] = static_cast<Scalar>(rng.uniform(-2, 2));
    return x;
}

#ifndef PLEXUS_TEST_F64  // once is enough
TEST(LayerConformance, EveryRegisteredTypeHasAnExample) {
    for (const auto& type : layer_types()) {
        const bool covered = std::any_of(kExamples.begin(), kExamples.end(), [&](const Example& e) { return type_of(e) == type; });
        EXPECT_TRUE(covered) << "layer type '" << type << "' is registered but has no line in kExamples "
                             << "(tests/unit/layer_conformance_test.cpp)";
    }
}
#endif

class Conformance : public ::testing::TestWithParam<Example> {};

TEST_P(Conformance, RegistryBuildsTheTypeWithTheDeclaredShapes) {
    const Example& e = GetParam();
    const auto layer = layer_from_config(config_of(e));
    EXPECT_EQ(layer->type(), type_of(e));
    EXPECT_EQ(layer->output_dim(e.input_dim), e.output_dim);
    Index count = 0;
    for (const auto& s : layer->param_specs(e.input_dim)) {
        EXPECT_GT(s.rows, 0) << s.name;
        EXPECT_GT(s.cols, 0) << s.name;
        count += s.rows * s.cols;
    }
    EXPECT_EQ(count, e.params);
}

TEST_P(Conformance, ForwardWritesEveryOutputFinite) {
    const Example& e = GetParam();
    BoundLayer b(config_of(e), e.input_dim, 7, 1);
    for (bool training : {false, true}) {
        Matrix y = Matrix::Constant(7, e.output_dim, std::numeric_limits<Scalar>::quiet_NaN());
        Rng rng(2);
        b.layer->forward(random_input(7, e.input_dim, 3), y, training, rng);
        EXPECT_TRUE(y.allFinite()) << "training=" << training;
    }
}

TEST_P(Conformance, ConfigRoundTripsThroughTheRegistry) {
    const Example& e = GetParam();
    const auto layer = layer_from_config(config_of(e));
    const nlohmann::json config = layer->config();
    EXPECT_EQ(config.value("type", std::string()), layer->type());
    const auto rebuilt = layer_from_config(config);
    EXPECT_EQ(rebuilt->config(), config);
    EXPECT_EQ(rebuilt->output_dim(e.input_dim), layer->output_dim(e.input_dim));
}

TEST_P(Conformance, InferenceIsDeterministic) {
    const Example& e = GetParam();
    const Matrix x = random_input(9, e.input_dim, 4);
    BoundLayer a(config_of(e), e.input_dim, 9, 5);
    const Matrix first = a.forward(x, e.output_dim, false, 6);
    // The rng must not matter at inference, and repeating gives the same bits.
    EXPECT_TRUE(a.forward(x, e.output_dim, false, 7) == first);
    // A layer rebuilt from the config, with the same parameters, computes the same.
    BoundLayer b(a.layer->config(), e.input_dim, 9, 5);
    EXPECT_TRUE(b.forward(x, e.output_dim, false, 8) == first);
    // Fewer rows than reserved: the same rows give the same outputs.
    const Matrix top = a.forward(x.topRows(3), e.output_dim, false, 6);
    EXPECT_TRUE(top == first.topRows(3));
}

TEST_P(Conformance, TraitsTellTheTruth) {
    const Example& e = GetParam();
    BoundLayer b(config_of(e), e.input_dim, 5, 9);
    const Layer& layer = *b.layer;
    const auto specs = layer.param_specs(e.input_dim);
    const bool kernel_spec = std::any_of(specs.begin(), specs.end(), [](const ParamSpec& s) { return s.name == "kernel"; });
    EXPECT_EQ(layer.has_kernel(), kernel_spec);
    if (layer.is_activation_only()) {
        EXPECT_NE(layer.output_activation(), nullptr);
        EXPECT_TRUE(specs.empty());
        EXPECT_EQ(e.output_dim, e.input_dim);
    }
    const Matrix x = random_input(5, e.input_dim, 10);
    if (layer.is_identity_at_inference()) {
        EXPECT_EQ(e.output_dim, e.input_dim);
        EXPECT_TRUE(b.forward(x, e.output_dim, false, 11) == x);
    }
}

#ifdef PLEXUS_TEST_F64
TEST_P(Conformance, BackwardMatchesFiniteDifferences) {
    const Example& e = GetParam();
    for (bool training : {false, true}) {
        const auto layer = layer_from_config(config_of(e));
        const auto report = testing::check_layer(*layer, e.input_dim, 6, 12, training);
        EXPECT_EQ(report.parameter_errors.size(), layer->param_specs(e.input_dim).size());
        EXPECT_LT(report.max_error(), 1e-6) << e.config << " training=" << training;
    }
}
#endif

std::string example_name(const ::testing::TestParamInfo<Example>& info) {
    return type_of(info.param) + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(PLEXUS_CONFORMANCE_PREFIX, Conformance, ::testing::ValuesIn(kExamples), example_name);

}  // namespace
}  // namespace plexus
