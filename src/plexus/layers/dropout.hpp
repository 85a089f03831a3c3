// Dropout: during training, zeroes each input with probability `rate` and
// scales the survivors by 1/(1-rate) (inverted dropout, as Keras); identity at
// inference. The mask comes from the Rng the training loop passes in, so the
// fit seed controls it.
#pragma once

#include "plexus/layers/layer.hpp"

namespace plexus {

struct DropoutOptions {
    double rate = 0.5;  // in [0, 1)
    std::string name;
};

class Dropout final : public Layer {
public:
    explicit Dropout(DropoutOptions options);
    explicit Dropout(double rate) : Dropout(DropoutOptions{.rate = rate}) {}

    std::string type() const override { return "Dropout"; }
    bool is_identity_at_inference() const override { return true; }
    Index output_dim(Index input_dim) const override { return input_dim; }
    void reserve(Index max_rows) override { max_rows_ = max_rows; }
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) override;
    void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) override;
    nlohmann::json config() const override;
    static std::unique_ptr<Layer> from_config(const nlohmann::json& config);

    double rate() const { return options_.rate; }

private:
    DropoutOptions options_;
    Index max_rows_ = 0;
    Matrix mask_;          // (max_rows, width): 0 or 1/(1-rate)
    bool last_training_ = false;
};

}  // namespace plexus
