// Keras training configs to CompileOptions: the optimizer (class and
// hyperparameters under Keras 1/2/3 and TensorFlow.js names), the loss and
// the metrics. Prediction never depends on these, so what cannot be mapped is
// reported in notes, not refused.
#include <cctype>

#include "plexus/interop/keras_config.hpp"

namespace plexus::interop {
namespace {

using json = nlohmann::json;

// Lower case without '_' : "meanSquaredError", "mean_squared_error" and "MeanSquaredError" compare equal.
std::string key_of(const std::string& s) {
    std::string k;
    for (char ch : s)
        if (ch != '_') k += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return k;
}

std::optional<double> number(const json& config, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        if (!config.contains(n)) continue;
        const json& v = config[n];
        if (v.is_number()) return v.get<double>();
        if (v.is_object() && v.contains("config") && v["config"].contains("initial_learning_rate"))  // a schedule
            return v["config"]["initial_learning_rate"].get<double>();
    }
    return std::nullopt;
}

void read_optimizer(const json& spec, CompileOptions& out, std::vector<std::string>& notes) {
    const std::string cls = spec.is_string() ? spec.get<std::string>() : spec.value("class_name", std::string());
    const json cfg = spec.is_object() ? spec.value("config", json::object()) : json::object();
    const std::string k = key_of(cls);
    std::string name;
    for (const char* known : {"sgd", "adam", "adamw", "rmsprop", "adagrad"})
        if (k == known) name = known;
    if (name.empty()) {
        notes.push_back("optimizer " + cls + " has no Plexus equivalent; rmsprop (Keras's default) is used");
        return;
    }
    OptimizerOptions& o = out.optimizer;
    o.name = name;
    if (auto v = number(cfg, {"learning_rate", "lr", "learningRate"})) o.learning_rate = *v;
    if (auto v = number(cfg, {"momentum"})) o.momentum = *v;
    if (cfg.contains("nesterov") && cfg["nesterov"].is_boolean()) o.nesterov = cfg["nesterov"].get<bool>();
    if (cfg.contains("useNesterov") && cfg["useNesterov"].is_boolean()) o.nesterov = cfg["useNesterov"].get<bool>();
    if (auto v = number(cfg, {"beta_1", "beta1"})) o.beta_1 = *v;
    if (auto v = number(cfg, {"beta_2", "beta2"})) o.beta_2 = *v;
    if (auto v = number(cfg, {"epsilon"})) o.epsilon = *v;
    if (auto v = number(cfg, {"rho", "decay_rate"}); v && name == "rmsprop") o.rho = *v;
    if (auto v = number(cfg, {"weight_decay"}); v && name == "adamw") o.weight_decay = *v;
    if (auto v = number(cfg, {"initial_accumulator_value", "initialAccumulatorValue"})) o.initial_accumulator_value = *v;
    if (auto v = number(cfg, {"clipnorm"})) o.clipnorm = *v;
    if (auto v = number(cfg, {"clipvalue"})) o.clipvalue = *v;
    if (auto v = number(cfg, {"global_clipnorm"})) o.global_clipnorm = *v;
    if (auto v = number(cfg, {"decay"}); v && *v != 0.0) notes.push_back("the optimizer's learning-rate decay is ignored");
}

void read_loss(const json& spec, CompileOptions& out, std::vector<std::string>& notes) {
    const std::string cls = spec.is_string() ? spec.get<std::string>() : spec.is_object() ? spec.value("class_name", std::string()) : "";
    const json cfg = spec.is_object() ? spec.value("config", json::object()) : json::object();
    const std::string k = key_of(cls);
    const std::pair<const char*, const char*> names[] = {
        {"mse", "mse"}, {"meansquarederror", "mse"}, {"mae", "mae"}, {"meanabsoluteerror", "mae"},
        {"categoricalcrossentropy", "categorical_crossentropy"}, {"sparsecategoricalcrossentropy", "sparse_categorical_crossentropy"},
        {"binarycrossentropy", "binary_crossentropy"}, {"huber", "huber"}, {"huberloss", "huber"}};
    for (const auto& [key, plexus] : names)
        if (k == key) {
            out.loss = plexus;
            if (cfg.contains("from_logits") && cfg["from_logits"].is_boolean()) out.from_logits = cfg["from_logits"].get<bool>();
            if (auto d = number(cfg, {"delta"})) out.huber_delta = *d;
            return;
        }
    notes.push_back("loss " + (cls.empty() ? spec.dump() : cls) + " has no Plexus equivalent; pass --loss");
}

}  // namespace

std::optional<CompileOptions> parse_keras_training(const json& config, std::vector<std::string>& notes) {
    if (!config.is_object()) return std::nullopt;
    CompileOptions out;
    out.optimizer.name = "rmsprop";
    if (const char* key = config.contains("optimizer_config") ? "optimizer_config" : config.contains("optimizer") ? "optimizer" : nullptr)
        read_optimizer(config[key], out, notes);
    if (config.contains("loss")) read_loss(config["loss"], out, notes);
    if (config.contains("metrics") && config["metrics"].is_array()) {
        for (const json& m : config["metrics"]) {
            const std::string name = m.is_string() ? m.get<std::string>() : m.is_object() ? m.value("class_name", std::string()) : "";
            const std::string k = key_of(name);
            if (k == "accuracy" || k == "acc") out.metrics.push_back("accuracy");
            else if (k == "mae" || k == "meanabsoluteerror") out.metrics.push_back("mae");
            else if (k == "mse" || k == "meansquarederror") out.metrics.push_back("mse");
            else notes.push_back("metric " + m.dump() + " is not mapped");
        }
    }
    return out;
}

}  // namespace plexus::interop
