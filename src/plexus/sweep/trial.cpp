// Trial results, leaderboard and the local runner; see trial.hpp.
#include "plexus/sweep/trial.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"

namespace plexus {

bool higher_is_better(std::string_view metric) {
    if (metric.rfind("val_", 0) == 0) metric.remove_prefix(4);
    for (std::string_view name : {"accuracy", "acc", "precision", "recall", "f1", "r2"})
        if (metric == name) return true;
    return false;
}

void record_history(TrialResult& result, const History& history, const std::string& metric) {
    const auto it = history.history.find(metric);
    if (it == history.history.end()) {
        std::string have;
        for (const auto& [key, values] : history.history) have += (have.empty() ? "" : ", ") + key;
        throw ConfigError("sweep metric '" + metric + "' is not among the logs of the fit (" + have +
                          "); pick one of them (validation metrics need a validation split)");
    }
    const bool higher = higher_is_better(metric);
    result.metric = metric;
    result.epochs = static_cast<int>(history.epoch.size());
    result.best = std::numeric_limits<double>::quiet_NaN();
    result.best_epoch = -1;
    for (std::size_t i = 0; i < it->second.size(); ++i) {
        const double v = it->second[i];
        if (std::isnan(v)) continue;
        if (result.best_epoch < 0 || (higher ? v > result.best : v < result.best)) {
            result.best = v;
            result.best_epoch = i < history.epoch.size() ? history.epoch[i] : static_cast<int>(i);
        }
    }
    result.ok = true;
}

std::vector<TrialResult> run_trials_locally(std::size_t count, const RunTrial& run_trial) {
    std::vector<TrialResult> results;
    results.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        TrialResult r;
        try {
            r = run_trial(i);
        } catch (const std::exception& e) {
            r = TrialResult{.index = i, .ok = false, .error = e.what()};
        }
        r.index = i;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        results.push_back(std::move(r));
    }
    return results;
}

std::vector<TrialResult> rank_trials(std::vector<TrialResult> results) {
    std::stable_sort(results.begin(), results.end(), [](const TrialResult& a, const TrialResult& b) {
        const bool a_ok = a.ok && !std::isnan(a.best), b_ok = b.ok && !std::isnan(b.best);
        if (a_ok != b_ok) return a_ok;
        if (a_ok && a.best != b.best) return higher_is_better(a.metric) ? a.best > b.best : a.best < b.best;
        return a.index < b.index;
    });
    return results;
}

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double v, const char* format) {
    if (std::isnan(v)) return "";
    char text[64];
    std::snprintf(text, sizeof text, format, v);
    return text;
}

}  // namespace

std::string leaderboard_csv(const std::vector<TrialResult>& results) {
    std::vector<std::string> keys;
    std::string metric;
    for (const TrialResult& r : results) {
        for (const auto& [key, value] : r.config)
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        if (!r.ok || r.metric.empty()) continue;
        if (!metric.empty() && r.metric != metric)
            throw ConfigError("leaderboard: trials report different metrics ('" + metric + "' and '" + r.metric +
                              "'); every trial must report the same metric");
        metric = r.metric;
    }
    std::string csv = "place,trial";
    for (const std::string& key : keys) csv += "," + csv_field(key);
    csv += ",best_" + (metric.empty() ? std::string("metric") : metric) + ",best_epoch,epochs,seconds,rank,findings,status,run\n";
    int place = 0;
    for (const TrialResult& r : rank_trials(results)) {
        const bool ranked = r.ok && !std::isnan(r.best);
        csv += (ranked ? std::to_string(++place) : std::string()) + "," + std::to_string(r.index);
        for (const std::string& key : keys) {
            const auto it = std::find_if(r.config.begin(), r.config.end(), [&](const auto& kv) { return kv.first == key; });
            csv += "," + (it == r.config.end() ? std::string() : csv_field(it->second));
        }
        std::string findings;
        for (const std::string& id : r.findings) findings += (findings.empty() ? "" : " ") + id;
        csv += "," + number(r.best, "%.9g") + "," + (r.best_epoch >= 0 ? std::to_string(r.best_epoch) : std::string()) +
               "," + std::to_string(r.epochs) + "," + number(r.seconds, "%.3f") + "," + std::to_string(r.rank) + "," +
               csv_field(findings) + "," +
               csv_field(r.ok ? std::string("ok") : "failed: " + r.error) + "," + csv_field(r.run_dir) + "\n";
    }
    return csv;
}

void write_leaderboard(const std::string& path, const std::vector<TrialResult>& results) {
    write_file_atomic(path, leaderboard_csv(results));
}

nlohmann::json trial_to_json(const TrialResult& r) {
    nlohmann::json config = nlohmann::json::array();
    for (const auto& [key, value] : r.config) config.push_back({key, value});
    return {{"index", r.index},     {"config", config},         {"ok", r.ok},           {"error", r.error},
            {"metric", r.metric},   {"best", std::isnan(r.best) ? nlohmann::json(nullptr) : nlohmann::json(r.best)},
            {"best_epoch", r.best_epoch}, {"epochs", r.epochs}, {"seconds", r.seconds}, {"findings", r.findings},
            {"run_dir", r.run_dir}, {"rank", r.rank}};
}

TrialResult trial_from_json(const nlohmann::json& j) {
    TrialResult r;
    try {
        r.index = j.at("index").get<std::size_t>();
        for (const auto& kv : j.at("config")) r.config.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
        r.ok = j.at("ok").get<bool>();
        r.error = j.at("error").get<std::string>();
        r.metric = j.at("metric").get<std::string>();
        r.best = j.at("best").is_null() ? std::numeric_limits<double>::quiet_NaN() : j.at("best").get<double>();
        r.best_epoch = j.at("best_epoch").get<int>();
        r.epochs = j.at("epochs").get<int>();
        r.seconds = j.at("seconds").get<double>();
        r.findings = j.at("findings").get<std::vector<std::string>>();
        r.run_dir = j.at("run_dir").get<std::string>();
        r.rank = j.at("rank").get<int>();
    } catch (const nlohmann::json::exception& e) {
        throw DataError(std::string("sweep: a trial result message is malformed (") + e.what() +
                        "); all ranks must run the same Plexus build");
    }
    return r;
}

}  // namespace plexus
