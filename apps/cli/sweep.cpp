// `plexus sweep`: train every configuration of a grid (or K random ones) with
// the options of `plexus train`, one run folder each, and rank them in
// DIR/leaderboard.csv. Alone the trials run one after another; under mpirun
// rank 0 hands them out to every rank as they finish (dynamic assignment).
#include <cstdio>
#include <filesystem>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/sweep/grid.hpp"
#include "plexus/sweep/trial.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace {

struct SweepCli {
    RunConfig config;
    bool no_shuffle = false;
    std::string grid;
    std::size_t random = 0;
    std::string metric;
    std::string out;
    bool overwrite = false;
};

// One trial: the base configuration with the trial's options, trained into DIR/trial-NNN.
TrialResult run_trial(const SweepCli& a, const std::vector<TrialConfig>& configs, std::size_t index) {
    TrialResult r{.index = index, .config = configs[index]};
    RunConfig c = a.config;
    for (const auto& [key, value] : configs[index]) c = run::with_option(c, key, value);
    c.fit.verbose = 0;
    run::validate(c);
    r.run_dir = (std::filesystem::path(a.out) / fmt::format("trial-{:03}", index)).string();
    TrainRequest request{.config = c, .out_dir = r.run_dir, .overwrite = a.overwrite};
    const TrainResult result = run::run_training(request);
    const std::string metric = !a.metric.empty() ? a.metric : (c.fit.validation_split > 0 ? "val_loss" : "loss");
    record_history(r, result.history, metric);
    for (const auto& f : result.findings) r.findings.push_back(f.id);
    if (result.diverged) {
        r.ok = false;
        r.error = "diverged";
    }
    return r;
}

void run_sweep_command(SweepCli& a) {
    a.config.fit.shuffle = !a.no_shuffle;
    run::validate(a.config);
    SweepGrid grid;
    try {
        grid = parse_grid(a.grid);
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
    const std::vector<TrialConfig> configs = a.random > 0 ? sample_grid(grid, a.random, a.config.fit.seed) : expand_grid(grid);
    // Every key must be a training option: check before the first trial runs.
    for (const auto& [key, value] : configs.front()) run::with_option(a.config, key, value);
    const RunTrial trial = [&](std::size_t i) { return run_trial(a, configs, i); };
    const ProcessWorld where = process_world();
    if (where.rank == 0)
        std::printf("Sweep: %zu trials%s into %s\n", configs.size(),
                    where.size > 1 ? fmt::format(" over {} ranks", where.size).c_str() : "", a.out.c_str());
    const std::vector<TrialResult> results = run_trials(configs.size(), trial);
    if (where.rank != 0) return;
    std::filesystem::create_directories(a.out);
    const std::string board = (std::filesystem::path(a.out) / "leaderboard.csv").string();
    write_leaderboard(board, results);
    const auto ranked = rank_trials(results);
    std::size_t ok = 0;
    for (const auto& r : results) ok += r.ok;
    std::printf("%zu of %zu trials finished; best: %s (%s %s = %s); wrote %s\n", ok, results.size(),
                ranked.empty() || !ranked.front().ok ? "none" : format_config(ranked.front().config).c_str(),
                ranked.empty() ? "" : ranked.front().run_dir.c_str(), ranked.empty() ? "" : ranked.front().metric.c_str(),
                ranked.empty() || !ranked.front().ok ? "-" : fmt::format("{:.4f}", ranked.front().best).c_str(), board.c_str());
    if (ok == 0) throw ExitRequest{kExitFailure};
}

}  // namespace

void add_sweep_command(CLI::App& app) {
    auto a = std::make_shared<SweepCli>();
    CLI::App* cmd = app.add_subcommand("sweep", "Train every configuration of a grid (or K random ones) and rank them");
    add_train_config_options(*cmd, a->config, a->no_shuffle);
    cmd->add_option("--grid", a->grid, "Options to vary: 'lr=0.001,0.01;layers=16,16|32,32;activation=tanh,relu'")->required();
    cmd->add_option("--random", a->random, "Run K configurations drawn from the grid (seeded by --seed) instead of all")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--metric", a->metric, "What ranks the trials: its best epoch value (default val_loss, or loss without validation)");
    cmd->add_option("--out,-o", a->out, "The folder for the trials' runs (trial-000, ...) and leaderboard.csv")->required();
    cmd->add_flag("--overwrite", a->overwrite, "Replace trial runs left in --out by an earlier sweep");
    cmd->footer(R"(Examples:
  plexus sweep --data moons --epochs 50 --grid 'lr=0.001,0.01,0.1;layers=16,16|32,32;activation=tanh,relu' --out sweeps/moons
  plexus sweep --data moons --grid 'lr=0.001,0.003,0.01,0.03;batch-size=16,32,64' --random 5 --out sweeps/lr
  mpirun -np 4 plexus sweep ...      # trials spread over 4 ranks)");
    cmd->callback([a] { run_sweep_command(*a); });
}

}  // namespace plexus::cli
