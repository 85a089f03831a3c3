// RMSprop as Keras (centered=False, momentum 0): v = rho*v + (1-rho)*g^2;
// w -= lr*g/(sqrt(v)+eps). Defaults: lr 1e-3, rho 0.9, epsilon 1e-7. One slot (v).
#pragma once

#include "plexus/optimizers/optimizer.hpp"

namespace plexus {

class RmsProp final : public Optimizer {
public:
    // ConfigError unless rho is in [0, 1).
    explicit RmsProp(const OptimizerOptions& options);
    std::string name() const override { return "rmsprop"; }

protected:
    void add_config(nlohmann::json& config) const override;
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t t) override;
};

}  // namespace plexus
