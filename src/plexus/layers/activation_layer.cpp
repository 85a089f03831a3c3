#include "plexus/layers/activation_layer.hpp"

#include "plexus/core/json_limits.hpp"

namespace plexus {

Activation::Activation(ActivationOptions options) : options_(std::move(options)) {
    function_ = make_activation(options_.activation);
    options_.activation = function_->name();
    if (options_.activation == "leaky_relu") function_ = make_leaky_relu(options_.negative_slope);
    if (!options_.name.empty()) set_name(options_.name);
}

void Activation::forward(ConstMatrixRef x, MatrixRef y, bool, Rng&) { function_->forward(x, y); }

void Activation::backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) {
    if (dx.rows() == 0) return;
    if (of == GradientOf::preactivation) dx = dy;
    else function_->backward(x, y, dy, dx);
}

nlohmann::json Activation::config() const {
    nlohmann::json j = {{"type", type()}, {"name", name()}, {"activation", options_.activation}};
    if (options_.activation == "leaky_relu") j["negative_slope"] = options_.negative_slope;
    return j;
}

std::unique_ptr<Layer> Activation::from_config(const nlohmann::json& j) {
    const JsonField config(j, "Activation", JsonErrorKind::config);
    return std::make_unique<Activation>(ActivationOptions{.activation = config.string_or("activation", "linear", 64),
                                                          .negative_slope = config.number_or("negative_slope", kDefaultLeakyReluSlope, 0.0, 1.0),
                                                          .name = config.string_or("name", "", 256)});
}

}  // namespace plexus
