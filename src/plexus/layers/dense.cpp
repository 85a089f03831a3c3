#include "plexus/layers/dense.hpp"

#include "plexus/core/error.hpp"
#include "plexus/kernels/gemm.hpp"
#include "plexus/kernels/small_dense.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/core/limits.hpp"
#include "plexus/core/parallel.hpp"

namespace plexus {

Dense::Dense(DenseOptions options) : options_(std::move(options)) {
    if (options_.units <= 0)
        throw ConfigError("Dense: units must be a positive integer; received units=" +
                          std::to_string(options_.units));
    if (options_.kernel_l1 < 0 || options_.kernel_l2 < 0)
        throw ConfigError("Dense: kernel regularizer factors must be >= 0; received l1=" +
                          std::to_string(options_.kernel_l1) + ", l2=" + std::to_string(options_.kernel_l2));
    if (options_.units > kMaxLayerWidth)
        throw ConfigError("Dense: units must be at most " + std::to_string(kMaxLayerWidth) + "; received units=" +
                          std::to_string(options_.units));
    if (options_.input_dim < 0 || options_.input_dim > kMaxLayerWidth)
        throw ConfigError("Dense: input_dim must be in [1, " + std::to_string(kMaxLayerWidth) + "] (or 0: from the data); received " +
                          std::to_string(options_.input_dim));
    activation_ = make_activation(options_.activation);
    options_.activation = activation_->name();
    linear_ = options_.activation == "linear";
    check_initializer_name(options_.kernel_initializer.name);
    check_initializer_name(options_.bias_initializer.name);
    if (!options_.name.empty()) set_name(options_.name);
}

Index Dense::output_dim(Index input_dim) const {
    if (input_dim <= 0) throw ShapeError("Dense: input width must be positive; received " + std::to_string(input_dim));
    return options_.units;
}

std::vector<ParamSpec> Dense::param_specs(Index input_dim) const {
    std::vector<ParamSpec> specs{{"kernel", input_dim, options_.units, options_.kernel_initializer}};
    if (options_.use_bias) specs.push_back({"bias", 1, options_.units, options_.bias_initializer});
    return specs;
}

void Dense::bind(std::span<const ParamView> params) {
    new (&kernel_) Map(params[0].value, params[0].rows, params[0].cols);
    new (&kernel_grad_) Map(params[0].grad, params[0].rows, params[0].cols);
    if (options_.use_bias) {
        new (&bias_) Map(params[1].value, 1, params[1].cols);
        new (&bias_grad_) Map(params[1].grad, 1, params[1].cols);
    }
}

void Dense::reserve(Index max_rows) {
    if (!linear_ && z_.rows() < max_rows) z_.resize(max_rows, options_.units);
}

void Dense::forward(ConstMatrixRef x, MatrixRef y, bool, Rng&) {
    const Index n = x.rows();
    if (x.cols() != kernel_.rows())
        throw ShapeError("Dense '" + name() + "': expected input of width " + std::to_string(kernel_.rows()) +
                         ", received " + shape_string(x.rows(), x.cols()));
    if (!linear_ && z_.rows() < n) reserve(n);
    // The pre-activation goes to z_ (kept for backward), or straight to y for a linear layer.
    MatrixRef z = linear_ ? y : MatrixRef(z_.topRows(n));
    const Scalar* bias = options_.use_bias ? bias_.data() : nullptr;
    if (kernels::small_layer(n, kernel_.rows(), kernel_.cols()))
        kernels::small_forward_any({x.data(), x.outerStride()}, n, kernel_.rows(), kernel_.cols(), kernel_.data(), bias,
                          {z.data(), z.outerStride()});
    else
        kernels::large_forward(x, kernel_.data(), kernel_.cols(), bias, z);
    if (!linear_) activation_->forward(z, y);
}

ConstMatrixRef Dense::preactivation(ConstMatrixRef x, ConstMatrixRef y) const {
    if (linear_) return y;
    return z_.topRows(x.rows());
}

void Dense::backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx, GradientOf of) {
    // dz = f'(z) ⊙ dy, in place.
    if (of == GradientOf::output && !linear_) activation_->backward(preactivation(x, y), y, dy, dy);
    const Index n = x.rows();
    if (kernels::small_layer(n, kernel_.rows(), kernel_.cols())) {
        kernels::small_backward_any({x.data(), x.outerStride()}, n, kernel_.rows(), kernel_.cols(), {dy.data(), dy.outerStride()},
                           kernel_.data(), kernel_grad_.data(), options_.use_bias ? bias_grad_.data() : nullptr,
                           {dx.rows() > 0 ? dx.data() : nullptr, dx.outerStride()});
    } else {
        kernels::large_backward(x, dy, kernel_.data(), kernel_.cols(), kernel_grad_.data(), dx);
        if (options_.use_bias) bias_grad_ = dy.colwise().sum();
    }
    if (options_.kernel_l1 > 0)
        kernel_grad_.array() += Scalar(options_.kernel_l1) * kernel_.array().sign();
    if (options_.kernel_l2 > 0) kernel_grad_.array() += Scalar(2 * options_.kernel_l2) * kernel_.array();
}

double Dense::regularization_loss() const {
    double loss = 0;
    if (options_.kernel_l1 > 0) loss += options_.kernel_l1 * static_cast<double>(kernel_.array().abs().sum());
    if (options_.kernel_l2 > 0) loss += options_.kernel_l2 * static_cast<double>(kernel_.squaredNorm());
    return loss;
}

namespace {
nlohmann::json initializer_json(const InitializerOptions& init) {
    nlohmann::json j = {{"name", init.name}};
    if (init.name == "constant") j["value"] = init.value;
    return j;
}
InitializerOptions initializer_from(const JsonField& parent, std::string_view key, const char* fallback) {
    const auto field = parent.find(key);
    if (!field) return {.name = fallback};
    if (field->json().is_string()) return {.name = field->string(64)};
    return {.name = field->string_or("name", fallback, 64), .value = field->number_or("value", 0.0, -1e30, 1e30)};
}
}  // namespace

nlohmann::json Dense::config() const {
    nlohmann::json j = {{"type", type()},
                        {"name", name()},
                        {"units", options_.units},
                        {"activation", options_.activation},
                        {"use_bias", options_.use_bias},
                        {"kernel_initializer", initializer_json(options_.kernel_initializer)},
                        {"bias_initializer", initializer_json(options_.bias_initializer)}};
    if (options_.kernel_l1 > 0 || options_.kernel_l2 > 0)
        j["kernel_regularizer"] = {{"l1", options_.kernel_l1}, {"l2", options_.kernel_l2}};
    if (options_.input_dim > 0) j["input_dim"] = options_.input_dim;
    return j;
}

std::unique_ptr<Layer> Dense::from_config(const nlohmann::json& j) {
    const JsonField config(j, "Dense", JsonErrorKind::config);
    if (!config.has("units"))
        throw ConfigError("Dense: config needs an integer 'units', e.g. {\"type\": \"Dense\", \"units\": 4}");
    DenseOptions options{.units = config.at("units").integer(1, kMaxLayerWidth),
                         .activation = config.string_or("activation", "linear", 64),
                         .use_bias = config.boolean_or("use_bias", true),
                         .kernel_initializer = initializer_from(config, "kernel_initializer", "glorot_uniform"),
                         .bias_initializer = initializer_from(config, "bias_initializer", "zeros"),
                         .input_dim = config.integer_or("input_dim", 0, 0, kMaxLayerWidth),
                         .name = config.string_or("name", "", 256)};
    if (const auto r = config.find("kernel_regularizer")) {
        options.kernel_l1 = r->number_or("l1", 0.0, 0.0, 1e30);
        options.kernel_l2 = r->number_or("l2", 0.0, 0.0, 1e30);
    }
    return std::make_unique<Dense>(std::move(options));
}

}  // namespace plexus
