#include "plexus/layers/batch_normalization.hpp"

#include <cmath>

#include "plexus/core/error.hpp"

namespace plexus {
namespace {

Eigen::Map<RowVector> row(const ParamView& p) { return {p.value, p.cols}; }
Eigen::Map<RowVector> grad_row(const ParamView& p) { return {p.grad, p.cols}; }

}  // namespace

BatchNormalization::BatchNormalization(BatchNormalizationOptions options) : options_(std::move(options)) {
    if (!(options_.momentum >= 0.0 && options_.momentum <= 1.0))
        throw ConfigError("BatchNormalization: momentum must be in [0, 1]; received momentum=" + std::to_string(options_.momentum));
    if (!(options_.epsilon > 0.0) || !std::isfinite(options_.epsilon))
        throw ConfigError("BatchNormalization: epsilon must be a positive number; received epsilon=" + std::to_string(options_.epsilon));
    if (!options_.name.empty()) set_name(options_.name);
}

std::vector<ParamSpec> BatchNormalization::param_specs(Index d) const {
    std::vector<ParamSpec> specs;
    if (options_.scale) specs.push_back({.name = "gamma", .rows = 1, .cols = d, .initializer = {.name = "ones"}});
    if (options_.center) specs.push_back({.name = "beta", .rows = 1, .cols = d, .initializer = {.name = "zeros"}});
    specs.push_back({.name = "moving_mean", .rows = 1, .cols = d, .initializer = {.name = "zeros"}, .trainable = false});
    specs.push_back({.name = "moving_variance", .rows = 1, .cols = d, .initializer = {.name = "ones"}, .trainable = false});
    return specs;
}

void BatchNormalization::bind(std::span<const ParamView> params) {
    std::size_t k = 0;
    gamma_ = options_.scale ? params[k++] : ParamView{};
    beta_ = options_.center ? params[k++] : ParamView{};
    moving_mean_ = params[k++];
    moving_variance_ = params[k];
    mean_.resize(moving_mean_.cols);
    inv_std_.resize(moving_mean_.cols);
    variance_.resize(moving_mean_.cols);
    sum_dxhat_.resize(moving_mean_.cols);
    sum_dxhat_xhat_.resize(moving_mean_.cols);
    normalized_.resize(std::max<Index>(max_rows_, 1), moving_mean_.cols);
}

void BatchNormalization::reserve(Index max_rows) {
    max_rows_ = max_rows;
    if (moving_mean_.cols > 0) normalized_.resize(std::max<Index>(max_rows_, 1), moving_mean_.cols);
}

void BatchNormalization::forward(ConstMatrixRef x, MatrixRef y, bool training, Rng&) {
    const Index n = x.rows();
    const Scalar eps = static_cast<Scalar>(options_.epsilon);
    last_training_ = training;
    if (normalized_.rows() < n || normalized_.cols() != x.cols()) normalized_.resize(n, x.cols());
    if (training) {
        mean_ = x.colwise().mean();
        auto xhat = normalized_.topRows(n);
        xhat = x.rowwise() - mean_;
        variance_ = xhat.array().square().colwise().sum() / static_cast<Scalar>(n);
        inv_std_ = (variance_.array() + eps).rsqrt();
        xhat.array().rowwise() *= inv_std_.array();
        const auto m = static_cast<Scalar>(options_.momentum);
        row(moving_mean_) = m * row(moving_mean_) + (1 - m) * mean_;
        row(moving_variance_) = m * row(moving_variance_) + (1 - m) * variance_;
    } else {
        mean_ = row(moving_mean_);
        inv_std_ = (row(moving_variance_).array() + eps).rsqrt();
        normalized_.topRows(n) = (x.rowwise() - mean_).array().rowwise() * inv_std_.array();
    }
    y = normalized_.topRows(n);
    if (gamma_.value) y.array().rowwise() *= row(gamma_).array();
    if (beta_.value) y.rowwise() += row(beta_);
}

void BatchNormalization::backward(ConstMatrixRef x, ConstMatrixRef, MatrixRef dy, MatrixRef dx, GradientOf) {
    const Index n = x.rows();
    const auto xhat = normalized_.topRows(n);
    if (gamma_.value) grad_row(gamma_) = (dy.array() * xhat.array()).colwise().sum();
    if (beta_.value) grad_row(beta_) = dy.colwise().sum();
    grad_row(moving_mean_).setZero();
    grad_row(moving_variance_).setZero();
    if (dx.rows() == 0) return;
    if (gamma_.value) dy.array().rowwise() *= row(gamma_).array();  // dy becomes dL/dx_hat
    if (!last_training_) {
        dx = dy.array().rowwise() * inv_std_.array();
        return;
    }
    // dx = inv_std / n * (n * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)), per feature.
    sum_dxhat_ = dy.colwise().sum();
    sum_dxhat_xhat_ = (dy.array() * xhat.array()).colwise().sum();
    const auto count = static_cast<Scalar>(n);
    dx = ((dy * count).rowwise() - sum_dxhat_).array() - xhat.array().rowwise() * sum_dxhat_xhat_.array();
    dx.array().rowwise() *= (inv_std_ / count).array();
}

nlohmann::json BatchNormalization::config() const {
    return {{"type", type()},           {"name", name()},           {"momentum", options_.momentum},
            {"epsilon", options_.epsilon}, {"center", options_.center}, {"scale", options_.scale}};
}

std::unique_ptr<Layer> BatchNormalization::from_config(const nlohmann::json& j) {
    return std::make_unique<BatchNormalization>(BatchNormalizationOptions{.momentum = j.value("momentum", 0.99),
                                                                          .epsilon = j.value("epsilon", 1e-3),
                                                                          .center = j.value("center", true),
                                                                          .scale = j.value("scale", true),
                                                                          .name = j.value("name", std::string())});
}

}  // namespace plexus
