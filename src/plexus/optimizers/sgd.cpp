#include "plexus/optimizers/sgd.hpp"

#include "plexus/core/error.hpp"
#include "plexus/core/parallel_elementwise.hpp"

namespace plexus {
namespace {

// A function of non-aliasing pointers so that the loops vectorise (through lambda
// captures the compiler must assume every store may change the coefficients).
void sgd_kernel(std::size_t n, Scalar* __restrict w, const Scalar* __restrict g, Scalar* __restrict v, Scalar a, Scalar m,
                bool nesterov) {
    if (!v) {
        for (std::size_t i = 0; i < n; ++i) w[i] -= a * g[i];
    } else if (nesterov) {
        for (std::size_t i = 0; i < n; ++i) {
            v[i] = m * v[i] - a * g[i];
            w[i] += m * v[i] - a * g[i];
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            v[i] = m * v[i] - a * g[i];
            w[i] += v[i];
        }
    }
}

}  // namespace

Sgd::Sgd(const OptimizerOptions& o) : Optimizer(o, 0.01, o.momentum > 0 ? 1 : 0) {
    if (!(o.momentum >= 0 && o.momentum < 1))
        throw ConfigError("sgd: momentum must be in [0, 1); received " + std::to_string(o.momentum));
}

void Sgd::add_config(nlohmann::json& j) const {
    j["momentum"] = options_.momentum;
    j["nesterov"] = options_.nesterov;
}

void Sgd::update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) {
    const auto a = static_cast<Scalar>(lr);
    const auto m = static_cast<Scalar>(options_.momentum);
    Scalar* v = options_.momentum == 0 ? nullptr : slots_[0].data();
    const bool nesterov = options_.nesterov;
    parallel_elementwise(w.data(), w.size(), [&](std::size_t begin, std::size_t end) {
        sgd_kernel(end - begin, w.data() + begin, g.data() + begin, v ? v + begin : nullptr, a, m, nesterov);
    });
}

}  // namespace plexus
