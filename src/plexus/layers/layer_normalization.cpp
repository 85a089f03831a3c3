#include "plexus/layers/layer_normalization.hpp"

#include <cmath>

#include "plexus/core/error.hpp"

namespace plexus {

LayerNormalization::LayerNormalization(LayerNormalizationOptions options) : options_(std::move(options)) {
    if (!(options_.epsilon > 0.0) || !std::isfinite(options_.epsilon))
        throw ConfigError("LayerNormalization: epsilon must be a positive number; received epsilon=" + std::to_string(options_.epsilon));
    if (!options_.name.empty()) set_name(options_.name);
}

std::vector<ParamSpec> LayerNormalization::param_specs(Index d) const {
    std::vector<ParamSpec> specs;
    if (options_.scale) specs.push_back({.name = "gamma", .rows = 1, .cols = d, .initializer = {.name = "ones"}});
    if (options_.center) specs.push_back({.name = "beta", .rows = 1, .cols = d, .initializer = {.name = "zeros"}});
    return specs;
}

void LayerNormalization::bind(std::span<const ParamView> params) {
    std::size_t k = 0;
    gamma_ = options_.scale ? params[k++] : ParamView{};
    beta_ = options_.center ? params[k] : ParamView{};
}

void LayerNormalization::forward(ConstMatrixRef x, MatrixRef y, bool, Rng&) {
    const Index n = x.rows(), d = x.cols();
    if (normalized_.rows() < std::max(n, max_rows_) || normalized_.cols() != d) {
        normalized_.resize(std::max(n, max_rows_), d);
        inv_std_.resize(std::max(n, max_rows_));
    }
    const auto eps = static_cast<Scalar>(options_.epsilon);
    for (Index i = 0; i < n; ++i) {
        const Scalar mean = x.row(i).mean();
        normalized_.row(i) = x.row(i).array() - mean;
        const Scalar variance = normalized_.row(i).squaredNorm() / static_cast<Scalar>(d);
        inv_std_(i) = Scalar(1) / std::sqrt(variance + eps);
        normalized_.row(i) *= inv_std_(i);
    }
    y = normalized_.topRows(n);
    if (gamma_.value) y.array().rowwise() *= Eigen::Map<const RowVector>(gamma_.value, d).array();
    if (beta_.value) y.rowwise() += Eigen::Map<const RowVector>(beta_.value, d);
}

void LayerNormalization::backward(ConstMatrixRef x, ConstMatrixRef, MatrixRef dy, MatrixRef dx, GradientOf) {
    const Index n = x.rows(), d = x.cols();
    const auto xhat = normalized_.topRows(n);
    if (gamma_.value) Eigen::Map<RowVector>(gamma_.grad, d) = (dy.array() * xhat.array()).colwise().sum();
    if (beta_.value) Eigen::Map<RowVector>(beta_.grad, d) = dy.colwise().sum();
    if (dx.rows() == 0) return;
    if (gamma_.value) dy.array().rowwise() *= Eigen::Map<const RowVector>(gamma_.value, d).array();
    // Per row: dx = inv_std / d * (d * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)).
    const auto width = static_cast<Scalar>(d);
    for (Index i = 0; i < n; ++i) {
        const Scalar sum = dy.row(i).sum();
        const Scalar dot = dy.row(i).dot(xhat.row(i));
        dx.row(i) = (dy.row(i).array() * width - sum - xhat.row(i).array() * dot) * (inv_std_(i) / width);
    }
}

nlohmann::json LayerNormalization::config() const {
    return {{"type", type()}, {"name", name()}, {"epsilon", options_.epsilon}, {"center", options_.center}, {"scale", options_.scale}};
}

std::unique_ptr<Layer> LayerNormalization::from_config(const nlohmann::json& j) {
    return std::make_unique<LayerNormalization>(LayerNormalizationOptions{.epsilon = j.value("epsilon", 1e-3),
                                                                          .center = j.value("center", true),
                                                                          .scale = j.value("scale", true),
                                                                          .name = j.value("name", std::string())});
}

}  // namespace plexus
