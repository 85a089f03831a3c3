// GaussianNoise (Keras): during training adds zero-mean normal noise of standard
// deviation `stddev` to every input; identity at inference. The noise comes from
// the Rng the training loop passes in (the fit's dropout stream), so the fit seed
// controls it. No parameters.
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct GaussianNoiseOptions {
    double stddev = 0.1;  // >= 0
    std::string name;
};

class GaussianNoise final : public Layer {
public:
    explicit GaussianNoise(GaussianNoiseOptions options);
    explicit GaussianNoise(double stddev) : GaussianNoise(GaussianNoiseOptions{.stddev = stddev}) {}

    std::string type() const override { return "GaussianNoise"; }
    bool is_identity_at_inference() const override { return true; }
    Index output_dim(Index input_dim) const override { return input_dim; }
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

    double stddev() const { return options_.stddev; }

private:
    GaussianNoiseOptions options_;
};

}  // namespace plexus
