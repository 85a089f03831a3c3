// The recipe; see recipe.hpp.
#include "plexus/run/recipe.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "plexus/core/registry.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/interop/keras_import.hpp"
#include "plexus/io/model_spec.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/losses/loss.hpp"

namespace plexus::run {
using json = nlohmann::json;

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The hidden layers and the output layer from the flags.
void add_layers(Sequential& model, const ModelConfig& m, const Dataset& data) {
    const bool classification = data.is_classification();
    const Index d = data.features();
    const std::string out_act = m.output.empty() ? (classification ? "softmax" : "linear") : m.output;
    const Index units = classification ? (out_act == "sigmoid" && data.num_classes() == 2 ? 1 : data.num_classes()) : data.y.cols();
    bool first = true;
    for (const Index w : parse_layers(m.layers)) {
        model.add(Dense({.units = w, .activation = m.activation, .input_dim = first ? d : 0}));
        first = false;
    }
    model.add(Dense({.units = units, .activation = out_act, .input_dim = first ? d : 0}));
}

void check_outputs(const Sequential& model, const ModelConfig& m, const Dataset& data) {
    const Index units = model.output_dim();
    if (data.is_classification()) {
        const Index k = data.num_classes();
        if (!(units == k || (units == 1 && k == 2)))
            throw UsageError(fmt::format("{}: the model has {} output units but {} has {} classes ({}); fix: make the last layer {} units{}",
                                         m.model_spec.empty() ? "--output" : "--model-spec " + m.model_spec, units, data.source, k,
                                         join(data.class_names), k, k == 2 ? " (or 1 sigmoid unit)" : ""));
    } else if (units != data.y.cols()) {
        throw UsageError(fmt::format("--model-spec {}: the model has {} output units but {} has {} target column(s); fix: make the last "
                                     "layer {} units with a linear activation",
                                     m.model_spec, units, data.source, data.y.cols(), data.y.cols()));
    }
}

}  // namespace

std::vector<Index> parse_layers(const std::string& s) {
    std::vector<Index> widths;
    if (trim(s).empty() || trim(s) == "none") return widths;
    std::size_t start = 0;
    while (true) {
        const auto end = s.find(',', start);
        const std::string item = trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        Index v = 0;
        const auto res = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || res.ec != std::errc() || res.ptr != item.data() + item.size() || v <= 0 || v > 1'000'000)
            throw UsageError("--layers " + s + ": '" + item +
                             "' is not a layer width; fix: give comma-separated positive integers, e.g. --layers 16,16 (or --layers none)");
        widths.push_back(v);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return widths;
}


// A Keras-like list of layer configs: [{"type": "Dense", "units": 4, ...}, ...] or {"layers": [...]}.
Sequential model_from_spec(const std::string& path, const ModelLimits& limits) {
    // A Keras model file or config (.h5, .keras, model.json): its architecture, fresh weights.
    if (interop::is_keras_model(path)) return interop::keras_architecture(path);
    const std::string text = read_file_bytes(path);
    // Bounded parsing (size, depth, numbers in range) and checked layer configs
    // with caps (io/model_spec.hpp): a spec is untrusted input.
    try {
        return model_from_spec_text(text, "--model-spec " + path, limits);
    } catch (const ConfigError& e) {
        throw UsageError(std::string(e.what()) + (std::string_view(e.what()).find("fix:") == std::string_view::npos
                                                      ? "; fix: write a list of layers such as [{\"type\": \"Dense\", "
                                                        "\"units\": 4, \"activation\": \"tanh\"}, ...]"
                                                      : ""));
    }
}

// The activation the model ends with ("" if none).
std::string output_activation(const Sequential& model) {
    for (auto it = model.layers().rbegin(); it != model.layers().rend(); ++it)
        if (const auto* a = (*it)->output_activation()) return a->name();
    return "";
}

Sequential build_model(ModelConfig& m, const Dataset& data, std::uint64_t seed) {
    Sequential model;
    const Index d = data.features();
    const bool classification = data.is_classification();
    if (!m.model_spec.empty()) {
        model = model_from_spec(m.model_spec, m.limits);
        const Index declared = model.layers().front()->declared_input_dim();
        if (declared > 0 && declared != d)
            throw UsageError(fmt::format("--model-spec {}: the first layer declares input_dim {} but {} has {} features; fix: set "
                                         "input_dim to {} or remove it",
                                         m.model_spec, declared, data.source, d, d));
    } else {
        add_layers(model, m, data);
    }
    try {  // the input's width, every layer's and the parameter count, before any weight exists
        check_model_limits(model, d, m.limits, m.model_spec.empty() ? "--layers " + m.layers : "--model-spec " + m.model_spec);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    const std::string out_act = output_activation(model);
    check_outputs(model, m, data);
    // Loss and metrics from the task unless given.
    std::string loss = m.loss;
    bool from_logits = m.from_logits;
    if (loss.empty()) {
        if (!classification) {
            loss = "mse";
        } else if (out_act == "sigmoid") {
            loss = "binary_crossentropy";
        } else {
            loss = "sparse_categorical_crossentropy";
            if (out_act == "linear" || out_act.empty()) from_logits = true;
        }
    }
    const bool cls_loss = make_loss({.name = loss})->is_classification();
    std::vector<std::string> metrics = split_list(m.metrics);
    if (metrics.empty()) metrics = cls_loss ? std::vector<std::string>{"accuracy"} : std::vector<std::string>{"mae"};
    OptimizerOptions opt{.name = m.optimizer, .learning_rate = m.lr, .momentum = m.momentum,
                         .nesterov = m.nesterov, .clipnorm = m.clipnorm, .clipvalue = m.clipvalue};
    try {
        model.compile({.optimizer = opt, .loss = loss, .metrics = metrics, .from_logits = from_logits, .seed = seed});
    } catch (const ConfigError& e) {
        throw UsageError(std::string("model options (--loss/--optimizer/--metrics): ") + e.what());
    }
    m.loss = loss;
    m.from_logits = from_logits;
    m.metrics = join(metrics, ",");
    if (m.output.empty() && m.model_spec.empty()) m.output = out_act;
    return model;
}

std::vector<Index> count_classes(const Dataset& data, const RowList& rows) {
    std::vector<Index> counts(static_cast<std::size_t>(data.num_classes()), 0);
    for (Index r : rows) ++counts[static_cast<std::size_t>(data.label(r))];
    return counts;
}

// --class-weight: "balanced" (n / (k * count) over the training rows, as
// sklearn and Keras users compute it) or "name:weight,..." by class name.
std::map<int, double> class_weights(const std::string& spec, const Dataset& data, const RowList& train_rows) {
    std::map<int, double> weights;
    if (spec.empty() || spec == "none") return weights;
    if (!data.is_classification())
        throw UsageError("--class-weight " + spec + ": applies to classification only, and " + data.source + " is a regression dataset; fix: drop it");
    if (spec == "balanced") {
        const std::vector<Index> counts = count_classes(data, train_rows);
        const auto k = static_cast<double>(counts.size());
        for (std::size_t c = 0; c < counts.size(); ++c)
            if (counts[c] > 0) weights[static_cast<int>(c)] = static_cast<double>(train_rows.size()) / (k * static_cast<double>(counts[c]));
        return weights;
    }
    for (const auto& item : split_list(spec)) {
        const auto colon = item.rfind(':');
        const std::string name = colon == std::string::npos ? "" : trim(item.substr(0, colon));
        const std::string value = colon == std::string::npos ? "" : trim(item.substr(colon + 1));
        double w = 0;
        const auto res = std::from_chars(value.data(), value.data() + value.size(), w);
        const auto it = std::find(data.class_names.begin(), data.class_names.end(), name);
        if (value.empty() || res.ec != std::errc() || res.ptr != value.data() + value.size() || !(w >= 0) || !std::isfinite(w) ||
            it == data.class_names.end())
            throw UsageError("--class-weight " + spec + ": '" + item + "' is not CLASS:WEIGHT with one of the classes (" + join(data.class_names) +
                             ") and a weight >= 0; fix: e.g. --class-weight balanced, or --class-weight " + data.class_names.front() + ":1," +
                             data.class_names.back() + ":3");
        weights[static_cast<int>(it - data.class_names.begin())] = w;
    }
    return weights;
}

}  // namespace plexus::run
