// Keras layer configs to Plexus layer configs. The three generations differ in
// field names (Keras 1: output_dim/bias/p; TensorFlow.js: camelCase and
// batchInputShape; Keras 3: batch_shape and DTypePolicy objects) and in how a
// model lists its layers; the functions below accept all of them.
#include "plexus/interop/keras_config.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "plexus/core/error.hpp"
#include "plexus/layers/layer.hpp"

namespace plexus::interop {
namespace {

using json = nlohmann::json;

constexpr const char* kSupportedLayers =
    "supported: InputLayer, Dense, Activation, Dropout, LeakyReLU, ReLU, ELU, Softmax, BatchNormalization, "
    "LayerNormalization, GaussianNoise, Flatten of a 1-D input";
constexpr Index kMaxParameters = Index{1} << 28;  // 1 GiB of float32: far beyond any dense model Plexus trains

// The first of several spellings of a field (Keras 2 name, Keras 1 or TensorFlow.js name).
const json* field(const json& config, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (config.contains(n) && !config[n].is_null()) return &config[n];
    return nullptr;
}

struct Context {
    std::string where;
    std::string layer_name, layer_class;
    [[noreturn]] void refuse(const std::string& what) const {
        throw ConfigError(where + ": layer '" + layer_name + "' (class " + layer_class + "): " + what);
    }
};

std::string dtype_name(const json& dtype) {
    if (dtype.is_string()) return dtype.get<std::string>();
    if (dtype.is_object() && dtype.contains("config") && dtype["config"].is_object()) return dtype["config"].value("name", "float32");
    return "float32";
}

// The feature width from a batch shape [null, d]; refuses inputs that are not flat vectors.
Index width_from_shape(const json& shape, bool with_batch, const Context& c) {
    if (!shape.is_array()) c.refuse("its input shape " + shape.dump() + " is not a list");
    const std::size_t rank = shape.size() - (with_batch ? 1 : 0);
    if (shape.size() < (with_batch ? 2u : 1u) || rank != 1 || !shape.back().is_number_integer() || shape.back().get<long long>() <= 0)
        c.refuse("input shape " + shape.dump() + ": Plexus models take flat feature vectors (batch, features); " +
                 "fix: flatten the inputs before the model");
    return shape.back().get<Index>();
}

// The declared input width of a layer config, or 0.
Index declared_width(const json& config, const Context& c) {
    if (const json* s = field(config, {"batch_input_shape", "batch_shape", "batchInputShape"})) return width_from_shape(*s, true, c);
    if (const json* s = field(config, {"input_shape", "inputShape"})) return width_from_shape(*s, false, c);
    if (const json* d = field(config, {"input_dim", "inputDim"})) return d->get<Index>();
    return 0;
}

std::string activation_of(const json& config, const Context& c) {
    const json* a = field(config, {"activation"});
    if (!a) return "linear";
    if (!a->is_string()) c.refuse("activation " + a->dump() + " is a custom object; fix: use a built-in activation by name");
    const auto mapped = plexus_activation(a->get<std::string>());
    if (!mapped)
        c.refuse("unsupported activation '" + a->get<std::string>() +
                 "'; supported: linear, tanh, sigmoid, relu, leaky_relu, elu, selu, gelu, softplus, swish/silu, softmax");
    return *mapped;
}

std::string initializer_of(const json* init, const char* fallback, std::vector<std::string>& notes, const Context& c) {
    if (!init) return fallback;
    const std::string cls = init->is_string() ? init->get<std::string>() : init->value("class_name", std::string());
    const json cfg = init->is_object() ? init->value("config", json::object()) : json::object();
    std::string name = snake_case(cls);
    if (name == "variance_scaling") {
        const double scale = cfg.value("scale", 1.0);
        const std::string mode = cfg.value("mode", "fan_in"), dist = cfg.value("distribution", "truncated_normal");
        const bool uniform = dist == "uniform";
        if (scale == 1.0 && mode == "fan_avg") name = uniform ? "glorot_uniform" : "glorot_normal";
        else if (scale == 2.0 && mode == "fan_in") name = uniform ? "he_uniform" : "he_normal";
        else if (scale == 1.0 && mode == "fan_in" && !uniform) name = "lecun_normal";
    }
    for (const auto& known : {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_normal", "zeros", "ones"})
        if (name == known) return name;
    notes.push_back("layer '" + c.layer_name + "': initializer " + cls + " has no Plexus equivalent; " + fallback + " is used for fresh weights");
    return fallback;
}

json dense_config(const json& config, KerasLayer& out, std::vector<std::string>& notes, const Context& c) {
    const json* units = field(config, {"units", "output_dim"});
    if (!units || !units->is_number_integer() || units->get<long long>() <= 0 || units->get<long long>() > kMaxParameters)
        c.refuse("needs a positive integer 'units' (Keras 1: 'output_dim') of at most " + std::to_string(kMaxParameters) + "; received " + (units ? units->dump() : std::string("nothing")));
    out.units = units->get<Index>();
    const json* bias = field(config, {"use_bias", "bias", "useBias"});
    out.use_bias = bias ? bias->get<bool>() : true;
    json j = {{"type", "Dense"},
              {"units", out.units},
              {"activation", activation_of(config, c)},
              {"use_bias", out.use_bias},
              {"kernel_initializer", initializer_of(field(config, {"kernel_initializer", "kernelInitializer", "init"}), "glorot_uniform", notes, c)},
              {"bias_initializer", initializer_of(field(config, {"bias_initializer", "biasInitializer"}), "zeros", notes, c)}};
    if (const json* r = field(config, {"kernel_regularizer", "kernelRegularizer", "W_regularizer"}); r && r->is_object()) {
        const json rc = r->value("config", *r);
        j["kernel_regularizer"] = {{"l1", rc.value("l1", 0.0)}, {"l2", rc.value("l2", 0.0)}};
    }
    for (const char* ignored : {"bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"})
        if (config.contains(ignored) && !config[ignored].is_null())
            notes.push_back("layer '" + c.layer_name + "': " + ignored + " is ignored (Plexus has none)");
    return j;
}

json activation_config(const std::string& activation, double slope = kDefaultLeakyReluSlope) {
    json j = {{"type", "Activation"}, {"activation", activation}};
    if (activation == "leaky_relu") j["negative_slope"] = slope;
    return j;
}

// Refuses a normalization over anything but the features. Keras 2 stores the
// built axis as a list with negatives resolved ([1] for (batch, features) inputs).
void require_feature_axis(const json& config, const Context& c) {
    const json* axis = field(config, {"axis"});
    if (!axis) return;
    const json& a = axis->is_array() && axis->size() == 1 ? (*axis)[0] : *axis;
    if (!(a.is_number_integer() && (a.get<long long>() == -1 || a.get<long long>() == 1)))
        c.refuse("normalization over axis " + axis->dump() + ": Plexus models take (batch, features) inputs and normalize over " +
                 "the features only (axis -1); fix: use axis=-1");
}

bool flag(const json& config, const char* name, bool fallback) {
    const json* f = field(config, {name});
    return f ? f->get<bool>() : fallback;
}

// BatchNormalization (Keras 1 mode 0, Keras 2/3, tfjs) and LayerNormalization.
json normalization_config(const json& config, std::vector<std::string>& notes, const Context& c) {
    require_feature_axis(config, c);
    const bool batch = c.layer_class == "BatchNormalization";
    json j = {{"type", c.layer_class},
              {"epsilon", field(config, {"epsilon"}) ? config["epsilon"].get<double>() : 1e-3},
              {"center", flag(config, "center", true)},
              {"scale", flag(config, "scale", true)}};
    if (batch) {
        if (const json* mode = field(config, {"mode"}); mode && mode->get<int>() != 0)
            c.refuse("Keras 1 mode " + mode->dump() + " is not supported (only mode 0, feature-wise with moving statistics)");
        if (flag(config, "renorm", false)) c.refuse("renorm=True is not supported; fix: train with renorm=False");
        if (const json* v = field(config, {"virtual_batch_size"}))
            c.refuse("virtual_batch_size " + v->dump() + " is not supported; fix: train without virtual batches");
        j["momentum"] = field(config, {"momentum"}) ? config["momentum"].get<double>() : 0.99;
    } else if (flag(config, "rms_scaling", false)) {
        c.refuse("rms_scaling=True (RMS normalization) is not supported; fix: use rms_scaling=False");
    }
    for (const char* ignored : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"})
        if (config.contains(ignored) && !config[ignored].is_null())
            notes.push_back("layer '" + c.layer_name + "': " + ignored + " is ignored (Plexus has none)");
    return j;
}

// The Plexus config of one Keras layer; null for layers that compute nothing (InputLayer, Flatten).
json plexus_layer(const json& config, KerasLayer& out, Index width, std::vector<std::string>& notes, const Context& c) {
    const std::string& cls = c.layer_class;
    if (cls == "Dense") return dense_config(config, out, notes, c);
    if (cls == "Activation") return activation_config(activation_of(config, c));
    if (cls == "Dropout") {
        const json* rate = field(config, {"rate", "p"});
        return {{"type", "Dropout"}, {"rate", rate ? rate->get<double>() : 0.5}};
    }
    if (cls == "LeakyReLU") {
        const json* slope = field(config, {"negative_slope", "alpha"});
        return activation_config("leaky_relu", slope ? slope->get<double>() : 0.3);
    }
    if (cls == "ReLU") {
        const json* max_value = field(config, {"max_value", "maxValue"});
        const json* threshold = field(config, {"threshold"});
        if (max_value || (threshold && threshold->get<double>() != 0.0))
            c.refuse("max_value and threshold are not supported; fix: use ReLU() or LeakyReLU(negative_slope)");
        const json* slope = field(config, {"negative_slope"});
        const double s = slope ? slope->get<double>() : 0.0;
        return s == 0.0 ? activation_config("relu") : activation_config("leaky_relu", s);
    }
    if (cls == "ELU") {
        const json* alpha = field(config, {"alpha"});
        if (alpha && alpha->get<double>() != 1.0) c.refuse("alpha " + alpha->dump() + " is not supported (Plexus's elu has alpha 1)");
        return activation_config("elu");
    }
    if (cls == "Softmax") {
        const json* axis = field(config, {"axis"});
        if (axis && !(axis->is_number_integer() && (axis->get<int>() == -1 || axis->get<int>() == 1)))
            c.refuse("softmax over axis " + axis->dump() + ": Plexus applies softmax over the features (axis -1)");
        return activation_config("softmax");
    }
    if (cls == "BatchNormalization" || cls == "LayerNormalization") return normalization_config(config, notes, c);
    if (cls == "GaussianNoise") {
        const json* stddev = field(config, {"stddev"});
        if (!stddev || !stddev->is_number() || !(stddev->get<double>() >= 0)) c.refuse("needs a number 'stddev' >= 0; received " + (stddev ? stddev->dump() : std::string("nothing")));
        return {{"type", "GaussianNoise"}, {"stddev", stddev->get<double>()}};
    }
    if (cls == "Flatten") {
        if (width == 0) c.refuse("Flatten is supported only after a 1-D input of known width");
        return nullptr;
    }
    c.refuse(std::string("this layer type is not supported; ") + kSupportedLayers);
}

// Names of the layers feeding a functional layer, from any generation's inbound_nodes.
void inbound_names(const json& node, std::set<std::string>& names) {
    if (node.is_object()) {
        if (node.contains("keras_history") && node["keras_history"].is_array() && !node["keras_history"].empty())
            names.insert(node["keras_history"][0].get<std::string>());
        else
            for (const auto& [k, v] : node.items()) inbound_names(v, names);
    } else if (node.is_array()) {
        if (node.size() >= 3 && node[0].is_string() && node[1].is_number() && node[2].is_number()) names.insert(node[0].get<std::string>());
        else
            for (const auto& v : node) inbound_names(v, names);
    }
}

// A functional model's layers, checked to be one chain input -> ... -> output.
json chain_layers(const json& config, const std::string& where) {
    const json& layers = config.at("layers");
    auto single_name = [&](const char* key) {
        std::set<std::string> names;
        if (config.contains(key)) inbound_names(config[key], names);
        if (names.size() != 1)
            throw ConfigError(where + ": the model has " + std::to_string(names.size()) + " " + key +
                              "; Plexus imports models with one input and one output (Sequential, or a functional single chain)");
        return *names.begin();
    };
    const std::string input = single_name("input_layers"), output = single_name("output_layers");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const json& l = layers[i];
        const std::string name = l.value("name", l.contains("config") ? l["config"].value("name", std::string()) : std::string());
        std::set<std::string> from;
        if (l.contains("inbound_nodes")) inbound_names(l["inbound_nodes"], from);
        const std::size_t calls = l.contains("inbound_nodes") && l["inbound_nodes"].is_array() ? l["inbound_nodes"].size() : 0;
        const std::string previous = i == 0 ? "" : layers[i - 1].value("name", std::string());
        const bool ok = i == 0 ? (name == input && from.empty()) : (calls == 1 && from.size() == 1 && *from.begin() == previous);
        if (!ok)
            throw ConfigError(where + ": layer '" + name + "' (class " + l.value("class_name", std::string("?")) +
                              ") is not fed by the layer before it alone: the model is a branching graph (or shares layers); " +
                              "Plexus imports Sequential models and functional models that are a single chain");
    }
    if (layers.empty() || layers.back().value("name", std::string()) != output)
        throw ConfigError(where + ": the model's output '" + output + "' is not its last layer; Plexus imports single chains only");
    return layers;
}

}  // namespace

std::vector<std::string> KerasLayer::weight_names() const {
    if (keras_class == "Dense") return use_bias ? std::vector<std::string>{"kernel", "bias"} : std::vector<std::string>{"kernel"};
    std::vector<std::string> names;
    if (keras_class != "BatchNormalization" && keras_class != "LayerNormalization") return names;
    if (plexus_config.value("scale", true)) names.push_back("gamma");
    if (plexus_config.value("center", true)) names.push_back("beta");
    if (keras_class == "BatchNormalization") names.insert(names.end(), {"moving_mean", "moving_variance"});
    return names;
}

std::string snake_case(const std::string& name) {
    std::string s = std::regex_replace(name, std::regex(R"(\W+)"), "");
    s = std::regex_replace(s, std::regex("(.)([A-Z][a-z]+)"), "$1_$2");
    s = std::regex_replace(s, std::regex("([a-z])([A-Z])"), "$1_$2");
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

std::optional<std::string> plexus_activation(const std::string& keras_name) {
    std::string key;
    for (char ch : keras_name)
        if (ch != '_') key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (key.empty() || key == "none") return "linear";
    for (const char* same : {"linear", "tanh", "sigmoid", "relu", "elu", "selu", "gelu", "softplus", "softmax", "swish"})
        if (key == same) return std::string(same);
    if (key == "silu") return "swish";
    if (key == "leakyrelu") return "leaky_relu";
    return std::nullopt;
}

KerasArchitecture parse_keras_model(const json& model_config, const std::string& where) {
    if (!model_config.is_object() || !model_config.contains("class_name") || !model_config.contains("config"))
        throw ConfigError(where + ": the model config has no class_name/config; fix: save the whole model with Keras (model.save)");
    const std::string cls = model_config["class_name"].get<std::string>();
    const json& config = model_config["config"];
    json layers;
    if (cls == "Sequential") layers = config.is_array() ? config : config.at("layers");
    else if (cls == "Model" || cls == "Functional") layers = chain_layers(config, where);
    else
        throw ConfigError(where + ": model class '" + cls + "' is a custom or subclassed model; Plexus imports Sequential models " +
                          "and functional models (Model/Functional) that are a single chain");
    KerasArchitecture arch;
    Index width = 0, params = 0;
    for (const json& entry : layers) {
        Context c{where, "?", entry.value("class_name", std::string("?"))};
        const json& lc = entry.contains("config") ? entry["config"] : json::object();
        c.layer_name = lc.value("name", entry.value("name", std::string("?")));
        if (entry.contains("module") && entry["module"].is_string() && entry["module"].get<std::string>().rfind("keras", 0) != 0)
            c.refuse("a custom layer (module " + entry["module"].get<std::string>() + "); " + kSupportedLayers);
        if (const std::string dtype = dtype_name(lc.value("dtype", json("float32"))); dtype != "float32" && dtype != "float64")
            c.refuse("dtype " + dtype + " is not supported; fix: save the model with float32 layers");
        arch.all_classes.push_back(c.layer_class);
        if (const Index declared = declared_width(lc, c); declared > 0 && width == 0 && arch.layers.empty()) width = arch.input_dim = declared;
        if (c.layer_class == "InputLayer") continue;
        KerasLayer layer{c.layer_class, c.layer_name, nullptr};
        layer.position = arch.all_classes.size() - 1;
        json pc = plexus_layer(lc, layer, width, arch.notes, c);
        if (pc.is_null()) continue;
        pc["name"] = c.layer_name;
        if (layer.units > 0) {
            if (width > 0) params += (width + 1) * layer.units;
            if (params > kMaxParameters) c.refuse("the model declares more than " + std::to_string(kMaxParameters) + " parameters");
            width = layer.units;
        }
        layer.plexus_config = std::move(pc);
        arch.layers.push_back(std::move(layer));
    }
    if (arch.layers.empty()) throw ConfigError(where + ": the model has no layers Plexus can use (" + kSupportedLayers + ")");
    return arch;
}

Sequential make_sequential(const KerasArchitecture& architecture) {
    Sequential model;
    for (std::size_t i = 0; i < architecture.layers.size(); ++i) {
        json config = architecture.layers[i].plexus_config;
        if (i == 0 && architecture.input_dim > 0 && config["type"] == "Dense") config["input_dim"] = architecture.input_dim;
        model.add(LayerHandle(std::shared_ptr<Layer>(layer_from_config(config))));
    }
    return model;
}

}  // namespace plexus::interop
