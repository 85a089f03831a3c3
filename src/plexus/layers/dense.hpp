// Dense: y = activation(x · kernel + bias), Keras's fully connected layer.
//
// kernel is (input_dim, units), bias (1, units). Options mirror Keras:
//   Dense({.units = 4, .activation = "tanh"})
//   Dense({.units = 2, .activation = "softmax", .input_dim = 4})
// The activation is fused into the layer: one pass writes y, the pre-activation
// is kept in a workspace for backward.
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct DenseOptions {
    Index units = 0;                     // > 0
    std::string activation = "linear";  // any name of activation_names()
    bool use_bias = true;
    InitializerOptions kernel_initializer{.name = "glorot_uniform"};
    InitializerOptions bias_initializer{.name = "zeros"};
    double kernel_l1 = 0.0;              // L1 kernel regularizer factor (>= 0)
    double kernel_l2 = 0.0;              // L2 kernel regularizer factor (>= 0)
    Index input_dim = 0;                 // optional, as Keras input_shape=(input_dim,)
    std::string name;                    // optional; the model assigns "dense", "dense_1", ...
};

class Dense final : public Layer {
public:
    // ConfigError for units <= 0, unknown activation/initializer, negative regularizers.
    explicit Dense(DenseOptions options);

    std::string type() const override { return "Dense"; }
    bool has_kernel() const override { return true; }
    Index output_dim(Index input_dim) const override;
    Index declared_input_dim() const override { return options_.input_dim; }
    std::vector<ParamSpec> param_specs(Index input_dim) const override;
    void bind(std::span<const ParamView> params) override;
    void reserve(Index max_rows) override;
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    const ActivationFunction* output_activation() const override { return activation_.get(); }
    ConstMatrixRef preactivation(ConstMatrixRef x, ConstMatrixRef y) const override;
    double regularization_loss() const override;
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

    const DenseOptions& options() const { return options_; }

private:
    using Map = Eigen::Map<Matrix>;
    DenseOptions options_;
    std::shared_ptr<const ActivationFunction> activation_;
    bool linear_ = false;
    Map kernel_{nullptr, 0, 0}, kernel_grad_{nullptr, 0, 0};
    Map bias_{nullptr, 0, 0}, bias_grad_{nullptr, 0, 0};
    Matrix z_;  // (max_rows, units) pre-activation workspace
};

}  // namespace plexus
