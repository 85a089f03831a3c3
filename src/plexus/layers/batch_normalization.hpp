// BatchNormalization over the features of a (n, d) batch, with Keras's semantics
// and defaults (momentum 0.99, epsilon 1e-3, center and scale on).
//
// Training:  y = gamma * (x - mean_B) / sqrt(var_B + epsilon) + beta, where mean_B
//            and var_B are the batch's mean and biased (divide by n) variance per
//            feature; then moving_mean = momentum * moving_mean + (1 - momentum) * mean_B
//            and moving_variance likewise with var_B (Keras; PyTorch's BatchNorm1d
//            uses momentum' = 1 - momentum and the unbiased variance for its running
//            variance: tests/golden/make_batchnorm_golden.py converts).
// Inference: y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.
//
// Parameters, in Keras's get_weights order: gamma (1, d) [ones], beta (1, d)
// [zeros], moving_mean (1, d) [zeros], moving_variance (1, d) [ones]; the last two
// are non-trainable (ParamSpec::trainable = false): the layer writes them during
// training forwards, the optimizer leaves them alone, model files save them.
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct BatchNormalizationOptions {
    double momentum = 0.99;  // in [0, 1]
    double epsilon = 1e-3;   // > 0
    bool center = true;      // learn beta (else beta stays 0 and is not created)
    bool scale = true;       // learn gamma (else gamma stays 1 and is not created)
    std::string name;
};

class BatchNormalization final : public Layer {
public:
    explicit BatchNormalization(BatchNormalizationOptions options = {});

    std::string type() const override { return "BatchNormalization"; }
    Index output_dim(Index input_dim) const override { return input_dim; }
    std::vector<ParamSpec> param_specs(Index input_dim) const override;
    void bind(std::span<const ParamView> params) override;
    void reserve(Index max_rows) override;
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

    const BatchNormalizationOptions& options() const { return options_; }

private:
    BatchNormalizationOptions options_;
    ParamView gamma_, beta_, moving_mean_, moving_variance_;
    Index max_rows_ = 0;
    Matrix normalized_;   // (max_rows, d): x_hat of the last forward
    RowVector mean_, inv_std_;  // (1, d): the statistics the last forward used
    RowVector variance_, sum_dxhat_, sum_dxhat_xhat_;  // (1, d) workspaces
    bool last_training_ = false;
};

}  // namespace plexus
