#include "plexus/model/sequential.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "plexus/core/error.hpp"
#include "plexus/core/float_mode.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {

Sequential::Sequential(std::initializer_list<LayerHandle> layers) {
    for (const auto& layer : layers) add(layer);
}
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;
Sequential::~Sequential() = default;

void Sequential::add(LayerHandle handle) {
    auto layer = handle.get();
    if (!layer) throw ConfigError("Sequential::add: null layer");
    const std::string type = layer->type();
    int& count = type_counts_[type];  // counting here, not by scanning layers_: adding n layers stays O(n log n)
    if (layer->name().empty()) {
        std::string base;
        for (char c : type) {
            if (std::isupper(static_cast<unsigned char>(c)) && !base.empty()) base += '_';
            base += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        layer->set_name(count == 0 ? base : base + "_" + std::to_string(count));
    }
    if (layers_.empty() && layer->declared_input_dim() > 0) input_dim_ = layer->declared_input_dim();
    layers_.push_back(std::move(layer));
    ++count;
    built_ = false;
}

Index Sequential::output_dim() const {
    if (layers_.empty()) throw ConfigError("the model has no layers; add at least one, e.g. Dense({.units = 1})");
    Index width = input_dim_ > 0 ? input_dim_ : 1;
    for (const auto& layer : layers_) width = layer->output_dim(width);
    return width;
}

void Sequential::compile(const CompileOptions& options) {
    if (layers_.empty()) throw ConfigError("compile: the model has no layers; add at least one first");
    auto loss = make_loss({.name = options.loss, .from_logits = options.from_logits, .delta = options.huber_delta});
    auto optimizer = make_optimizer(options.optimizer);
    MetricSet metrics(options.metrics, output_dim(), loss->is_classification());
    compile_options_ = options;
    if (!built_) seed_ = options.seed;
    compile_options_.optimizer = optimizer->options();
    compile_options_.loss = loss->name();
    compile_options_.metrics = metrics.names();
    loss_ = std::move(loss);
    optimizer_ = std::move(optimizer);
    train_metrics_ = std::move(metrics);
    if (built_) {
        std::vector<ParamSegment> segments;
        for (std::size_t i = 0; i < layers_.size(); ++i)
            segments.push_back({layer_offsets_[i], layer_offsets_[i + 1] - layer_offsets_[i]});
        optimizer_->build(segments, params_.size(), frozen_segments());
    }
}

std::vector<ParamSegment> Sequential::frozen_segments() const {
    std::vector<ParamSegment> frozen;
    Index width = input_dim_;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < layers_.size() && width > 0; ++i) {
        for (const auto& s : layers_[i]->param_specs(width)) {
            const auto size = static_cast<std::size_t>(s.rows * s.cols);
            if (!s.trainable) frozen.push_back({offset, size});
            offset += size;
        }
        width = layers_[i]->output_dim(width);
    }
    return frozen;
}

void Sequential::ensure_compiled(const char* what) const {
    if (!compiled())
        throw ConfigError(std::string(what) + ": the model is not compiled; call compile({.optimizer = ..., .loss = ...}) first");
}

Index Sequential::resolve_input_dim(Index received, const char* what) const {
    if (input_dim_ > 0 && received != input_dim_)
        throw ShapeError(std::string(what) + ": the model expects " + std::to_string(input_dim_) +
                         " features per row, received " + std::to_string(received));
    return received;
}

void Sequential::build(Index input_dim, std::uint64_t seed) {
    if (layers_.empty()) throw ConfigError("build: the model has no layers");
    if (input_dim <= 0) throw ShapeError("build: input width must be positive; received " + std::to_string(input_dim));
    const Index declared = layers_.front()->declared_input_dim();
    if (declared > 0 && declared != input_dim)
        throw ShapeError("build: the first layer declares input_dim=" + std::to_string(declared) + " but the data has " +
                         std::to_string(input_dim) + " features");
    input_dim_ = input_dim;
    seed_ = seed;
    // Lay out every parameter in one buffer, then initialise in layer order.
    std::vector<std::vector<ParamSpec>> specs;
    layer_offsets_.assign(1, 0);
    Index width = input_dim;
    std::size_t total = 0;
    for (const auto& layer : layers_) {
        specs.push_back(layer->param_specs(width));
        for (const auto& s : specs.back()) total += static_cast<std::size_t>(s.rows * s.cols);
        layer_offsets_.push_back(total);
        width = layer->output_dim(width);
    }
    params_.assign(total, Scalar(0));
    grads_.assign(total, Scalar(0));
    Rng rng(seed_streams(seed).initialization);  // the same stream fit_plan.hpp names
    std::vector<ParamSegment> segments;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        std::vector<ParamView> views;
        for (const auto& s : specs[i]) {
            const auto size = static_cast<std::size_t>(s.rows * s.cols);
            views.push_back({params_.data() + offset, grads_.data() + offset, s.rows, s.cols});
            Eigen::Map<Matrix> value(params_.data() + offset, s.rows, s.cols);
            initialize(s.initializer, value, rng);
            segments.push_back({offset, size});
            offset += size;
        }
        layers_[i]->bind(views);
    }
    if (optimizer_) optimizer_->build(segments, total, frozen_segments());
    built_ = true;
    max_rows_ = 0;
    outputs_.clear();
    doutputs_.clear();
}

void Sequential::ensure_built(const char* what) {
    if (built_) return;
    if (input_dim_ <= 0)
        throw ConfigError(std::string(what) + ": the model's input width is unknown; give the first layer input_dim or call build(input_dim)");
    build(input_dim_, seed_);
}

Index Sequential::count_params() const {
    Index width = input_dim_;
    Index total = 0;
    for (const auto& layer : layers_) {
        if (width > 0)
            for (const auto& s : layer->param_specs(width)) total += s.rows * s.cols;
        width = width > 0 ? layer->output_dim(width) : 0;
    }
    return total;
}

Index Sequential::count_non_trainable_params() const {
    Index total = 0;
    for (const auto& seg : frozen_segments()) total += static_cast<Index>(seg.size);
    return total;
}

std::string Sequential::summary() const {
    std::ostringstream out;
    const auto pad = [](std::string s, std::size_t w) {
        if (s.size() < w) s += std::string(w - s.size(), ' ');
        return s;
    };
    const std::string rule(65, '-');
    out << "Model: \"sequential\"\n" << std::string(65, '_') << '\n';
    out << pad(" Layer (type)", 29) << pad("Output Shape", 26) << "Param #\n";
    out << std::string(65, '=') << '\n';
    Index width = input_dim_;
    Index total = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const auto& layer = layers_[i];
        Index params = 0;
        if (width > 0)
            for (const auto& s : layer->param_specs(width)) params += s.rows * s.cols;
        width = width > 0 ? layer->output_dim(width) : 0;
        total += params;
        out << pad(" " + layer->name() + " (" + layer->type() + ")", 29)
            << pad(width > 0 ? "(None, " + std::to_string(width) + ")" : "(None, ?)", 26)
            << (input_dim_ > 0 ? std::to_string(params) : std::string("?")) << '\n';
        out << (i + 1 < layers_.size() ? std::string() : std::string(65, '=')) << (i + 1 < layers_.size() ? "\n" : "\n");
    }
    (void)rule;
    out << "Total params: " << total << '\n';
    const Index frozen = count_non_trainable_params();
    out << "Trainable params: " << total - frozen << '\n';
    out << "Non-trainable params: " << frozen << '\n' << std::string(65, '_') << '\n';
    return out.str();
}

void Sequential::reserve(Index max_rows) {
    if (max_rows <= max_rows_ && outputs_.size() == layers_.size()) return;
    max_rows_ = std::max(max_rows, max_rows_);
    outputs_.resize(layers_.size());
    Index width = input_dim_;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        width = layers_[i]->output_dim(width);
        outputs_[i].resize(max_rows_, width);
        layers_[i]->reserve(max_rows_);
    }
    // The gradient workspaces (doutputs_) are sized by compute_gradients, for training batches
    // only: predict and evaluate at batch 1024 need none.
}

void Sequential::forward(ConstMatrixRef x, Index n, bool training) {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        auto out = outputs_[i].topRows(n);
        if (i == 0) layers_[i]->forward(x.topRows(n), out, training, dropout_rng_);
        else layers_[i]->forward(outputs_[i - 1].topRows(n), out, training, dropout_rng_);
    }
}

bool Sequential::fused() const {
    const auto* act = layers_.back()->output_activation();
    return act && loss_->fuses_with(act->name());
}

// Loss of the last forward pass; with_gradient also writes dL/d(output or logits) into doutputs_.back().
double Sequential::compute_loss(ConstMatrixRef out, ConstMatrixRef y, const Scalar* w, bool with_gradient, Index n) {
    if (fused()) {
        const auto& last = *layers_.back();
        const auto input = layers_.size() > 1 ? ConstMatrixRef(outputs_[layers_.size() - 2].topRows(n)) : ConstMatrixRef(out);
        const auto z = last.preactivation(input, out);
        if (with_gradient) return loss_->fused(z, out, y, w, doutputs_.back().topRows(n));
        return loss_->fused(z, out, y, w, empty_);
    }
    if (with_gradient) return loss_->gradient(out, y, w, doutputs_.back().topRows(n));
    return loss_->value(out, y, w);
}

double Sequential::train_on_batch(ConstMatrixRef x, ConstMatrixRef y, const Scalar* w) {
    const FlushDenormals flush;  // as fit trains (core/float_mode.hpp), and Keras's train_on_batch in TensorFlow
    const double value = compute_gradients(x, y, w);
    optimizer_->step(params_, grads_);
    return value;
}

double Sequential::compute_gradients(ConstMatrixRef x, ConstMatrixRef y, const Scalar* w) {
    ensure_compiled("compute_gradients");
    if (!built_) build(resolve_input_dim(x.cols(), "compute_gradients"), seed_);
    resolve_input_dim(x.cols(), "compute_gradients");
    const Index n = x.rows();
    reserve(n);
    if (doutputs_.size() != layers_.size() || doutputs_.front().rows() < n) {
        doutputs_.resize(layers_.size());
        for (std::size_t i = 0; i < layers_.size(); ++i) doutputs_[i].resize(n, outputs_[i].cols());
    }
    last_rows_ = n;
    forward(x, n, true);
    const auto out = outputs_.back().topRows(n);
    double value = compute_loss(out, y, w, true, n);
    const GradientOf of_last = fused() ? GradientOf::preactivation : GradientOf::output;
    for (std::size_t k = layers_.size(); k-- > 0;) {
        const auto input = k == 0 ? ConstMatrixRef(x) : ConstMatrixRef(outputs_[k - 1].topRows(n));
        auto dx = k == 0 ? MatrixRef(empty_) : MatrixRef(doutputs_[k - 1].topRows(n));
        layers_[k]->backward(input, outputs_[k].topRows(n), doutputs_[k].topRows(n), dx,
                             k + 1 == layers_.size() ? of_last : GradientOf::output);
    }
    for (const auto& layer : layers_) value += layer->regularization_loss();
    return value;
}

std::vector<Matrix> Sequential::get_weights(std::size_t layer) const {
    if (layer >= layers_.size()) throw ConfigError("get_weights: no layer " + std::to_string(layer));
    if (!built_) throw ConfigError("get_weights: the model has no weights yet; call build(input_dim) or fit first");
    std::vector<Matrix> out;
    Index width = input_dim_;
    for (std::size_t i = 0; i < layer; ++i) width = layers_[i]->output_dim(width);
    std::size_t offset = layer_offsets_[layer];
    for (const auto& s : layers_[layer]->param_specs(width)) {
        out.push_back(Eigen::Map<const Matrix>(params_.data() + offset, s.rows, s.cols));
        offset += static_cast<std::size_t>(s.rows * s.cols);
    }
    return out;
}

void Sequential::set_weights(std::size_t layer, const std::vector<Matrix>& weights) {
    if (layer >= layers_.size()) throw ConfigError("set_weights: no layer " + std::to_string(layer));
    ensure_built("set_weights");
    Index width = input_dim_;
    for (std::size_t i = 0; i < layer; ++i) width = layers_[i]->output_dim(width);
    const auto specs = layers_[layer]->param_specs(width);
    if (specs.size() != weights.size())
        throw ShapeError("set_weights: layer '" + layers_[layer]->name() + "' has " + std::to_string(specs.size()) +
                         " weight arrays, received " + std::to_string(weights.size()));
    std::size_t offset = layer_offsets_[layer];
    for (std::size_t k = 0; k < specs.size(); ++k) {
        if (weights[k].rows() != specs[k].rows || weights[k].cols() != specs[k].cols)
            throw ShapeError("set_weights: " + layers_[layer]->name() + "/" + specs[k].name + " expects " +
                             shape_string(specs[k].rows, specs[k].cols) + ", received " + shape_string(weights[k]));
        Eigen::Map<Matrix>(params_.data() + offset, specs[k].rows, specs[k].cols) = weights[k];
        offset += static_cast<std::size_t>(specs[k].rows * specs[k].cols);
    }
}

std::span<Scalar> Sequential::layer_parameters(std::size_t layer) {
    return std::span<Scalar>(params_).subspan(layer_offsets_.at(layer), layer_offsets_.at(layer + 1) - layer_offsets_.at(layer));
}
std::span<Scalar> Sequential::layer_gradients(std::size_t layer) {
    return std::span<Scalar>(grads_).subspan(layer_offsets_.at(layer), layer_offsets_.at(layer + 1) - layer_offsets_.at(layer));
}

ConstMatrixRef Sequential::last_batch_output(std::size_t layer) const { return outputs_.at(layer).topRows(last_rows_); }

Loss& Sequential::loss() const {
    ensure_compiled("loss");
    return *loss_;
}
Optimizer& Sequential::optimizer() const {
    ensure_compiled("optimizer");
    return *optimizer_;
}

nlohmann::json Sequential::config() const {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& layer : layers_) layers.push_back(layer->config());
    nlohmann::json j = {{"input_dim", input_dim_}, {"layers", layers}};
    if (compiled()) {
        j["compile"] = {{"loss", loss_->name()},
                        {"from_logits", compile_options_.from_logits},
                        {"metrics", compile_options_.metrics},
                        {"optimizer", optimizer_->config()}};
        if (loss_->name() == "huber") j["compile"]["huber_delta"] = compile_options_.huber_delta;
    }
    return j;
}

}  // namespace plexus

namespace plexus {
namespace {

// The layer list of a config: {"layers": [...]} or a bare list.
const nlohmann::json& layer_list(const nlohmann::json& config) {
    const nlohmann::json* list = &config;
    if (config.is_object()) {
        if (!config.contains("layers"))
            throw ConfigError("model config: expected a \"layers\" list; fix: e.g. {\"layers\": [{\"type\": \"Dense\", \"units\": 4}]}");
        list = &config["layers"];
    }
    if (!list->is_array() || list->empty())
        throw ConfigError("model config: expected a non-empty list of layers; fix: e.g. "
                          "[{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}, {\"type\": \"Dense\", \"units\": 2, \"activation\": \"softmax\"}]");
    return *list;
}

template <typename T>
T field(const nlohmann::json& object, const char* key, T fallback, const char* where) {
    if (!object.contains(key)) return fallback;
    try {
        return object[key].get<T>();
    } catch (const nlohmann::json::exception&) {
        throw ConfigError(std::string(where) + "." + key + ": wrong type (" + object[key].type_name() + ")");
    }
}

}  // namespace

Sequential Sequential::from_config(const nlohmann::json& config) {
    const nlohmann::json& list = layer_list(config);
    Sequential model;
    for (std::size_t i = 0; i < list.size(); ++i) {
        try {
            model.add(LayerHandle(std::shared_ptr<Layer>(layer_from_config(list[i]))));
        } catch (const ConfigError& e) {
            throw ConfigError("layer " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    if (!config.is_object()) return model;
    const Index input_dim = field<Index>(config, "input_dim", 0, "model config");
    if (input_dim < 0) throw ConfigError("model config.input_dim: must be >= 0; received " + std::to_string(input_dim));
    if (input_dim > 0) model.input_dim_ = input_dim;
    if (config.contains("compile")) {
        const auto& c = config["compile"];
        if (!c.is_object()) throw ConfigError("model config.compile: expected an object");
        if (!c.contains("optimizer") || !c.contains("loss"))
            throw ConfigError("model config.compile: needs \"optimizer\" and \"loss\"");
        CompileOptions options;
        try {
            options.optimizer = optimizer_options_from_json(c["optimizer"]);
        } catch (const nlohmann::json::exception& e) {
            throw ConfigError(std::string("model config.compile.optimizer: ") + e.what());
        }
        options.loss = field<std::string>(c, "loss", "", "model config.compile");
        options.metrics = field<std::vector<std::string>>(c, "metrics", {}, "model config.compile");
        options.from_logits = field<bool>(c, "from_logits", false, "model config.compile");
        options.huber_delta = field<double>(c, "huber_delta", 1.0, "model config.compile");
        model.compile(options);
    }
    return model;
}

}  // namespace plexus
