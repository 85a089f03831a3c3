#include "plexus/model/sequential.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "plexus/callbacks/progress.hpp"
#include "plexus/core/error.hpp"
#include "plexus/doctor/doctor.hpp"

namespace plexus {

double History::last(const std::string& key) const {
    const auto it = history.find(key);
    if (it == history.end() || it->second.empty()) return std::numeric_limits<double>::quiet_NaN();
    return it->second.back();
}

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
        optimizer_->build(segments, params_.size());
    }
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
    Rng rng(Rng(seed).next_u64());  // the same stream fit derives for initialisation
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
    if (optimizer_) optimizer_->build(segments, total);
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
    out << "Trainable params: " << total << '\n';
    out << "Non-trainable params: 0\n" << std::string(65, '_') << '\n';
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

Matrix Sequential::predict(const Matrix& x, Index batch_size) {
    if (!built_) {
        if (input_dim_ <= 0) build(x.cols(), seed_);
        else ensure_built("predict");
    }
    resolve_input_dim(x.cols(), "predict");
    if (batch_size <= 0) throw ConfigError("predict: batch_size must be positive");
    Matrix result(x.rows(), output_dim());
    for (Index start = 0; start < x.rows(); start += batch_size) {
        const Index n = std::min(batch_size, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        result.middleRows(start, n) = outputs_.back().topRows(n);
    }
    return result;
}

std::vector<Matrix> Sequential::layer_outputs(const Matrix& x) {
    ensure_built("layer_outputs");
    resolve_input_dim(x.cols(), "layer_outputs");
    std::vector<Matrix> result;
    Index width = input_dim_;
    for (const auto& layer : layers_) {
        width = layer->output_dim(width);
        result.emplace_back(x.rows(), width);
    }
    const Index chunk = 1024;
    for (Index start = 0; start < x.rows(); start += chunk) {
        const Index n = std::min(chunk, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        for (std::size_t i = 0; i < layers_.size(); ++i) result[i].middleRows(start, n) = outputs_[i].topRows(n);
    }
    return result;
}

namespace {
void check_finite(const Matrix& m, const char* what) {
    if (!m.allFinite()) {
        for (Index i = 0; i < m.rows(); ++i)
            for (Index j = 0; j < m.cols(); ++j)
                if (!std::isfinite(static_cast<double>(m(i, j))))
                    throw DataError(std::string(what) + " contains NaN or Inf at row " + std::to_string(i) + ", column " +
                                    std::to_string(j) + "; remove or impute such rows before training");
    }
}
}  // namespace

Logs Sequential::evaluate(const Matrix& x, const Matrix& y, const std::vector<double>& sample_weight, Index batch_size) {
    ensure_compiled("evaluate");
    if (x.rows() != y.rows())
        throw ShapeError("evaluate: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()));
    if (!sample_weight.empty() && static_cast<Index>(sample_weight.size()) != x.rows())
        throw ShapeError("evaluate: sample_weight needs one value per row");
    ensure_built("evaluate");
    resolve_input_dim(x.cols(), "evaluate");
    loss_->check_targets(output_dim(), y);
    if (x.rows() == 0) throw DataError("evaluate: no rows to evaluate");
    MetricSet metrics(compile_options_.metrics, output_dim(), loss_->is_classification());
    std::vector<Scalar> w(sample_weight.begin(), sample_weight.end());
    double total = 0;
    for (Index start = 0; start < x.rows(); start += batch_size) {
        const Index n = std::min(batch_size, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        const auto out = outputs_.back().topRows(n);
        const Scalar* wp = w.empty() ? nullptr : w.data() + start;
        total += compute_loss(out, y.middleRows(start, n), wp, false, n) * static_cast<double>(n);
        metrics.update(out, y.middleRows(start, n), wp);
    }
    double reg = 0;
    for (const auto& layer : layers_) reg += layer->regularization_loss();
    Logs logs = metrics.result();
    logs["loss"] = total / static_cast<double>(x.rows()) + reg;
    return logs;
}

History Sequential::fit(const Matrix& x, const Matrix& y, const FitOptions& options) {
    ensure_compiled("fit");
    if (options.epochs < 0) throw ConfigError("fit: epochs must be >= 0; received " + std::to_string(options.epochs));
    if (options.batch_size <= 0)
        throw ConfigError("fit: batch_size must be a positive integer; received " + std::to_string(options.batch_size));
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("fit: validation_split must be in [0, 1); received " + std::to_string(options.validation_split));
    if (options.initial_epoch < 0 || options.initial_epoch > options.epochs)
        throw ConfigError("fit: initial_epoch must be in [0, epochs]");
    if (x.rows() != y.rows())
        throw ShapeError("fit: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()) +
                         "; give one target row per input row");
    if (x.rows() == 0) throw DataError("fit: no training rows");
    if (!options.sample_weight.empty() && static_cast<Index>(options.sample_weight.size()) != x.rows())
        throw ShapeError("fit: sample_weight has " + std::to_string(options.sample_weight.size()) + " values for " +
                         std::to_string(x.rows()) + " rows");
    check_finite(x, "fit: x");
    check_finite(y, "fit: y");
    resolve_input_dim(x.cols(), "fit");

    // One seed: derive independent streams for initialisation, split, shuffle and dropout.
    const std::uint64_t seed = options.seed.value_or(seed_);
    Rng root(seed);
    (void)root.next_u64();  // the first stream initialises the weights (see build)
    const std::uint64_t split_seed = root.next_u64(), shuffle_seed = root.next_u64(),
                        dropout_seed = root.next_u64();
    if (!built_) build(x.cols(), seed);
    seed_ = seed;
    const Index units = output_dim();
    loss_->check_targets(units, y);

    auto context = std::make_unique<FitContext>();
    context->x = &x;
    context->y = &y;
    context->options = &options;
    context->classification = loss_->is_classification();
    if (context->classification) {
        context->labels = true_classes(y, units);
        context->num_classes = units == 1 ? 2 : units;
    }
    // Row weights: sample_weight times class_weight (Keras multiplies them).
    std::vector<double> row_weight;
    if (!options.sample_weight.empty() || !options.class_weight.empty()) {
        row_weight.assign(static_cast<std::size_t>(x.rows()), 1.0);
        if (!options.sample_weight.empty()) row_weight = options.sample_weight;
        if (!options.class_weight.empty()) {
            if (!context->classification) throw ConfigError("fit: class_weight needs a classification loss");
            for (std::size_t i = 0; i < row_weight.size(); ++i) {
                const auto it = options.class_weight.find(context->labels[i]);
                if (it != options.class_weight.end()) row_weight[i] *= it->second;
            }
        }
    }

    // The split happens once, before any shuffling, so no row ever crosses between the parts.
    Split method = options.split;
    if (method == Split::automatic) method = context->classification ? Split::stratified : Split::random;
    std::vector<double> train_weight;
    if (options.validation_data) {
        const auto& [vx, vy] = *options.validation_data;
        if (vx.cols() != x.cols() || vy.cols() != y.cols() || vx.rows() != vy.rows())
            throw ShapeError("fit: validation_data has shape " + shape_string(vx) + " / " + shape_string(vy) +
                             "; expected (n, " + std::to_string(x.cols()) + ") / (n, " + std::to_string(y.cols()) + ")");
        check_finite(vx, "fit: validation_data x");
        context->x_train = x;
        context->y_train = y;
        context->x_val = vx;
        context->y_val = vy;
        for (Index i = 0; i < x.rows(); ++i) context->train_rows.push_back(i);
        context->split.method = "validation_data";
        train_weight = row_weight;
    } else {
        Rng split_rng(split_seed);
        SplitIndices parts = split_indices(x.rows(), options.validation_split, method, context->labels, split_rng);
        if (parts.train.empty())
            throw ConfigError("fit: validation_split=" + std::to_string(options.validation_split) + " leaves no training rows");
        context->x_train = take_rows(x, parts.train);
        context->y_train = take_rows(y, parts.train);
        context->x_val = take_rows(x, parts.validation);
        context->y_val = take_rows(y, parts.validation);
        context->train_rows = parts.train;
        context->validation_rows = parts.validation;
        context->split.method = options.validation_split > 0 ? to_string(method) : "none";
        for (const Index i : parts.train)
            if (!row_weight.empty()) train_weight.push_back(row_weight[static_cast<std::size_t>(i)]);
    }
    context->split.train_indices = context->train_rows;
    context->split.validation_indices = context->validation_rows;
    context->split.train_rows = context->x_train.rows();
    context->split.validation_rows = context->x_val.rows();
    if (context->classification) {
        const auto count = [&](const Matrix& part) {
            std::vector<Index> counts(static_cast<std::size_t>(context->num_classes), 0);
            for (int c : true_classes(part, units))
                if (c >= 0 && c < context->num_classes) ++counts[static_cast<std::size_t>(c)];
            return counts;
        };
        context->split.train_class_counts = count(context->y_train);
        context->split.validation_class_counts = count(context->y_val);
    }

    History history;
    history.split = context->split;
    history.seed = seed;
    history_ = &history;
    context_ = std::move(context);
    const FitContext& ctx = *context_;
    stop_training = false;
    dropout_rng_.reseed(dropout_seed);
    Rng shuffle_rng(shuffle_seed);

    std::vector<CallbackPtr> callbacks;
    if (options.doctor)
        callbacks.push_back(make_doctor({.feature_names = options.feature_names, .class_names = options.class_names}));
    if (options.verbose > 0 && options.progress)
        callbacks.push_back(std::make_shared<ProgressLogger>(options.progress, options.verbose));
    callbacks.insert(callbacks.end(), options.callbacks.begin(), options.callbacks.end());

    const Index n = ctx.x_train.rows();
    const Index batch = std::min(options.batch_size, n);
    reserve(batch);
    Matrix xb(batch, x.cols()), yb(batch, y.cols());
    const Index x_cols = x.cols(), y_cols = y.cols();
    Logs batch_logs;
    std::vector<Scalar> wb(train_weight.empty() ? 0 : static_cast<std::size_t>(batch));
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    const bool has_val = ctx.x_val.rows() > 0;

    const auto start_time = std::chrono::steady_clock::now();
    for (auto& cb : callbacks) cb->on_train_begin(*this);
    for (int epoch = options.initial_epoch; epoch < options.epochs && !stop_training; ++epoch) {
        for (auto& cb : callbacks) cb->on_epoch_begin(*this, epoch);
        if (options.shuffle) shuffle_rng.shuffle(order);
        train_metrics_.reset();
        double loss_sum = 0;
        int batch_index = 0;
        for (Index start = 0; start < n; start += batch, ++batch_index) {
            const Index rows = std::min(batch, n - start);
            // Gather the batch's rows (plain copies: Eigen's per-row assignment costs more than the
            // copy itself for the seed's 2-wide rows).
            for (Index k = 0; k < rows; ++k) {
                const Index r = order[static_cast<std::size_t>(start + k)];
                std::copy_n(ctx.x_train.data() + r * x_cols, x_cols, xb.data() + k * x_cols);
                std::copy_n(ctx.y_train.data() + r * y_cols, y_cols, yb.data() + k * y_cols);
                if (!wb.empty()) wb[static_cast<std::size_t>(k)] = static_cast<Scalar>(train_weight[static_cast<std::size_t>(r)]);
            }
            const Scalar* wp = wb.empty() ? nullptr : wb.data();
            const double batch_loss = train_on_batch(xb.topRows(rows), yb.topRows(rows), wp);
            loss_sum += batch_loss * static_cast<double>(rows);
            train_metrics_.update(outputs_.back().topRows(rows), yb.topRows(rows), wp);
            if (!callbacks.empty()) {
                // One map for the whole fit: its nodes are reused, so a batch allocates nothing here.
                train_metrics_.result_into(batch_logs);
                batch_logs["loss"] = loss_sum / static_cast<double>(start + rows);
                batch_logs["batch_loss"] = batch_loss;
                batch_logs["size"] = static_cast<double>(rows);
                for (auto& cb : callbacks) cb->on_train_batch_end(*this, batch_index, batch_logs);
            }
        }
        Logs logs = train_metrics_.result();
        logs["loss"] = loss_sum / static_cast<double>(n);
        if (has_val) {
            const Logs val = evaluate(ctx.x_val, ctx.y_val, {}, 256);
            for (const auto& [k, v] : val) logs["val_" + k] = v;
        }
        for (auto& cb : callbacks) cb->on_epoch_end(*this, epoch, logs);
        history.epoch.push_back(epoch);
        for (const auto& [k, v] : logs) history.history[k].push_back(v);
    }
    history.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
    for (auto& cb : callbacks) cb->on_train_end(*this);
    history_ = nullptr;
    context_.reset();
    return history;
}

void Sequential::add_finding(Finding finding) {
    if (history_) history_->findings.push_back(std::move(finding));
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
