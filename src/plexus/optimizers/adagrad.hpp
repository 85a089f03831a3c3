// Adagrad as Keras: acc += g^2; w -= lr * g / sqrt(acc + eps) (epsilon inside the
// root, unlike PyTorch). Defaults: lr 1e-3, initial_accumulator_value 0.1,
// epsilon 1e-7. One slot (acc), starting at initial_accumulator_value.
#pragma once

#include "plexus/optimizers/optimizer.hpp"

namespace plexus {

class Adagrad final : public Optimizer {
public:
    // ConfigError if initial_accumulator_value < 0.
    explicit Adagrad(const OptimizerOptions& options);
    std::string name() const override { return "adagrad"; }

protected:
    Scalar initial_slot_value() const override { return static_cast<Scalar>(options_.initial_accumulator_value); }
    void add_config(nlohmann::json& config) const override;
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t t) override;
};

}  // namespace plexus
