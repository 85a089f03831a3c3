// K-fold cross-validation; see cross_validation.hpp.
#include "plexus/run/cross_validation.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "plexus/core/rng.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/model/fit_plan.hpp"
#include "plexus/run/evaluation.hpp"
#include "plexus/run/pipeline.hpp"
#include "plexus/run/table_source.hpp"

namespace plexus::run {
namespace {

// Mean, standard deviation (numpy's default ddof=0, so that scikit-learn's
// `scores.mean(), scores.std()` match) and the values.
nlohmann::json aggregate(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values) sum += v;
    const double mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    return {{"mean", mean}, {"std", std::sqrt(squares / static_cast<double>(values.size()))}, {"values", values}};
}

}  // namespace

std::vector<RowList> fold_rows(const Dataset& data, int folds, std::uint64_t seed) {
    Rng rng(seed_streams(seed).split ^ 0xc0ffee5eedc0ffeeULL);  // its own stream
    std::map<int, RowList> groups;                  // regression: one group
    for (Index i = 0; i < data.rows(); ++i) groups[data.is_classification() ? data.label(i) : 0].push_back(i);
    std::vector<RowList> out(static_cast<std::size_t>(folds));
    std::size_t next = 0;  // continue the round-robin across classes so fold sizes differ by at most one
    for (auto& group : groups) {
        auto& rows = group.second;
        rng.shuffle(rows);
        for (const Index r : rows) out[next++ % out.size()].push_back(r);
    }
    for (auto& f : out) std::sort(f.begin(), f.end());
    return out;
}

CrossValidation cross_validate(const CrossValidationRequest& req) {
    if (req.folds < 2) throw UsageError(fmt::format("--folds {}: must be at least 2; fix: e.g. --folds 5", req.folds));
    if (req.jobs < 1) throw UsageError(fmt::format("--jobs {}: must be at least 1", req.jobs));
    if (req.config.fit.test_split > 0)
        throw UsageError("--test-split with cv: each fold is the test set once; fix: drop --test-split");
    validate(req.config);
    const Dataset data = prepare_training_data(req.config).data;  // labels in file order, for the folds
    if (data.rows() < req.folds)
        throw UsageError(fmt::format("--folds {}: more folds than the {} rows of {}; fix: use fewer folds", req.folds, data.rows(), data.source));
    CrossValidation cv;
    cv.fold_rows = fold_rows(data, req.folds, req.config.fit.seed);
    std::vector<nlohmann::json> reports(static_cast<std::size_t>(req.folds));
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(req.folds));
    std::mutex mutex;
    auto run_fold = [&](int k) {
        try {
            TrainRequest r{.config = req.config, .out_dir = (std::filesystem::path(req.out_dir) / fmt::format("fold_{}", k + 1)).string()};
            r.config.fit.verbose = 0;
            r.command = req.command;
            r.overwrite = req.overwrite;
            r.held_out_rows = cv.fold_rows[static_cast<std::size_t>(k)];
            reports[static_cast<std::size_t>(k)] = run_training(r).report;
            if (req.progress) {
                const std::lock_guard lock(mutex);
                const auto& m = reports[static_cast<std::size_t>(k)]["test"]["evaluation"]["metrics"];
                std::string line = fmt::format("fold {}/{}: {} test rows", k + 1, req.folds, r.held_out_rows.size());
                for (auto it = m.begin(); it != m.end(); ++it)
                    if (it->is_number()) line += fmt::format("  {} {:.4f}", it.key(), it->get<double>());
                req.progress(line + "\n");
            }
        } catch (...) {
            errors[static_cast<std::size_t>(k)] = std::current_exception();
        }
    };
    for (int start = 0; start < req.folds; start += req.jobs) {  // batches of `jobs` folds
        std::vector<std::thread> threads;
        for (int k = start; k < std::min(req.folds, start + req.jobs); ++k) threads.emplace_back(run_fold, k);
        for (auto& t : threads) t.join();
        for (auto& e : errors)
            if (e) std::rethrow_exception(e);
    }
    std::map<std::string, std::vector<double>> values;
    nlohmann::json folds = nlohmann::json::array();
    for (int k = 0; k < req.folds; ++k) {
        const auto& report = reports[static_cast<std::size_t>(k)];
        const auto& m = report["test"]["evaluation"]["metrics"];
        for (auto it = m.begin(); it != m.end(); ++it)
            if (it->is_number()) values[it.key()].push_back(it->get<double>());
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& f : report.value("findings", nlohmann::json::array())) ids.push_back(f.value("id", ""));
        folds.push_back({{"fold", k + 1}, {"test_rows", cv.fold_rows[static_cast<std::size_t>(k)].size()}, {"metrics", m},
                         {"findings", ids}, {"run", (std::filesystem::path(req.out_dir) / fmt::format("fold_{}", k + 1)).string()}});
    }
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, v] : values)
        if (v.size() == static_cast<std::size_t>(req.folds)) metrics[name] = aggregate(v);
    cv.summary = {{"folds", req.folds}, {"seed", req.config.fit.seed}, {"rows", data.rows()}, {"source", data.source},
                  {"stratified", data.is_classification()}, {"metrics", metrics}, {"fold_reports", folds}, {"config", to_json(req.config)}};
    write_file_atomic((std::filesystem::path(req.out_dir) / "cv.json").string(), cv.summary.dump(2) + "\n");
    return cv;
}

}  // namespace plexus::run
