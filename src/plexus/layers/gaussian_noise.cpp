#include "plexus/layers/gaussian_noise.hpp"

#include <cmath>

#include "plexus/core/error.hpp"

namespace plexus {

GaussianNoise::GaussianNoise(GaussianNoiseOptions options) : options_(std::move(options)) {
    if (!(options_.stddev >= 0.0) || !std::isfinite(options_.stddev))
        throw ConfigError("GaussianNoise: stddev must be a number >= 0; received stddev=" + std::to_string(options_.stddev));
    if (!options_.name.empty()) set_name(options_.name);
}

void GaussianNoise::forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) {
    y = x;
    if (!training || options_.stddev == 0.0) return;
    for (Index i = 0; i < y.rows(); ++i)
        for (Index j = 0; j < y.cols(); ++j) y(i, j) += static_cast<Scalar>(rng.normal(0.0, options_.stddev));
}

// The noise is additive, so dL/dx = dL/dy in both modes.
void GaussianNoise::backward(ConstMatrixRef, ConstMatrixRef, MatrixRef dy, MatrixRef dx, GradientOf) {
    if (dx.rows() > 0) dx = dy;
}

nlohmann::json GaussianNoise::config() const { return {{"type", type()}, {"name", name()}, {"stddev", options_.stddev}}; }

std::unique_ptr<Layer> GaussianNoise::from_config(const nlohmann::json& j) {
    return std::make_unique<GaussianNoise>(GaussianNoiseOptions{.stddev = j.value("stddev", 0.1), .name = j.value("name", std::string())});
}

}  // namespace plexus
