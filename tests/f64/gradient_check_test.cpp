// Every layer, activation and loss against central finite differences, in double
// precision, through the one shared harness (tests/support/gradient_check.hpp).
#include <gtest/gtest.h>

#include "gradient_check.hpp"
#include "plexus/layers/activation_layer.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/layers/dropout.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {
namespace {

constexpr double kTolerance = 1e-6;
static_assert(sizeof(Scalar) == sizeof(double), "gradient checks run on the double build");

class ActivationGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationGradient, ActivationLayerMatchesFiniteDifferences) {
    Activation layer(GetParam());
    const auto report = testing::check_layer(layer, 4, 5, 11);
    EXPECT_LT(report.max_error(), kTolerance) << GetParam();
}

TEST_P(ActivationGradient, DenseWithFusedActivationMatchesFiniteDifferences) {
    Dense layer({.units = 3, .activation = GetParam()});
    const auto report = testing::check_layer(layer, 4, 6, 12);
    ASSERT_EQ(report.parameter_errors.size(), 2u);
    EXPECT_LT(report.max_error(), kTolerance) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient, ::testing::ValuesIn(activation_names()));

TEST(LayerGradient, DenseWithoutBias) {
    Dense layer({.units = 5, .activation = "tanh", .use_bias = false});
    const auto report = testing::check_layer(layer, 3, 4, 13);
    EXPECT_EQ(report.parameter_errors.size(), 1u);
    EXPECT_LT(report.max_error(), kTolerance);
}

TEST(LayerGradient, DenseWithL1AndL2Regularizers) {
    Dense layer({.units = 3, .activation = "sigmoid", .kernel_l1 = 0.01, .kernel_l2 = 0.02});
    const auto report = testing::check_layer(layer, 4, 5, 14);
    EXPECT_LT(report.max_error(), kTolerance);
    EXPECT_GT(report.regularization_loss, 0.0);
}

TEST(LayerGradient, DropoutInTrainingMode) {
    Dropout layer(0.4);
    const auto report = testing::check_layer(layer, 6, 5, 15, /*training=*/true);
    EXPECT_LT(report.input_error, kTolerance);
}

TEST(LayerGradient, DropoutAtInferenceIsIdentity) {
    Dropout layer(0.4);
    const auto report = testing::check_layer(layer, 6, 5, 16, /*training=*/false);
    EXPECT_LT(report.input_error, kTolerance);
}

Matrix random_matrix(Index rows, Index cols, double lo, double hi, std::uint64_t seed) {
    Rng rng(seed);
    Matrix m(rows, cols);
    for (Index k = 0; k < m.size(); ++k) m.data()[k] = rng.uniform(lo, hi);
    return m;
}

Matrix random_probabilities(Index rows, Index cols, std::uint64_t seed) {
    Matrix m = random_matrix(rows, cols, 0.1, 1.0, seed);
    for (Index i = 0; i < rows; ++i) m.row(i) /= m.row(i).sum();
    return m;
}

Matrix one_hot(Index rows, Index cols) {
    Matrix y = Matrix::Zero(rows, cols);
    for (Index i = 0; i < rows; ++i) y(i, (i * 7 + 1) % cols) = 1;
    return y;
}

TEST(LossGradient, CategoricalCrossentropyOnProbabilities) {
    auto loss = make_loss({.name = "categorical_crossentropy"});
    EXPECT_LT(testing::check_loss(*loss, random_probabilities(5, 3, 1), one_hot(5, 3)), kTolerance);
}

TEST(LossGradient, CategoricalCrossentropyFromLogits) {
    auto loss = make_loss({.name = "categorical_crossentropy", .from_logits = true});
    EXPECT_LT(testing::check_loss(*loss, random_matrix(5, 3, -3, 3, 2), one_hot(5, 3)), kTolerance);
}

TEST(LossGradient, CategoricalCrossentropyFusedWithSoftmax) {
    auto loss = make_loss({.name = "categorical_crossentropy"});
    ASSERT_TRUE(loss->fuses_with("softmax"));
    EXPECT_LT(testing::check_fused_loss(*loss, "softmax", random_matrix(5, 3, -3, 3, 3), one_hot(5, 3)), kTolerance);
}

TEST(LossGradient, SparseCategoricalCrossentropy) {
    auto loss = make_loss({.name = "sparse_categorical_crossentropy"});
    Matrix labels(5, 1);
    labels << 0, 2, 1, 1, 0;
    EXPECT_LT(testing::check_loss(*loss, random_probabilities(5, 3, 4), labels), kTolerance);
    EXPECT_LT(testing::check_fused_loss(*loss, "softmax", random_matrix(5, 3, -3, 3, 5), labels), kTolerance);
    auto logits = make_loss({.name = "sparse_categorical_crossentropy", .from_logits = true});
    EXPECT_LT(testing::check_loss(*logits, random_matrix(5, 3, -3, 3, 6), labels), kTolerance);
}

TEST(LossGradient, BinaryCrossentropy) {
    Matrix y(4, 2);
    y << 0, 1, 1, 1, 0, 0, 1, 0;
    auto loss = make_loss({.name = "binary_crossentropy"});
    EXPECT_LT(testing::check_loss(*loss, random_matrix(4, 2, 0.1, 0.9, 7), y), kTolerance);
    ASSERT_TRUE(loss->fuses_with("sigmoid"));
    EXPECT_LT(testing::check_fused_loss(*loss, "sigmoid", random_matrix(4, 2, -4, 4, 8), y), kTolerance);
    auto logits = make_loss({.name = "binary_crossentropy", .from_logits = true});
    EXPECT_LT(testing::check_loss(*logits, random_matrix(4, 2, -4, 4, 9), y), kTolerance);
}

TEST(LossGradient, RegressionLosses) {
    const Matrix y = random_matrix(5, 2, -1, 1, 10);
    Matrix pred = random_matrix(5, 2, -3, 3, 11);
    for (const auto* name : {"mse", "mae", "huber"}) {
        auto loss = make_loss({.name = name});
        EXPECT_LT(testing::check_loss(*loss, pred, y), kTolerance) << name;
    }
}

TEST(LossGradient, SampleWeightsScaleTheGradient) {
    auto loss = make_loss({.name = "mse"});
    const std::vector<Scalar> w = {0.5, 2.0, 1.0, 0.0, 3.0};
    EXPECT_LT(testing::check_loss(*loss, random_matrix(5, 2, -2, 2, 12), random_matrix(5, 2, -1, 1, 13), w), kTolerance);
}

TEST(LossGradient, FusedValueEqualsValueOnProbabilities) {
    auto loss = make_loss({.name = "categorical_crossentropy"});
    const Matrix z = random_matrix(4, 3, -2, 2, 14), y = one_hot(4, 3);
    Matrix p(4, 3), unused(0, 0);
    make_activation("softmax")->forward(z, p);
    EXPECT_NEAR(loss->fused(z, p, y, nullptr, unused), loss->value(p, y, nullptr), 1e-12);
}

// The fused form reads the log-sum-exp off the softmax outputs; it must agree with the
// logits-only computation (from_logits) even where probabilities underflow.
TEST(LossGradient, FusedFormMatchesFromLogitsForExtremeLogits) {
    Matrix z(3, 3);
    z << 80, -80, 0, -700, 0, 700, 1e-3, 2e-3, -1e-3;
    Matrix p(3, 3);
    make_activation("softmax")->forward(z, p);
    const Matrix one_hot_y = one_hot(3, 3);
    Matrix labels(3, 1);
    for (Index i = 0; i < 3; ++i) {
        Index c = 0;
        one_hot_y.row(i).maxCoeff(&c);
        labels(i, 0) = static_cast<Scalar>(c);
    }
    for (const char* name : {"categorical_crossentropy", "sparse_categorical_crossentropy"}) {
        const Matrix& y = std::string(name) == "categorical_crossentropy" ? one_hot_y : labels;
        auto fused = make_loss({.name = name});
        auto logits = make_loss({.name = name, .from_logits = true});
        Matrix g_fused(3, 3), g_logits(3, 3);
        const double v_fused = fused->fused(z, p, y, nullptr, g_fused);
        const double v_logits = logits->gradient(z, y, nullptr, g_logits);
        EXPECT_TRUE(std::isfinite(v_fused)) << name;
        EXPECT_NEAR(v_fused, v_logits, 1e-9 * std::max(1.0, std::abs(v_logits))) << name;
        EXPECT_LT((g_fused - g_logits).cwiseAbs().maxCoeff(), 1e-12) << name;
    }
}

// The whole network: compute_gradients against finite differences over every parameter.
void check_model(Sequential& model, const Matrix& x, const Matrix& y) {
    model.build(x.cols(), 3);
    const double analytic_loss = model.compute_gradients(x, y);
    std::vector<Scalar> analytic(model.gradients().begin(), model.gradients().end());
    auto params = model.parameters();
    Matrix numeric(1, static_cast<Index>(params.size())), exact(1, static_cast<Index>(params.size()));
    for (std::size_t k = 0; k < params.size(); ++k) {
        const Scalar saved = params[k];
        params[k] = saved + 1e-6;
        const double plus = model.evaluate(x, y)["loss"];
        params[k] = saved - 1e-6;
        const double minus = model.evaluate(x, y)["loss"];
        params[k] = saved;
        numeric(0, static_cast<Index>(k)) = (plus - minus) / 2e-6;
        exact(0, static_cast<Index>(k)) = analytic[k];
    }
    EXPECT_NEAR(analytic_loss, model.evaluate(x, y)["loss"], 1e-12);
    EXPECT_LT(testing::relative_error(exact, numeric), kTolerance);
}

TEST(ModelGradient, SeedModelWithActivationLayersAndSoftmax) {
    Sequential model({Dense({.units = 4, .input_dim = 2}), Activation("tanh"), Dense({.units = 4}), Activation("tanh"),
                      Dense({.units = 2}), Activation("softmax")});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy"});
    check_model(model, random_matrix(7, 2, -2, 2, 20), one_hot(7, 2));
}

TEST(ModelGradient, FusedDenseSoftmaxWithRegularizer) {
    Sequential model({Dense({.units = 5, .activation = "relu", .kernel_l2 = 0.01, .input_dim = 3}),
                      Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
    check_model(model, random_matrix(6, 3, -2, 2, 21), one_hot(6, 3));
}

TEST(ModelGradient, SigmoidBinaryCrossentropy) {
    Sequential model({Dense({.units = 4, .activation = "gelu", .input_dim = 3}), Dense({.units = 1, .activation = "sigmoid"})});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "binary_crossentropy"});
    Matrix y(5, 1);
    y << 0, 1, 1, 0, 1;
    check_model(model, random_matrix(5, 3, -2, 2, 22), y);
}

}  // namespace
}  // namespace plexus
