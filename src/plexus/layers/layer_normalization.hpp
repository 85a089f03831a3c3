// LayerNormalization over the features of each row (Keras, axis=-1; defaults
// epsilon 1e-3, center and scale on):
//   y = gamma * (x - mean_row) / sqrt(var_row + epsilon) + beta,
// with the row's mean and biased variance. The same in training and inference.
// Parameters: gamma (1, d) [ones], beta (1, d) [zeros].
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct LayerNormalizationOptions {
    double epsilon = 1e-3;  // > 0
    bool center = true;     // learn beta
    bool scale = true;      // learn gamma
    std::string name;
};

class LayerNormalization final : public Layer {
public:
    explicit LayerNormalization(LayerNormalizationOptions options = {});

    std::string type() const override { return "LayerNormalization"; }
    Index output_dim(Index input_dim) const override { return input_dim; }
    std::vector<ParamSpec> param_specs(Index input_dim) const override;
    void bind(std::span<const ParamView> params) override;
    void reserve(Index max_rows) override { max_rows_ = max_rows; }
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

private:
    LayerNormalizationOptions options_;
    ParamView gamma_, beta_;
    Index max_rows_ = 0;
    Matrix normalized_;  // (max_rows, d): x_hat of the last forward
    ColVector inv_std_;  // (max_rows): per row
};

}  // namespace plexus
