#include "plexus/layers/dropout.hpp"

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"

namespace plexus {

Dropout::Dropout(DropoutOptions options) : options_(std::move(options)) {
    if (!(options_.rate >= 0.0 && options_.rate < 1.0))
        throw ConfigError("Dropout: rate must be in [0, 1); received rate=" + std::to_string(options_.rate));
    if (!options_.name.empty()) set_name(options_.name);
}

void Dropout::forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) {
    last_training_ = training && options_.rate > 0;
    if (!last_training_) {
        y = x;
        return;
    }
    const Index n = x.rows();
    if (mask_.rows() < std::max(n, max_rows_) || mask_.cols() != x.cols()) mask_.resize(std::max(n, max_rows_), x.cols());
    const Scalar keep_scale = Scalar(1.0 / (1.0 - options_.rate));
    for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < x.cols(); ++j) mask_(i, j) = rng.uniform() < options_.rate ? Scalar(0) : keep_scale;
    y = x.cwiseProduct(mask_.topRows(n));
}

void Dropout::backward(ConstMatrixRef x, ConstMatrixRef, MatrixRef dy, MatrixRef dx, GradientOf) {
    if (dx.rows() == 0) return;
    if (last_training_) dx = dy.cwiseProduct(mask_.topRows(x.rows()));
    else dx = dy;
}

nlohmann::json Dropout::config() const { return {{"type", type()}, {"name", name()}, {"rate", options_.rate}}; }

std::unique_ptr<Layer> Dropout::from_config(const nlohmann::json& j) {
    const JsonField config(j, "Dropout", JsonErrorKind::config);
    return std::make_unique<Dropout>(DropoutOptions{.rate = config.number_or("rate", 0.5, 0.0, 1.0), .name = config.string_or("name", "", 256)});
}

}  // namespace plexus
