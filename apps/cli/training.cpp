// The training pipeline behind `plexus train` and `plexus demo`; see training.hpp.
#include "training.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "plexus/activations/activation.hpp"
#include "plexus/callbacks/callbacks.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/losses/loss.hpp"
#include "plexus/model/split.hpp"
#include "plexus/optimizers/optimizer.hpp"
#include "terminal.hpp"

namespace plexus::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

// ---- Config as JSON (stored in the model file for --resume, and in report.json) ----

json to_json(const TrainConfig& c) {
    const auto& m = c.model;
    const auto& f = c.fit;
    return {
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
          {"checkpoint", f.checkpoint}, {"standardize", f.standardize}, {"shuffle", f.shuffle}, {"class_weight", f.class_weight},
          {"verbose", f.verbose}}},
    };
}

TrainConfig train_config_from_json(const json& j) {
    TrainConfig c;
    c.data = data_args_from_json(j.value("data", json::object()));
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
    c.fit.standardize = f.value("standardize", c.fit.standardize);
    c.fit.shuffle = f.value("shuffle", c.fit.shuffle);
    c.fit.class_weight = f.value("class_weight", c.fit.class_weight);
    c.fit.verbose = f.value("verbose", c.fit.verbose);
    return c;
}

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

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
void validate(const TrainConfig& c, bool resuming) {
    const auto& m = c.model;
    const auto& f = c.fit;
    if (f.epochs < 1) throw UsageError("--epochs " + std::to_string(f.epochs) + ": must be at least 1; fix: e.g. --epochs 100");
    if (f.batch_size < 1)
        throw UsageError("--batch-size " + std::to_string(f.batch_size) + ": must be a positive integer; fix: e.g. --batch-size 32");
    if (!(f.validation_split >= 0.0 && f.validation_split < 1.0))
        throw UsageError(fmt::format("--validation-split {}: must be in [0, 1) (the fraction of rows held out); fix: e.g. "
                                     "--validation-split 0.2, or 0 for no validation",
                                     f.validation_split));
    check_name("--split", f.split, [](const std::string& v) { split_from_string(v); });
    if (f.early_stopping < 0)
        throw UsageError("--early-stopping " + std::to_string(f.early_stopping) + ": patience must be >= 0 (0 turns it off)");
    if (f.reduce_lr_on_plateau < 0)
        throw UsageError("--reduce-lr-on-plateau " + std::to_string(f.reduce_lr_on_plateau) + ": patience must be >= 0 (0 turns it off)");
    if (!(f.reduce_lr_factor > 0 && f.reduce_lr_factor < 1))
        throw UsageError(fmt::format("--reduce-lr-factor {}: must be in (0, 1); fix: e.g. --reduce-lr-factor 0.5", f.reduce_lr_factor));
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
    if (resuming) return;  // the model comes from the run folder
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

// A Keras-like list of layer configs: [{"type": "Dense", "units": 4, ...}, ...] or {"layers": [...]}.
Sequential model_from_spec(const std::string& path) {
    const std::string text = read_file_bytes(path);
    json spec;
    try {
        spec = json::parse(text);
    } catch (const json::parse_error& e) {
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        throw UsageError(fmt::format("--model-spec {}:{}:{}: invalid JSON; fix: write a list of layers such as "
                                     "[{{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}}, ...]",
                                     path, line, col));
    }
    if (spec.is_object() && spec.contains("layers")) spec = spec["layers"];
    if (!spec.is_array() || spec.empty())
        throw UsageError("--model-spec " + path + ": expected a non-empty JSON list of layers; fix: e.g. "
                         "[{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}, {\"type\": \"Dense\", \"units\": 2, \"activation\": \"softmax\"}]");
    Sequential model;
    for (std::size_t i = 0; i < spec.size(); ++i) {
        try {
            model.add(LayerHandle(std::shared_ptr<Layer>(layer_from_config(spec[i]))));
        } catch (const ConfigError& e) {
            throw UsageError("--model-spec " + path + ": layer " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    return model;
}

// The activation the model ends with ("" if none).
std::string output_activation(const Sequential& model) {
    for (auto it = model.layers().rbegin(); it != model.layers().rend(); ++it)
        if (const auto* a = (*it)->output_activation()) return a->name();
    return "";
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json history_json(const History& h) {
    json j = json::object();
    j["epoch"] = h.epoch;
    for (const auto& [k, v] : h.history) j[k] = v;
    return j;
}

// Appends this run's history to a previous run's (from its report.json).
json merge_history(const json& previous, const History& current) {
    json now = history_json(current);
    if (!previous.is_object() || !previous.contains("epoch")) return now;
    const std::size_t before = previous["epoch"].size(), after = current.epoch.size();
    std::set<std::string> keys;
    for (auto it = previous.begin(); it != previous.end(); ++it) keys.insert(it.key());
    for (auto it = now.begin(); it != now.end(); ++it) keys.insert(it.key());
    json merged = json::object();
    for (const auto& key : keys) {
        json values = json::array();
        for (std::size_t i = 0; i < before; ++i)
            values.push_back(previous.contains(key) && i < previous[key].size() ? previous[key][i] : json());
        for (std::size_t i = 0; i < after; ++i) values.push_back(now.contains(key) && i < now[key].size() ? now[key][i] : json());
        merged[key] = values;
    }
    return merged;
}

// epoch, loss, training metrics, val_loss, validation metrics, then anything else (learning_rate).
std::string history_csv(const json& history) {
    std::vector<std::string> columns{"epoch"};
    std::vector<std::string> train, val, other;
    for (auto it = history.begin(); it != history.end(); ++it) {
        const std::string& k = it.key();
        if (k == "epoch" || k == "loss" || k == "val_loss") continue;
        if (k == "learning_rate") other.push_back(k);
        else if (is_val_key(k)) val.push_back(k);
        else train.push_back(k);
    }
    if (history.contains("loss")) columns.push_back("loss");
    columns.insert(columns.end(), train.begin(), train.end());
    if (history.contains("val_loss")) columns.push_back("val_loss");
    columns.insert(columns.end(), val.begin(), val.end());
    columns.insert(columns.end(), other.begin(), other.end());
    std::string out;
    for (std::size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + csv_field(columns[c]);
    out += "\n";
    const std::size_t rows = history.contains("epoch") ? history["epoch"].size() : 0;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const json& v = history[columns[c]].size() > r ? history[columns[c]][r] : json();
            if (c) out += ",";
            if (columns[c] == "epoch") out += std::to_string(v.get<long>());
            else if (v.is_number()) out += csv_num(v.get<double>());
        }
        out += "\n";
    }
    return out;
}

json class_counts(const std::vector<Index>& counts) {
    json j = json::array();
    for (Index c : counts) j.push_back(c);
    return j;
}

std::vector<Index> count_classes(const Dataset& data, const std::vector<Index>& rows) {
    std::vector<Index> counts(static_cast<std::size_t>(data.num_classes()), 0);
    for (Index r : rows) ++counts[static_cast<std::size_t>(data.label(r))];
    return counts;
}

std::string counts_text(const std::vector<std::string>& names, const std::vector<Index>& counts) {
    std::string s;
    for (std::size_t i = 0; i < counts.size() && i < names.size(); ++i) s += (i ? ", " : "") + names[i] + ": " + std::to_string(counts[i]);
    return s;
}

std::string metrics_text(const json& metrics, const std::vector<std::string>& keys) {
    std::string s;
    for (const auto& k : keys)
        if (metrics.contains(k) && metrics[k].is_number()) s += (s.empty() ? "" : "  ") + k + " " + fmt_num(metrics[k].get<double>());
    return s;
}

// --class-weight: "balanced" (n / (k * count) over the training rows, as
// sklearn and Keras users compute it) or "name:weight,..." by class name.
std::map<int, double> class_weights(const std::string& spec, const Dataset& data, const std::vector<Index>& train_rows) {
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

}  // namespace

TrainResult run_training(const TrainRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    TrainConfig cfg = request.config;
    const bool resuming = !request.resume_dir.empty();
    validate(cfg, resuming);

    std::optional<ModelFile> resumed;
    json previous_history;
    if (resuming) {
        resumed = open_model(request.resume_dir, "--resume");
        const fs::path report_path = fs::path(resumed->path).parent_path() / "report.json";
        std::error_code ec;
        if (fs::exists(report_path, ec)) {
            try {
                previous_history = json::parse(read_file_bytes(report_path.string())).value("history", json::object());
            } catch (const json::exception&) {
                throw IoError(report_path.string() + ": not valid JSON; fix: restore the run's report.json or remove it to resume without its history");
            }
        }
        if (cfg.fit.epochs <= resumed->metadata().epoch)
            throw UsageError(fmt::format("--epochs {}: the run in {} has already done {} epochs; fix: give a larger total, e.g. --epochs {}",
                                         cfg.fit.epochs, request.resume_dir, resumed->metadata().epoch, resumed->metadata().epoch + 10));
    }

    // Data.
    const auto load_start = std::chrono::steady_clock::now();
    TrainResult result;
    result.data = load_dataset(cfg.data, cfg.fit.seed);
    Dataset& data = result.data;
    const bool classification = data.is_classification();
    if (classification && data.num_classes() < 2)
        throw DataError(data.source + ": only one class; fix: classification needs at least two classes in the target column");
    const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();

    // Model.
    Sequential model;
    std::string out_act;
    if (resuming) {
        const auto& meta = resumed->metadata();
        if (data.features() != resumed->input_dim())
            throw DataError(fmt::format("{}: has {} features but the model in {} takes {}; fix: resume with the data it was trained on",
                                        data.source, data.features(), request.resume_dir, resumed->input_dim()));
        if (classification && data.class_names != meta.class_names)
            throw DataError(data.source + ": classes (" + join(data.class_names) + ") differ from the model's (" + join(meta.class_names) +
                            "); fix: resume with the data the run in " + request.resume_dir + " was trained on");
        model = std::move(resumed->loaded.model);
        result.standardizer = resumed->standardizer;
        out_act = output_activation(model);
    } else {
        const Index d = data.features();
        if (!cfg.model.model_spec.empty()) {
            model = model_from_spec(cfg.model.model_spec);
            const Index declared = model.layers().front()->declared_input_dim();
            if (declared > 0 && declared != d)
                throw UsageError(fmt::format("--model-spec {}: the first layer declares input_dim {} but {} has {} features; fix: set "
                                             "input_dim to {} or remove it",
                                             cfg.model.model_spec, declared, data.source, d, d));
        } else {
            out_act = cfg.model.output.empty() ? (classification ? "softmax" : "linear") : cfg.model.output;
            const Index units = classification ? (out_act == "sigmoid" && data.num_classes() == 2 ? 1 : data.num_classes()) : data.y.cols();
            bool first = true;
            for (const Index w : parse_layers(cfg.model.layers)) {
                model.add(Dense({.units = w, .activation = cfg.model.activation, .input_dim = first ? d : 0}));
                first = false;
            }
            model.add(Dense({.units = units, .activation = out_act, .input_dim = first ? d : 0}));
        }
        out_act = output_activation(model);
        const Index units = model.output_dim();
        if (classification) {
            const Index k = data.num_classes();
            if (!(units == k || (units == 1 && k == 2)))
                throw UsageError(fmt::format("{}: the model has {} output units but {} has {} classes ({}); fix: make the last layer {} units{}",
                                             cfg.model.model_spec.empty() ? "--output" : "--model-spec " + cfg.model.model_spec, units,
                                             data.source, k, join(data.class_names), k, k == 2 ? " (or 1 sigmoid unit)" : ""));
        } else if (units != data.y.cols()) {
            throw UsageError(fmt::format("--model-spec {}: the model has {} output units but {} has {} target column(s); fix: make the last "
                                         "layer {} units with a linear activation",
                                         cfg.model.model_spec, units, data.source, data.y.cols(), data.y.cols()));
        }
        // Loss and metrics from the task unless given.
        std::string loss = cfg.model.loss;
        bool from_logits = cfg.model.from_logits;
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
        std::vector<std::string> metrics = split_list(cfg.model.metrics);
        if (metrics.empty()) metrics = cls_loss ? std::vector<std::string>{"accuracy"} : std::vector<std::string>{"mae"};
        OptimizerOptions opt{.name = cfg.model.optimizer, .learning_rate = cfg.model.lr, .momentum = cfg.model.momentum,
                             .nesterov = cfg.model.nesterov, .clipnorm = cfg.model.clipnorm, .clipvalue = cfg.model.clipvalue};
        try {
            model.compile({.optimizer = opt, .loss = loss, .metrics = metrics, .from_logits = from_logits, .seed = cfg.fit.seed});
        } catch (const ConfigError& e) {
            throw UsageError(std::string("model options (--loss/--optimizer/--metrics): ") + e.what());
        }
        cfg.model.loss = loss;
        cfg.model.from_logits = from_logits;
        cfg.model.metrics = join(metrics, ",");
        if (cfg.model.output.empty() && cfg.model.model_spec.empty()) cfg.model.output = out_act;
    }
    if (resuming && request.resume_lr) model.optimizer().set_base_learning_rate(*request.resume_lr);
    const Index units = model.output_dim();
    const std::string loss_name = model.loss().name();
    const bool cls_loss = model.loss().is_classification();

    // Targets as the loss wants them; the library's check names the encoding it needs.
    Matrix y = encode_targets(data, loss_name, units);
    try {
        model.loss().check_targets(units, y);
    } catch (const Error& e) {
        // `plexus doctor` reports it as a finding (config.labels_mismatch).
        if (!request.preflight_only) throw UsageError(std::string("--loss ") + loss_name + ": " + e.what());
    }

    // The split, computed as fit computes it (same seed streams), so the
    // standardizer and the feature ranges see the training rows only.
    Split method = split_from_string(cfg.fit.split);
    if (method == Split::automatic) method = cls_loss ? Split::stratified : Split::random;
    std::vector<int> split_labels;
    if (cls_loss) split_labels = true_classes(y, units);
    Rng root(cfg.fit.seed);
    (void)root.next_u64();
    Rng split_rng(root.next_u64());
    const SplitIndices parts = split_indices(data.rows(), cfg.fit.validation_split, method, split_labels, split_rng);
    if (parts.train.empty())
        throw UsageError(fmt::format("--validation-split {}: leaves no training rows out of {}; fix: use a smaller fraction",
                                     cfg.fit.validation_split, data.rows()));
    const Matrix x_train_raw = take_rows(data.x, parts.train);
    if (cfg.fit.standardize && !resuming) {
        Standardizer s;
        s.fit(x_train_raw);
        result.standardizer = s;
    }
    result.inputs = result.standardizer ? result.standardizer->transform(data.x) : data.x;

    // Metadata saved with the model (and its checkpoints).
    ModelMetadata metadata;
    metadata.class_names = data.class_names;
    metadata.feature_names = data.feature_names;
    for (Index j = 0; j < x_train_raw.cols(); ++j)
        metadata.feature_ranges.emplace_back(static_cast<double>(x_train_raw.col(j).minCoeff()), static_cast<double>(x_train_raw.col(j).maxCoeff()));
    metadata.extra = {{"train_config", to_json(cfg)}, {"target_name", data.target_name}, {"source", data.source}};
    if (result.standardizer) metadata.extra["standardizer"] = to_json(*result.standardizer);
    metadata.extra["support_sample"] = resuming && resumed->metadata().extra.contains("support_sample")
                                           ? resumed->metadata().extra["support_sample"]
                                           : support_sample_json(x_train_raw);
    const int initial_epoch = resuming ? resumed->metadata().epoch : 0;

    const std::map<int, double> weights = class_weights(cfg.fit.class_weight, data, parts.train);

    // `plexus doctor`: the pre-flight rules on what fit would be given, then stop.
    // The fit options of the configuration (the callbacks and the output come later).
    FitOptions fit{.epochs = cfg.fit.epochs,
                   .batch_size = cfg.fit.batch_size,
                   .shuffle = cfg.fit.shuffle,
                   .validation_split = cfg.fit.validation_split,
                   .split = method,
                   .class_weight = weights,
                   .initial_epoch = initial_epoch,
                   .seed = cfg.fit.seed,
                   .feature_names = data.feature_names,
                   .class_names = data.class_names};
    if (request.preflight_only) {
        const FitOptions& pre = fit;
        try {
            result.preflight_findings =
                preflight(result.inputs, y, pre, model, DoctorOptions{.feature_names = data.feature_names, .class_names = data.class_names});
        } catch (const ConfigError& e) {
            throw UsageError(std::string("training options: ") + e.what());
        }
        result.train_rows = parts.train;
        result.validation_rows = parts.validation;
        result.report = {{"config", to_json(cfg)},
                         {"data", {{"source", data.source}, {"rows", data.rows()}, {"features", data.features()},
                                   {"task", classification ? "classification" : "regression"}}},
                         {"split", {{"method", to_string(method)}, {"validation_split", cfg.fit.validation_split},
                                    {"train_rows", parts.train.size()}, {"validation_rows", parts.validation.size()}}},
                         {"resolved", {{"output_activation", out_act}, {"loss", loss_name}, {"from_logits", model.compile_options().from_logits}}}};
        result.model = std::move(model);
        return result;
    }

    // Output folder: created now, removed again (with what was written) if anything below fails.
    OutputDir out(request.out_dir);
    out.create();

    // Callbacks.
    const std::string monitor = !cfg.fit.monitor.empty() ? cfg.fit.monitor : (cfg.fit.validation_split > 0 ? "val_loss" : "loss");
    fit.verbose = cfg.fit.verbose >= 0 ? cfg.fit.verbose : (isatty(STDOUT_FILENO) ? 1 : 2);
    fit.progress = terminal_progress_sink();
    std::vector<Index> fit_train_rows, fit_val_rows;
    fit.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_train_begin = [&](Sequential& m) {
        if (const FitContext* ctx = m.fit_context()) {
            fit_train_rows = ctx->train_rows;
            fit_val_rows = ctx->validation_rows;
        }
    }}));
    std::shared_ptr<EarlyStopping> early;
    if (cfg.fit.early_stopping > 0) {
        early = std::make_shared<EarlyStopping>(
            EarlyStoppingOptions{.monitor = monitor, .patience = cfg.fit.early_stopping, .restore_best_weights = cfg.fit.restore_best_weights});
        fit.callbacks.push_back(early);
    }
    if (cfg.fit.reduce_lr_on_plateau > 0)
        fit.callbacks.push_back(std::make_shared<ReduceLROnPlateau>(
            ReduceLROnPlateauOptions{.monitor = monitor, .factor = cfg.fit.reduce_lr_factor, .patience = cfg.fit.reduce_lr_on_plateau}));
    std::string checkpoint_path;
    int checkpoint_epoch = -1;
    if (cfg.fit.checkpoint) {
        checkpoint_path = out.file("best.plexus");
        auto best = std::make_shared<Monitor>(monitor, "auto", 0.0);
        best->reset();
        fit.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_epoch_end = [&, best](Sequential& m, int epoch, Logs& logs) {
            const double v = best->value(logs);
            if (!std::isfinite(v) || !best->improved(v)) return;
            best->update(v);
            ModelMetadata md = metadata;
            md.epoch = epoch + 1;
            save_model(m, checkpoint_path, md);
            checkpoint_epoch = epoch;
        }}));
    }
    fit.callbacks.push_back(std::make_shared<TerminateOnNaN>());
    for (const auto& cb : request.callbacks) fit.callbacks.push_back(cb);

    if (fit.verbose > 0) {
        std::printf("Training on %s: %ld rows, %ld features%s; %s split, validation %.2f; %ld parameters; epochs %d-%d\n",
                    data.source.c_str(), static_cast<long>(data.rows()), static_cast<long>(data.features()),
                    classification ? (", " + std::to_string(data.num_classes()) + " classes").c_str() : "", to_string(method).c_str(),
                    cfg.fit.validation_split, static_cast<long>(model.count_params()), initial_epoch + 1, cfg.fit.epochs);
        std::fflush(stdout);
    }
    try {
        result.history = model.fit(result.inputs, y, fit);
    } catch (const ConfigError& e) {
        throw UsageError(std::string("training options: ") + e.what());
    }
    const History& history = result.history;
    if (cfg.fit.standardize && !resuming && (fit_train_rows != parts.train || fit_val_rows != parts.validation))
        throw Error("internal error: the split computed for --standardize differs from fit's split; please report this bug");
    result.train_rows = parts.train;
    result.validation_rows = parts.validation;

    bool finite = true;
    for (const Scalar v : model.parameters()) finite = finite && std::isfinite(v);
    const int epochs_done = history.epoch.empty() ? initial_epoch : history.epoch.back() + 1;
    metadata.epoch = epochs_done;

    // Evaluation of the final model on both parts.
    json final_train, final_val;
    const std::vector<int> labels = classification ? dataset_labels(data) : std::vector<int>{};
    auto part = [&](const std::vector<Index>& rows) {
        const Matrix xi = take_rows(result.inputs, rows);
        const Matrix yi = take_rows(y, rows);
        std::vector<int> li;
        for (Index r : rows)
            if (classification) li.push_back(labels[static_cast<std::size_t>(r)]);
        return evaluation_json(model, xi, yi, li, data.class_names);
    };
    if (finite) {
        final_train = part(parts.train);
        final_val = parts.validation.empty() ? json() : part(parts.validation);
    }

    // The report.
    const double total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    json findings = json::array();
    for (const auto& f : history.findings) findings.push_back(to_json(f));
    json split = {{"method", to_string(method)},
                  {"reported_method", history.split.method},
                  {"validation_split", cfg.fit.validation_split},
                  {"train_rows", parts.train.size()},
                  {"validation_rows", parts.validation.size()},
                  {"validation_indices", parts.validation}};
    json data_json = {{"source", data.source},
                      {"task", classification ? "classification" : "regression"},
                      {"rows", data.rows()},
                      {"features", data.features()},
                      {"feature_names", data.feature_names},
                      {"target", data.target_name}};
    if (classification) {
        data_json["class_names"] = data.class_names;
        std::vector<Index> all(static_cast<std::size_t>(data.rows()));
        for (Index i = 0; i < data.rows(); ++i) all[static_cast<std::size_t>(i)] = i;
        data_json["class_counts"] = class_counts(count_classes(data, all));
        split["class_names"] = data.class_names;
        split["train_class_counts"] = class_counts(count_classes(data, parts.train));
        split["validation_class_counts"] = class_counts(count_classes(data, parts.validation));
    }
    json ranges = json::array();
    for (const auto& [lo, hi] : metadata.feature_ranges) ranges.push_back({lo, hi});
    split["train_feature_ranges"] = ranges;
    json epochs = {{"requested", cfg.fit.epochs},
                   {"initial_epoch", initial_epoch},
                   {"epochs_run", history.epoch.size()},
                   {"completed", epochs_done},
                   {"stopped_early", early && early->stopped_epoch() >= 0}};
    if (early && early->best_epoch() >= 0) epochs["best_epoch"] = early->best_epoch();
    if (checkpoint_epoch >= 0) epochs["checkpoint_epoch"] = checkpoint_epoch;
    json resolved = {{"output_activation", out_act},
                     {"loss", loss_name},
                     {"from_logits", model.compile_options().from_logits},
                     {"metrics", model.compile_options().metrics},
                     {"optimizer", model.optimizer().config()},
                     {"learning_rate_final", model.optimizer().base_learning_rate()},
                     {"split", to_string(method)},
                     {"monitor", monitor}};
    json report = {
        {"format", "plexus-report"},
        {"format_version", 1},
        {"library_version", PLEXUS_VERSION},
        {"command", command_line()},
        {"created_utc", utc_now()},
        {"status", finite ? "completed" : "diverged"},
        {"seed", cfg.fit.seed},
        {"config", to_json(cfg)},
        {"resolved", resolved},
        {"resumed_from", resuming ? json(request.resume_dir) : json()},
        {"data", data_json},
        {"model", {{"config", model.config()}, {"parameters", model.count_params()}, {"input_dim", model.input_dim()}, {"output_dim", units}}},
        {"standardizer", result.standardizer ? to_json(*result.standardizer) : json()},
        {"split", split},
        {"epochs", epochs},
        {"history", merge_history(previous_history, history)},
        {"final", {{"train", final_train}, {"validation", final_val}}},
        {"timing",
         {{"train_seconds", history.train_seconds},
          {"load_seconds", load_seconds},
          {"seconds_per_epoch", history.epoch.empty() ? 0.0 : history.train_seconds / static_cast<double>(history.epoch.size())},
          {"total_seconds", total_seconds}}},
        {"findings", findings},
        {"files",
         {{"model", finite ? json("model.plexus") : json()},
          {"report", "report.json"},
          {"history", "history.csv"},
          {"checkpoint", checkpoint_epoch >= 0 ? json("best.plexus") : json()}}},
    };

    result.history_path = out.write("history.csv", history_csv(report["history"]));
    result.report_path = out.write("report.json", report.dump(2) + "\n");
    if (finite) {
        result.model_path = out.file("model.plexus");
        save_model(model, result.model_path, metadata);
    }
    out.commit();
    result.report = report;
    result.metadata = metadata;

    if (request.print_summary) {
        const std::vector<std::string> shown =
            classification ? std::vector<std::string>{"loss", "accuracy", "f1_macro"} : std::vector<std::string>{"loss", "mae", "mse", "r2"};
        std::printf("\nTrained epochs %d-%d of %d in %.2f s (seed %llu, %s split)%s\n", initial_epoch + 1, epochs_done, cfg.fit.epochs,
                    history.train_seconds, static_cast<unsigned long long>(cfg.fit.seed), to_string(method).c_str(),
                    early && early->stopped_epoch() >= 0
                        ? fmt::format("; early stopping after epoch {} (best {})", early->stopped_epoch() + 1, early->best_epoch() + 1).c_str()
                        : "");
        if (parts.validation.empty()) {
            std::printf("  split:      %zu training rows, no validation rows\n", parts.train.size());
        } else if (classification) {
            std::printf("  split:      %zu training rows (%s), %zu validation rows (%s)\n", parts.train.size(),
                        counts_text(data.class_names, count_classes(data, parts.train)).c_str(), parts.validation.size(),
                        counts_text(data.class_names, count_classes(data, parts.validation)).c_str());
        } else {
            std::printf("  split:      %zu training rows, %zu validation rows\n", parts.train.size(), parts.validation.size());
        }
        if (finite) {
            std::printf("  train:      %s\n", metrics_text(final_train["metrics"], shown).c_str());
            if (!final_val.is_null()) std::printf("  validation: %s\n", metrics_text(final_val["metrics"], shown).c_str());
        }
        if (history.findings.empty()) {
            std::printf("  findings:   none\n");
        } else if (fit.verbose > 0) {
            // The doctor has printed them in full through the progress sink.
            std::vector<std::string> ids;
            for (const auto& f : history.findings) ids.push_back(f.id + " (" + f.severity + ")");
            std::printf("  findings:   %s\n", join(ids).c_str());
        } else {
            std::printf("  findings:   %zu\n", history.findings.size());
            for (const auto& f : history.findings) {
                std::printf("    [%s] %s: %s\n", f.severity.c_str(), f.id.c_str(), one_line(f.message).c_str());
                if (!f.fix.empty()) std::printf("      fix: %s\n", one_line(f.fix).c_str());
            }
        }
        std::printf("  wrote:      %s%s, %s%s\n", finite ? (result.model_path + ", ").c_str() : "", result.report_path.c_str(),
                    result.history_path.c_str(), checkpoint_epoch >= 0 ? (", " + checkpoint_path).c_str() : "");
        std::fflush(stdout);
    }
    if (!finite) {
        std::fprintf(stderr, "plexus: error: training diverged (the loss became NaN or Inf); no model was saved, the report is in %s; "
                             "fix: lower --lr, or add --standardize\n",
                     result.report_path.c_str());
        throw ExitRequest{kExitFailure};
    }
    result.model = std::move(model);
    return result;
}

}  // namespace plexus::cli
