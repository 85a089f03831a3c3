// report.json; see report.hpp.
#include "plexus/run/report.hpp"

#include <cmath>
#include <ctime>
#include <set>

#include "plexus/run/outputs.hpp"
#include "plexus/run/recipe.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::run {
using json = nlohmann::json;

namespace {

bool is_val_key(const std::string& key) { return key.rfind("val_", 0) == 0; }

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json class_counts(const std::vector<Index>& counts) {
    json j = json::array();
    for (Index c : counts) j.push_back(c);
    return j;
}

json data_json(const RunFacts& f, json& split) {
    const Dataset& data = f.data;
    const bool classification = data.is_classification();
    json j = {{"source", data.source},
              {"task", classification ? "classification" : "regression"},
              {"rows", data.rows()},
              {"features", data.features()},
              {"feature_names", data.feature_names},
              {"target", data.target_name}};
    if (classification) {
        j["class_names"] = data.class_names;
        std::vector<Index> all(static_cast<std::size_t>(data.num_classes()), 0);
        for (Index i = 0; i < data.rows(); ++i) ++all[static_cast<std::size_t>(data.label(i))];
        j["class_counts"] = class_counts(all);
        split["class_names"] = data.class_names;
        split["train_class_counts"] = class_counts(count_classes(data, f.train_rows));
        split["validation_class_counts"] = class_counts(count_classes(data, f.validation_rows));
    }
    return j;
}

json split_json(const RunFacts& f) {
    json split = {{"method", to_string(f.method)},
                  {"reported_method", f.history.split.method},
                  {"validation_split", f.config.fit.validation_split},
                  {"train_rows", f.train_rows.size()},
                  {"validation_rows", f.validation_rows.size()},
                  {"validation_indices", f.validation_rows}};
    return split;
}

json epochs_json(const RunFacts& f) {
    json epochs = {{"requested", f.config.fit.epochs},
                   {"initial_epoch", f.initial_epoch},
                   {"epochs_run", f.history.epoch.size()},
                   {"completed", f.epochs_done},
                   {"stopped_early", f.early_stopping && f.stopped_epoch >= 0}};
    if (f.early_stopping && f.best_epoch >= 0) epochs["best_epoch"] = f.best_epoch;
    if (f.checkpoint_epoch >= 0) epochs["checkpoint_epoch"] = f.checkpoint_epoch;
    return epochs;
}

json resolved_json(const RunFacts& f) {
    Sequential& model = f.model;
    return {{"output_activation", output_activation(model)},
            {"loss", model.loss().name()},
            {"from_logits", model.compile_options().from_logits},
            {"metrics", model.compile_options().metrics},
            {"optimizer", model.optimizer().config()},
            {"learning_rate_final", model.optimizer().base_learning_rate()},
            {"split", to_string(f.method)},
            {"monitor", f.monitor}};
}

}  // namespace

json build_report(const RunFacts& f) {
    const History& history = f.history;
    json findings = json::array();
    for (const auto& finding : f.findings) findings.push_back(to_json(finding));
    json split = split_json(f);
    const json data = data_json(f, split);
    json ranges = json::array();
    for (const auto& [lo, hi] : f.metadata.feature_ranges) ranges.push_back({lo, hi});
    split["train_feature_ranges"] = ranges;
    return {
        {"format", "plexus-report"},
        {"format_version", 1},
        {"library_version", PLEXUS_VERSION},
        {"command", f.command},
        {"created_utc", utc_now()},
        {"status", !f.status.empty() ? f.status : f.finite ? "completed" : "diverged"},
        {"seed", f.config.fit.seed},
        {"config", to_json(f.config)},
        {"resolved", resolved_json(f)},
        {"resumed_from", f.resumed_from.empty() ? json() : json(f.resumed_from)},
        {"data", data},
        {"model", {{"config", f.model.config()}, {"parameters", f.model.count_params()}, {"input_dim", f.model.input_dim()},
                   {"output_dim", f.model.output_dim()}}},
        {"standardizer", f.standardizer ? to_json(*f.standardizer) : json()},
        {"target_standardizer", f.target_standardizer ? to_json(*f.target_standardizer) : json()},
        {"baseline", {{"loss", std::isfinite(f.baseline_loss) ? json(f.baseline_loss) : json()},
                      {"description", f.data.is_classification() ? "always predicting the training rows' class shares"
                                                                 : "always predicting the training rows' mean target"}}},
        {"split", std::move(split)},  // moved: it holds every validation row's index
        {"epochs", epochs_json(f)},
        {"history", merge_history(f.previous_history, history)},
        {"final", {{"train", f.final_train}, {"validation", f.final_validation}}},
        {"timing",
         {{"train_seconds", history.train_seconds},
          {"load_seconds", f.load_seconds},
          {"prepare_seconds", f.prepare_seconds},
          {"evaluate_seconds", f.evaluate_seconds},
          {"seconds_per_epoch", history.epoch.empty() ? 0.0 : history.train_seconds / static_cast<double>(history.epoch.size())},
          {"total_seconds", f.total_seconds}}},
        {"findings", findings},
        {"files",
         {{"model", f.finite ? json("model.plexus") : json()},
          {"report", "report.json"},
          {"history", "history.csv"},
          {"checkpoint", f.checkpoint_epoch >= 0 ? json("best.plexus") : json()}}},
    };
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


}  // namespace plexus::run
