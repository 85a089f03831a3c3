// SGD with optional (Nesterov) momentum, Keras's form: v = m*v - lr*g; w += v
// (or w += m*v - lr*g for Nesterov), identical to PyTorch's at a constant lr.
// Default lr 0.01; one slot (the velocity) when momentum > 0, none otherwise.
#pragma once

#include "plexus/optimizers/optimizer.hpp"

namespace plexus {

class Sgd final : public Optimizer {
public:
    // ConfigError unless momentum is in [0, 1).
    explicit Sgd(const OptimizerOptions& options);
    std::string name() const override { return "sgd"; }

protected:
    void add_config(nlohmann::json& config) const override;
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t t) override;
};

}  // namespace plexus
