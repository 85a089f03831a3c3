// Activation: applies an activation function on its own, as Keras's
// Activation('tanh') after a linear Dense (the seed script's style).
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct ActivationOptions {
    std::string activation = "linear";
    double negative_slope = kDefaultLeakyReluSlope;  // leaky_relu only (Keras's LeakyReLU layer), in [0, 1)
    std::string name;
};

class Activation final : public Layer {
public:
    explicit Activation(ActivationOptions options);
    explicit Activation(const std::string& activation) : Activation(ActivationOptions{.activation = activation}) {}

    std::string type() const override { return "Activation"; }
    bool is_activation_only() const override { return true; }
    Index output_dim(Index input_dim) const override { return input_dim; }
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    const ActivationFunction* output_activation() const override { return function_.get(); }
    ConstMatrixRef preactivation(ConstMatrixRef x, ConstMatrixRef) const override { return x; }
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

    const ActivationOptions& options() const { return options_; }

private:
    ActivationOptions options_;
    std::shared_ptr<const ActivationFunction> function_;
};

}  // namespace plexus
