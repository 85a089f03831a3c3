// Sweep trials: what one trial reports, the leaderboard of a sweep, and the local
// runner (trials one after another). The distributed runner (distributed/sweep.hpp)
// hands the same trials out over MPI ranks.
//
//   std::vector<TrialConfig> configs = expand_grid(parse_grid(grid_text));
//   RunTrial run = [&](std::size_t i) {
//       TrialResult r{.index = i, .config = configs[i]};
//       ... build, fit_with_doctor, save to out/trial-007 ...
//       record_history(r, history, "val_loss");           // best value, its epoch, epochs run
//       for (const Finding& f : findings) r.findings.push_back(f.id);
//       return r;
//   };
//   std::vector<TrialResult> results = run_trials_locally(configs.size(), run);
//   write_leaderboard("out/leaderboard.csv", results);
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "plexus/model/history.hpp"
#include "plexus/sweep/grid.hpp"

namespace plexus {

struct TrialResult {
    std::size_t index = 0;              // the trial's number in the sweep (0-based)
    TrialConfig config;                 // its parameters
    bool ok = false;                    // false: it failed, `error` says why
    std::string error;
    std::string metric;                 // what `best` measures, e.g. "val_loss" or "val_accuracy"
    double best = std::numeric_limits<double>::quiet_NaN();  // best value of `metric` over the epochs
    int best_epoch = -1;                // 0-based epoch of `best`
    int epochs = 0;                     // epochs run (early stopping may end a trial early)
    double seconds = 0;                 // wall time of the whole trial
    std::vector<std::string> findings;  // the doctor's finding ids
    std::string run_dir;                // where the trial wrote its run (empty: nowhere)
    int rank = 0;                       // the rank that ran it
};

// Runs trial `index` and returns its result (index, config, metric, ...). May throw:
// the runners turn any exception into a failed TrialResult and go on with the sweep.
// Under MPI it runs on any rank, and on rank 0 on a worker thread: it must not call MPI.
using RunTrial = std::function<TrialResult(std::size_t index)>;

// Whether larger values of a metric are better: accuracy, precision, recall, f1, r2
// (with or without "val_"); loss, mse, mae and anything else: smaller.
bool higher_is_better(std::string_view metric);

// Fills metric, best, best_epoch, epochs and ok from a History. Throws ConfigError
// naming the logs it has if `metric` is not among them.
void record_history(TrialResult& result, const History& history, const std::string& metric);

// Runs trials 0..count-1 one after another (wall time measured around each; exceptions
// become failed results with the message). Results in index order.
std::vector<TrialResult> run_trials_locally(std::size_t count, const RunTrial& run_trial);

// The trials ranked: successful ones by `best` (best first; ties by index), then failed
// ones by index.
std::vector<TrialResult> rank_trials(std::vector<TrialResult> results);

// The leaderboard as CSV, one row per trial in rank_trials order:
//   place,trial,<config keys...>,best_<metric>,best_epoch,epochs,seconds,rank,findings,status,run
// `place` is 1-based (empty for failed trials), `trial` the index, config keys in order
// of first appearance, findings separated by spaces, status "ok" or "failed: <error>".
// Fields with ',', '"' or line breaks are quoted (RFC 4180). Throws ConfigError if the
// successful trials report different metrics.
std::string leaderboard_csv(const std::vector<TrialResult>& results);
// Writes it atomically (write_file_atomic).
void write_leaderboard(const std::string& path, const std::vector<TrialResult>& results);

// For sending results between ranks.
nlohmann::json trial_to_json(const TrialResult& result);
TrialResult trial_from_json(const nlohmann::json& json);

}  // namespace plexus
