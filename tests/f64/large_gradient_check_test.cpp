// Finite-difference checks of Dense's GEMM path (layers with in·units > 256 and
// rows·in·units > 8192, src/plexus/layers/dense.cpp): single layers through the
// shared harness, and a 40-300-300-10 network at batch 64 on sampled parameters.
#include <gtest/gtest.h>

#include "gradient_check.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

constexpr double kTolerance = 1e-6;

TEST(LargeLayerGradient, OddShapeDenseOnTheGemmPath) {
    for (int threads : {1, 3}) {
        set_num_threads(threads);
        Dense layer({.units = 129, .activation = "tanh"});
        const auto report = testing::check_layer(layer, 37, 9, 31);  // 9·37·129 > 8192
        ASSERT_EQ(report.parameter_errors.size(), 2u);
        EXPECT_LT(report.max_error(), kTolerance) << threads << " threads";
    }
    set_num_threads(0);
}

TEST(LargeLayerGradient, WideDenseOnTheGemmPath) {
    Dense layer({.units = 300, .activation = "softplus"});
    const auto report = testing::check_layer(layer, 40, 3, 32);
    EXPECT_LT(report.max_error(), kTolerance);
}

// d loss / d parameter for 40 parameters of every tensor of the network.
TEST(LargeModelGradient, SampledParametersOfA40x300x300x10Network) {
    set_num_threads(3);
    Sequential model({Dense({.units = 300, .activation = "tanh", .input_dim = 40}), Dense({.units = 300, .activation = "elu"}),
                      Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy"});
    model.build(40, 4);
    Rng rng(41);
    Matrix x(64, 40), y = Matrix::Zero(64, 10);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform(-1.0, 1.0);
    for (Index i = 0; i < 64; ++i) y(i, (i * 3) % 10) = 1;
    model.compute_gradients(x, y);
    const std::vector<Scalar> analytic(model.gradients().begin(), model.gradients().end());
    auto params = model.parameters();
    // 40 parameters of each tensor (kernel, then bias, layer by layer in the flat buffer).
    std::vector<std::size_t> picked;
    std::size_t offset = 0;
    for (std::size_t l = 0; l < 3; ++l)
        for (const Matrix& tensor : model.get_weights(l)) {
            const auto n = static_cast<std::size_t>(tensor.size());
            for (std::size_t s = 0; s < 40; ++s) picked.push_back(offset + (s * 7919 + 13) % n);
            offset += n;
        }
    ASSERT_EQ(offset, params.size());
    const auto samples = static_cast<Index>(picked.size());
    Matrix numeric(1, samples), exact(1, samples);
    for (Index s = 0; s < samples; ++s) {
        const std::size_t k = picked[static_cast<std::size_t>(s)];
        const Scalar saved = params[k];
        params[k] = saved + 1e-6;
        const double plus = model.evaluate(x, y)["loss"];
        params[k] = saved - 1e-6;
        const double minus = model.evaluate(x, y)["loss"];
        params[k] = saved;
        numeric(0, s) = (plus - minus) / 2e-6;
        exact(0, s) = analytic[k];
    }
    EXPECT_LT(testing::relative_error(exact, numeric), kTolerance);
    set_num_threads(0);
}

}  // namespace
}  // namespace plexus
