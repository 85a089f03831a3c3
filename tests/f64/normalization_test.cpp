// BatchNormalization, LayerNormalization and GaussianNoise in double precision:
// finite-difference gradients through the shared harness, and BatchNormalization
// against PyTorch's BatchNorm1d (tests/golden/batchnorm_golden.json, made by
// tests/golden/make_batchnorm_golden.py, which also documents the Keras/torch
// momentum and variance conventions).
#include <gtest/gtest.h>

#include <fstream>

#include "gradient_check.hpp"
#include "plexus/layers/batch_normalization.hpp"
#include "plexus/layers/gaussian_noise.hpp"
#include "plexus/layers/layer_normalization.hpp"

namespace plexus {
namespace {

constexpr double kTolerance = 1e-6;

TEST(NormalizationGradient, BatchNormalizationInTrainingMode) {
    BatchNormalization layer;
    const auto report = testing::check_layer(layer, 4, 7, 21, /*training=*/true);
    ASSERT_EQ(report.parameter_errors.size(), 4u);  // gamma, beta, moving_mean, moving_variance
    EXPECT_LT(report.max_error(), kTolerance);
}

TEST(NormalizationGradient, BatchNormalizationWithoutScaleOrCenter) {
    BatchNormalization layer({.center = false, .scale = false});
    const auto report = testing::check_layer(layer, 3, 6, 22, /*training=*/true);
    ASSERT_EQ(report.parameter_errors.size(), 2u);
    EXPECT_LT(report.max_error(), kTolerance);
}

TEST(NormalizationGradient, LayerNormalization) {
    LayerNormalization layer;
    const auto report = testing::check_layer(layer, 5, 4, 23);
    ASSERT_EQ(report.parameter_errors.size(), 2u);
    EXPECT_LT(report.max_error(), kTolerance);
}

TEST(NormalizationGradient, GaussianNoiseInBothModes) {
    GaussianNoise layer(0.3);
    EXPECT_LT(testing::check_layer(layer, 4, 5, 24, /*training=*/true).max_error(), kTolerance);
    EXPECT_LT(testing::check_layer(layer, 4, 5, 25, /*training=*/false).max_error(), kTolerance);
}

TEST(GaussianNoise, AddsNoiseOfTheGivenScaleOnlyInTraining) {
    GaussianNoise layer(0.5);
    Matrix x = Matrix::Zero(2000, 3), y(2000, 3);
    Rng rng(3);
    layer.forward(x, y, /*training=*/false, rng);
    EXPECT_EQ(y.cwiseAbs().maxCoeff(), 0.0);
    layer.forward(x, y, /*training=*/true, rng);
    const double stddev = std::sqrt(y.array().square().mean());
    EXPECT_NEAR(stddev, 0.5, 0.02);
}

Matrix to_matrix(const nlohmann::json& j) {
    if (!j.empty() && !j[0].is_array()) {
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
    EXPECT_LE((got - want).cwiseAbs().maxCoeff(), 1e-6) << what << "\n" << got << "\nvs\n" << want;
}

class BatchNormTorch : public ::testing::TestWithParam<std::size_t> {};

TEST_P(BatchNormTorch, TrainAndEvalModeAndMovingStatisticsAfterThreeSteps) {
    std::ifstream in(std::string(PLEXUS_TEST_DATA_DIR) + "/golden/batchnorm_golden.json");
    ASSERT_TRUE(in) << "missing tests/golden/batchnorm_golden.json";
    const auto c = nlohmann::json::parse(in)["cases"][GetParam()];
    BatchNormalization layer({.momentum = c["momentum"].get<double>(), .epsilon = c["epsilon"].get<double>()});
    const Index d = static_cast<Index>(c["gamma"].size());
    const auto specs = layer.param_specs(d);
    ASSERT_EQ(specs.size(), 4u);
    EXPECT_FALSE(specs[2].trainable);
    EXPECT_FALSE(specs[3].trainable);
    std::vector<Matrix> values = {to_matrix(c["gamma"]), to_matrix(c["beta"]), Matrix::Zero(1, d), Matrix::Ones(1, d)};
    std::vector<Matrix> grads(4, Matrix::Zero(1, d));
    std::vector<ParamView> views;
    for (std::size_t k = 0; k < 4; ++k) views.push_back({values[k].data(), grads[k].data(), 1, d});
    layer.bind(views);
    Rng rng(0);
    for (const auto& step : c["batches"]) {
        const Matrix x = to_matrix(step["x"]);
        Matrix y(x.rows(), d), dy = to_matrix(step["upstream"]), dx(x.rows(), d);
        layer.reserve(x.rows());
        layer.forward(x, y, /*training=*/true, rng);
        layer.backward(x, y, dy, dx, GradientOf::output);
        expect_close(y, to_matrix(step["output"]), "train output");
        expect_close(dx, to_matrix(step["grad_input"]), "grad input");
        expect_close(grads[0], to_matrix(step["grad_gamma"]), "grad gamma");
        expect_close(grads[1], to_matrix(step["grad_beta"]), "grad beta");
    }
    expect_close(values[2], to_matrix(c["moving_mean"]), "moving mean");
    expect_close(values[3], to_matrix(c["moving_variance"]), "moving variance (Keras convention)");
    const Matrix x = to_matrix(c["eval_x"]);
    // torch's eval uses its (unbiased) running_var: feed it in to compare eval mode itself.
    const Matrix torch_running_var = to_matrix(c["torch_running_var"]);
    values[3] = torch_running_var;  // a copy into the bound storage (a move would swap the buffer away)
    Matrix y(x.rows(), d);
    layer.forward(x, y, /*training=*/false, rng);
    expect_close(y, to_matrix(c["eval_output"]), "eval output");
}

INSTANTIATE_TEST_SUITE_P(Golden, BatchNormTorch, ::testing::Values(0u, 1u));

}  // namespace
}  // namespace plexus
