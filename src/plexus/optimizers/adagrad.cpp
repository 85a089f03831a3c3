#include "plexus/optimizers/adagrad.hpp"

#include <cmath>

#include "plexus/core/error.hpp"

namespace plexus {

Adagrad::Adagrad(const OptimizerOptions& o) : Optimizer(o, 1e-3, 1) {
    if (o.initial_accumulator_value < 0) throw ConfigError("adagrad: initial_accumulator_value must be >= 0");
}

void Adagrad::add_config(nlohmann::json& j) const {
    j["initial_accumulator_value"] = options_.initial_accumulator_value;
    j["epsilon"] = options_.epsilon;
}

void Adagrad::update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) {
    const auto a = static_cast<Scalar>(lr), eps = static_cast<Scalar>(options_.epsilon);
    Scalar* acc = slots_[0].data();
    for (std::size_t i = 0; i < w.size(); ++i) {
        acc[i] += g[i] * g[i];
        w[i] -= a * g[i] / std::sqrt(acc[i] + eps);
    }
}

}  // namespace plexus
