#include "plexus/optimizers/rmsprop.hpp"

#include <cmath>

#include "plexus/core/error.hpp"

namespace plexus {

RmsProp::RmsProp(const OptimizerOptions& o) : Optimizer(o, 1e-3, 1) {
    if (!(o.rho >= 0 && o.rho < 1)) throw ConfigError("rmsprop: rho must be in [0, 1); received " + std::to_string(o.rho));
}

void RmsProp::add_config(nlohmann::json& j) const {
    j["rho"] = options_.rho;
    j["epsilon"] = options_.epsilon;
}

void RmsProp::update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) {
    const auto rho = static_cast<Scalar>(options_.rho), a = static_cast<Scalar>(lr),
               eps = static_cast<Scalar>(options_.epsilon);
    Scalar* v = slots_[0].data();
    for (std::size_t i = 0; i < w.size(); ++i) {
        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
        w[i] -= a * g[i] / (std::sqrt(v[i]) + eps);
    }
}

}  // namespace plexus
