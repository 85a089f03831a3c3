// The run configuration; see config.hpp.
#include "plexus/run/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "plexus/activations/activation.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/losses/loss.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/model/split.hpp"
#include "plexus/optimizers/optimizer.hpp"
#include "plexus/run/recipe.hpp"

namespace plexus::run {
namespace fs = std::filesystem;
using json = nlohmann::json;

nlohmann::json to_json(const DataConfig& a) {
    nlohmann::json j = {{"data", a.data}, {"labels", a.labels}, {"target", a.target}, {"task", a.task}};
    j["samples"] = a.samples ? nlohmann::json(*a.samples) : nlohmann::json();
    j["noise"] = a.noise ? nlohmann::json(*a.noise) : nlohmann::json();
    j["classes"] = a.classes ? nlohmann::json(*a.classes) : nlohmann::json();
    if (to_json(a.preprocess) != to_json(PreprocessOptions{})) j["preprocess"] = to_json(a.preprocess);  // only when set
    return j;
}

DataConfig data_config_from_json(const nlohmann::json& j) {
    DataConfig a;
    a.data = j.value("data", std::string());
    a.labels = j.value("labels", std::string());
    a.target = j.value("target", std::string());
    a.task = j.value("task", std::string("auto"));
    if (j.contains("samples") && !j["samples"].is_null()) a.samples = j["samples"].get<Index>();
    if (j.contains("noise") && !j["noise"].is_null()) a.noise = j["noise"].get<double>();
    if (j.contains("classes") && !j["classes"].is_null()) a.classes = j["classes"].get<int>();
    if (j.contains("preprocess")) a.preprocess = preprocess_options_from_json(j["preprocess"]);
    return a;
}

json to_json(const RunConfig& c) {
    const auto& m = c.model;
    const auto& f = c.fit;
    json j = {
        {"data", to_json(c.data)},
        {"model",
         {{"layers", m.layers}, {"activation", m.activation}, {"output", m.output}, {"model_spec", m.model_spec},
          {"loss", m.loss}, {"from_logits", m.from_logits}, {"optimizer", m.optimizer},
          {"lr", m.lr ? json(*m.lr) : json()}, {"momentum", m.momentum}, {"nesterov", m.nesterov}, {"metrics", m.metrics},
          {"clipnorm", m.clipnorm ? json(*m.clipnorm) : json()}, {"clipvalue", m.clipvalue ? json(*m.clipvalue) : json()}}},
        {"fit",
         {{"epochs", f.epochs}, {"batch_size", f.batch_size}, {"validation_split", f.validation_split}, {"split", f.split},
          {"seed", f.seed}, {"early_stopping", f.early_stopping}, {"restore_best_weights", f.restore_best_weights},
          {"monitor", f.monitor}, {"reduce_lr_on_plateau", f.reduce_lr_on_plateau}, {"reduce_lr_factor", f.reduce_lr_factor},
          {"checkpoint", f.checkpoint}, {"store_training_rows", f.store_training_rows}, {"standardize", f.standardize}, {"standardize_target", f.standardize_target}, {"shuffle", f.shuffle}, {"class_weight", f.class_weight},
          {"final_train_rows", f.final_train_rows}, {"verbose", f.verbose}}},
    };
    if (f.test_split > 0) j["fit"]["test_split"] = f.test_split;  // only when set
    return j;
}

RunConfig run_config_from_json(const json& j) {
    RunConfig c;
    c.data = data_config_from_json(j.value("data", json::object()));
    const json m = j.value("model", json::object());
    c.model.layers = m.value("layers", c.model.layers);
    c.model.activation = m.value("activation", c.model.activation);
    c.model.output = m.value("output", c.model.output);
    c.model.model_spec = m.value("model_spec", c.model.model_spec);
    c.model.loss = m.value("loss", c.model.loss);
    c.model.from_logits = m.value("from_logits", c.model.from_logits);
    c.model.optimizer = m.value("optimizer", c.model.optimizer);
    if (m.contains("lr") && !m["lr"].is_null()) c.model.lr = m["lr"].get<double>();
    c.model.momentum = m.value("momentum", c.model.momentum);
    c.model.nesterov = m.value("nesterov", c.model.nesterov);
    c.model.metrics = m.value("metrics", c.model.metrics);
    if (m.contains("clipnorm") && !m["clipnorm"].is_null()) c.model.clipnorm = m["clipnorm"].get<double>();
    if (m.contains("clipvalue") && !m["clipvalue"].is_null()) c.model.clipvalue = m["clipvalue"].get<double>();
    const json f = j.value("fit", json::object());
    c.fit.epochs = f.value("epochs", c.fit.epochs);
    c.fit.batch_size = f.value("batch_size", c.fit.batch_size);
    c.fit.validation_split = f.value("validation_split", c.fit.validation_split);
    c.fit.split = f.value("split", c.fit.split);
    c.fit.seed = f.value("seed", c.fit.seed);
    c.fit.early_stopping = f.value("early_stopping", c.fit.early_stopping);
    c.fit.restore_best_weights = f.value("restore_best_weights", c.fit.restore_best_weights);
    c.fit.monitor = f.value("monitor", c.fit.monitor);
    c.fit.reduce_lr_on_plateau = f.value("reduce_lr_on_plateau", c.fit.reduce_lr_on_plateau);
    c.fit.reduce_lr_factor = f.value("reduce_lr_factor", c.fit.reduce_lr_factor);
    c.fit.checkpoint = f.value("checkpoint", c.fit.checkpoint);
    c.fit.store_training_rows = f.value("store_training_rows", c.fit.store_training_rows);
    c.fit.standardize = f.value("standardize", c.fit.standardize);
    c.fit.standardize_target = f.value("standardize_target", c.fit.standardize_target);
    c.fit.shuffle = f.value("shuffle", c.fit.shuffle);
    c.fit.class_weight = f.value("class_weight", c.fit.class_weight);
    c.fit.final_train_rows = f.value("final_train_rows", c.fit.final_train_rows);
    c.fit.verbose = f.value("verbose", c.fit.verbose);
    c.fit.test_split = f.value("test_split", c.fit.test_split);
    return c;
}


namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto end = s.find(',', start);
        const std::string item = trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!item.empty()) out.push_back(item);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

namespace {



template <typename F>
void check_name(const std::string& option, const std::string& value, F&& make) {
    try {
        make(value);
    } catch (const ConfigError& e) {
        throw UsageError(option + " " + value + ": " + e.what());
    }
}

bool is_val_key(const std::string& key) { return key.rfind("val_", 0) == 0; }

// Every check that needs no data.

void validate_fit(const FitConfig& f) {

    if (f.epochs < 1) throw UsageError("--epochs " + std::to_string(f.epochs) + ": must be at least 1; fix: e.g. --epochs 100");
    if (f.batch_size < 1)
        throw UsageError("--batch-size " + std::to_string(f.batch_size) + ": must be a positive integer; fix: e.g. --batch-size 32");
    if (!(f.validation_split >= 0.0 && f.validation_split < 1.0))
        throw UsageError(fmt::format("--validation-split {}: must be in [0, 1) (the fraction of rows held out); fix: e.g. "
                                     "--validation-split 0.2, or 0 for no validation",
                                     f.validation_split));
    check_name("--split", f.split, [](const std::string& v) { split_from_string(v); });
    if (f.standardize_target != "auto" && f.standardize_target != "on" && f.standardize_target != "off")
        throw UsageError("--standardize-target " + f.standardize_target + ": must be auto, on or off; fix: e.g. --standardize-target on");
    if (!(f.test_split >= 0.0 && f.test_split < 1.0) || f.validation_split + f.test_split >= 1.0)
        throw UsageError(fmt::format("--test-split {}: must be in [0, 1) and leave training rows beside --validation-split {}; fix: e.g. --test-split 0.2",
                                     f.test_split, f.validation_split));
    if (f.early_stopping < 0)
        throw UsageError("--early-stopping " + std::to_string(f.early_stopping) + ": patience must be >= 0 (0 turns it off)");
    if (f.reduce_lr_on_plateau < 0)
        throw UsageError("--reduce-lr-on-plateau " + std::to_string(f.reduce_lr_on_plateau) + ": patience must be >= 0 (0 turns it off)");
    if (!(f.reduce_lr_factor > 0 && f.reduce_lr_factor < 1))
        throw UsageError(fmt::format("--reduce-lr-factor {}: must be in (0, 1); fix: e.g. --reduce-lr-factor 0.5", f.reduce_lr_factor));
    if (f.final_train_rows < 0)
        throw UsageError("--final-train-rows " + std::to_string(f.final_train_rows) + ": must be >= 0 (0: evaluate every training row); fix: e.g. --final-train-rows 20000");
    if (f.verbose < -1 || f.verbose > 2)
        throw UsageError("--verbose " + std::to_string(f.verbose) + ": must be 0 (silent), 1 (progress bar) or 2 (one line per epoch)");
    const std::string monitor = f.monitor.empty() ? "val_loss" : f.monitor;
    if (!f.monitor.empty() && is_val_key(f.monitor) && f.validation_split == 0.0)
        throw UsageError("--monitor " + f.monitor + ": needs validation rows, but --validation-split is 0; fix: --validation-split 0.2, or --monitor " +
                         f.monitor.substr(4));
    if (!f.monitor.empty()) {
        const std::string base = is_val_key(monitor) ? monitor.substr(4) : monitor;
        auto valid = metric_names();
        valid.insert(valid.begin(), "loss");
        if (base != "acc" && std::find(valid.begin(), valid.end(), base) == valid.end())
            throw UsageError("--monitor " + f.monitor + ": not a logged value; valid: " + join(valid) + ", each also with a val_ prefix");
    }
}

void validate_model(const ModelConfig& m) {
    if (m.model_spec.empty()) {
        parse_layers(m.layers);
        check_name("--activation", m.activation, [](const std::string& v) { make_activation(v); });
    }
    if (!m.output.empty()) {
        if (!m.model_spec.empty())
            throw UsageError("--output " + m.output + ": the output layer comes from --model-spec " + m.model_spec +
                             "; fix: set it in the spec's last layer, or drop --model-spec");
        check_name("--output", m.output, [](const std::string& v) { make_activation(v); });
    }
    if (!m.loss.empty()) check_name("--loss", m.loss, [](const std::string& v) { make_loss({.name = v}); });
    check_name("--optimizer", m.optimizer, [](const std::string& v) { make_optimizer({.name = v}); });
    if (m.lr && !(std::isfinite(*m.lr) && *m.lr > 0))
        throw UsageError(fmt::format("--lr {}: the learning rate must be a positive number; fix: e.g. --lr 0.01", *m.lr));
    for (const auto& [option, value] : {std::pair{"--clipnorm", m.clipnorm}, std::pair{"--clipvalue", m.clipvalue}})
        if (value && !(std::isfinite(*value) && *value > 0))
            throw UsageError(fmt::format("{} {}: must be a positive number; fix: e.g. {} 1", option, *value, option));
    if (!(m.momentum >= 0 && m.momentum < 1))
        throw UsageError(fmt::format("--momentum {}: must be in [0, 1); fix: e.g. --momentum 0.9", m.momentum));
    if ((m.momentum != 0 || m.nesterov) && m.optimizer != "sgd")
        throw UsageError("--momentum/--nesterov: apply to --optimizer sgd only (received --optimizer " + m.optimizer +
                         "); fix: add --optimizer sgd or drop them");
    for (const auto& name : split_list(m.metrics)) {
        const auto valid = metric_names();
        if (name != "acc" && std::find(valid.begin(), valid.end(), name) == valid.end())
            throw UsageError("--metrics " + m.metrics + ": unknown metric '" + name + "'; valid: " + join(valid));
    }
    if (!m.model_spec.empty() && !fs::exists(m.model_spec))
        throw UsageError("--model-spec " + m.model_spec + ": no such file; fix: give a JSON file with a list of layers, e.g. "
                         "[{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}, {\"type\": \"Dense\", \"units\": 2, "
                         "\"activation\": \"softmax\"}]");
}

}  // namespace

void validate(const RunConfig& c, bool resuming) {
    validate_fit(c.fit);
    try {
        validate(c.data.preprocess);
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
    if (!resuming) validate_model(c.model);  // a resumed model comes from the run folder
}

const std::vector<std::string>& options_fixed_on_resume() {
    static const std::vector<std::string> names = {
        "--layers",   "--activation", "--output", "--model-spec", "--loss",    "--from-logits", "--optimizer",
        "--momentum", "--nesterov",   "--metrics", "--validation-split", "--split", "--seed", "--standardize", "--standardize-target",
        "--samples",  "--noise",      "--classes", "--task", "--target", "--clipnorm", "--clipvalue"};
    return names;
}

namespace {

// Where an option lives in to_json(RunConfig): {"fit", "batch_size"} for --batch-size.
std::pair<std::string, std::string> json_place(const json& config, const std::string& option) {
    std::string key = option.substr(option.find_first_not_of('-'));
    std::replace(key.begin(), key.end(), '-', '_');
    if (key == "no_shuffle") key = "shuffle";
    for (const char* section : {"data", "model", "fit"})
        if (config.contains(section) && config[section].contains(key)) return {section, key};
    return {"", ""};
}

// Text as the JSON value a field of type `like` holds (null: a number if it reads as one).
json typed_value(const json& like, const std::string& text, const std::string& option) {
    if (like.is_boolean()) {
        if (text == "true" || text == "1") return true;
        if (text == "false" || text == "0") return false;
        throw UsageError(option + "=" + text + ": expected true or false");
    }
    if (like.is_number() || like.is_null()) {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end && *end == '\0' && !text.empty()) {
            if (like.is_number_integer() || like.is_number_unsigned()) {
                if (v != std::floor(v)) throw UsageError(option + "=" + text + ": expected a whole number");
                return static_cast<std::int64_t>(v);
            }
            return v;
        }
        if (like.is_number()) throw UsageError(option + "=" + text + ": expected a number");
    }
    return text;
}

}  // namespace

RunConfig with_option(const RunConfig& config, const std::string& option, const std::string& value) {
    json merged = to_json(config);
    const std::string name = option.rfind("--", 0) == 0 ? option : "--" + option;
    const auto [section, key] = json_place(merged, name);
    if (section.empty()) throw UsageError(option + ": not a training option; fix: use the names of `plexus train --help` (e.g. lr, layers, batch-size)");
    merged[section][key] = key == "shuffle" && name == "--no-shuffle" ? json(!typed_value(true, value, option).get<bool>())
                                                                        : typed_value(merged[section][key], value, option);
    try {
        return run_config_from_json(merged);
    } catch (const json::exception& e) {
        throw UsageError(option + "=" + value + ": " + e.what());
    }
}

RunConfig resume_config(const RunConfig& stored, const RunConfig& given, const std::set<std::string>& given_options,
                        const std::string& run_name) {
    json merged = to_json(stored);
    const json wanted = to_json(given);
    const auto& fixed = options_fixed_on_resume();
    for (const auto& option : given_options) {
        const auto [section, key] = json_place(merged, option);
        if (section.empty()) continue;  // not part of the configuration (--out, --plots, ...)
        const json& value = wanted[section][key];
        if (std::find(fixed.begin(), fixed.end(), option) != fixed.end()) {
            if (value != merged[section][key])
                throw UsageError(option + ": cannot be changed when resuming (the run in " + run_name + " has " + option + " " +
                                 merged[section][key].dump() + ", received " + value.dump() + "); fix: drop " + option +
                                 ", or start a new run without --resume");
            continue;
        }
        merged[section][key] = value;
    }
    RunConfig c = run_config_from_json(merged);
    c.fit.verbose = given.fit.verbose;
    return c;
}

}  // namespace plexus::run
