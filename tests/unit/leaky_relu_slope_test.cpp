// The Activation layer's leaky_relu keeps its slope (Keras's LeakyReLU layer,
// imported from Keras files) through forward, backward and its config.
#include <gtest/gtest.h>

#include "plexus/core/error.hpp"
#include "plexus/layers/activation_layer.hpp"

namespace plexus {
namespace {

TEST(LeakyReluSlope, ForwardBackwardAndConfigUseTheSlope) {
    Activation layer(ActivationOptions{.activation = "leaky_relu", .negative_slope = 0.3});
    Matrix x(1, 3), y(1, 3), dy(1, 3), dx(1, 3);
    x << -2, 0.5, -1;
    Rng rng(0);
    layer.forward(x, y, false, rng);
    EXPECT_FLOAT_EQ(y(0, 0), -0.6f);
    EXPECT_FLOAT_EQ(y(0, 1), 0.5f);
    EXPECT_FLOAT_EQ(y(0, 2), -0.3f);
    dy.setOnes();
    layer.backward(x, y, dy, dx, GradientOf::output);
    EXPECT_FLOAT_EQ(dx(0, 0), 0.3f);
    EXPECT_FLOAT_EQ(dx(0, 1), 1.0f);

    const auto copy = layer_from_config(layer.config());
    Matrix y2(1, 3);
    copy->forward(x, y2, false, rng);
    EXPECT_EQ(y2, y);
    EXPECT_DOUBLE_EQ(copy->config().at("negative_slope").get<double>(), 0.3);
}

TEST(LeakyReluSlope, DefaultIsKerasActivationDefault) {
    Activation layer("leaky_relu");
    EXPECT_DOUBLE_EQ(layer.config().at("negative_slope").get<double>(), 0.2);
    EXPECT_FALSE(Activation("tanh").config().contains("negative_slope"));
}

TEST(LeakyReluSlope, RejectsSlopesOutsideZeroToOne) {
    EXPECT_THROW(Activation(ActivationOptions{.activation = "leaky_relu", .negative_slope = -0.1}), ConfigError);
    EXPECT_THROW(Activation(ActivationOptions{.activation = "leaky_relu", .negative_slope = 1.5}), ConfigError);
}

}  // namespace
}  // namespace plexus
