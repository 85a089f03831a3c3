// plexus_mpi_train: data-parallel training and sweeps on a built-in dataset, under
// mpirun or alone (a world of one). The tests and docs/distributed.md run it; the
// `plexus` command wires the same library calls (plexus/distributed/*.hpp).
//
//   mpirun -np 2 plexus_mpi_train --data moons --layers 16,16 --epochs 3 --seed 1 --out run.json
//   mpirun -np 2 plexus_mpi_train --grid 'lr=0.01,0.1;layers=8|16,16' --out-dir sweep
//
// Training writes (rank 0) a JSON file with the history, the predictions on every row
// and the ranks used. A sweep writes DIR/trial-NNN/history.json per trial (by the rank
// that ran it) and DIR/leaderboard.csv (rank 0). Each rank uses --threads GEMM threads
// (default 1). --pid-dir DIR makes each rank write DIR/rank-R.pid (for the failure tests).
// Exit codes: 0 ok, 2 bad options or data, 3 a distributed failure (the job is aborted).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "plexus/core/parallel.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/distributed/data_parallel.hpp"
#include "plexus/distributed/sweep.hpp"
#include "plexus/plexus.hpp"
#include "plexus/run/fit.hpp"

namespace {

using namespace plexus;

struct Options {
    std::string data = "moons", layers = "16,16", activation = "tanh", optimizer = "sgd";
    Index samples = 400, batch_size = 32;
    int epochs = 3;
    double lr = 0.05, validation_split = 0.2;
    std::uint64_t seed = 1;
    int threads = 1, verbose = 0;
    std::string out, grid, out_dir, metric = "val_loss", pid_dir;
    std::size_t random = 0;
};

std::vector<Index> parse_layers(const std::string& text) {
    std::vector<Index> units;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const std::string part = text.substr(start, end - start);
        char* stop = nullptr;
        const long v = std::strtol(part.c_str(), &stop, 10);
        if (part.empty() || *stop != '\0' || v <= 0)
            throw ConfigError("--layers: '" + part + "' in '" + text + "' is not a positive integer; e.g. --layers 16,16");
        units.push_back(v);
        start = end + 1;
    }
    return units;
}

// The model of a configuration, compiled (softmax + sparse cross-entropy for classes, linear + mse otherwise).
Sequential make_model(const Options& o, const Dataset& data) {
    Sequential model;
    bool first = true;
    for (Index u : parse_layers(o.layers)) {
        model.add(Dense({.units = u, .activation = o.activation, .input_dim = first ? data.features() : 0}));
        first = false;
    }
    const bool classes = data.is_classification();
    model.add(Dense({.units = classes ? data.num_classes() : data.y.cols(), .activation = classes ? "softmax" : "linear"}));
    model.compile({.optimizer = {.name = o.optimizer, .learning_rate = o.lr},
                   .loss = classes ? "sparse_categorical_crossentropy" : "mse",
                   .metrics = {classes ? "accuracy" : "mae"},
                   .seed = o.seed});
    return model;
}

nlohmann::json history_json(const History& h) {
    nlohmann::json logs = nlohmann::json::object();
    for (const auto& [key, values] : h.history) logs[key] = values;
    return {{"epoch", h.epoch}, {"logs", logs}, {"seed", h.seed}, {"train_seconds", h.train_seconds}};
}

int train(const Options& o, DistributedWorld& world) {
    const Dataset data = make_dataset(o.data, {.samples = o.samples, .seed = o.seed});
    Sequential model = make_model(o, data);
    FitOptions fit{.epochs = o.epochs, .batch_size = o.batch_size, .validation_split = o.validation_split,
                   .seed = o.seed, .verbose = o.verbose,
                   .progress = [](std::string_view text) { std::cout << text << std::flush; }};
    configure_distributed(fit, world);
    const History history = model.fit(data.x, data.y, fit);
    const Matrix predictions = model.predict(data.x);
    if (!world.is_root() || o.out.empty()) return 0;
    nlohmann::json out = history_json(history);
    out["ranks"] = world.size();
    out["threads"] = num_threads();
    std::vector<std::vector<double>> rows(static_cast<std::size_t>(predictions.rows()));
    for (Index r = 0; r < predictions.rows(); ++r)
        for (Index c = 0; c < predictions.cols(); ++c) rows[static_cast<std::size_t>(r)].push_back(predictions(r, c));
    out["predictions"] = rows;
    write_file_atomic(o.out, out.dump() + "\n");
    return 0;
}

// One trial: the base options with the configuration's keys applied.
TrialResult run_trial(const Options& base, const TrialConfig& config, std::size_t index) {
    Options o = base;
    for (const auto& [key, value] : config) {
        if (key == "lr") o.lr = std::stod(value);
        else if (key == "layers") o.layers = value;
        else if (key == "activation") o.activation = value;
        else if (key == "optimizer") o.optimizer = value;
        else if (key == "batch_size") o.batch_size = std::stol(value);
        else if (key == "epochs") o.epochs = std::stoi(value);
        else throw ConfigError("--grid: unknown key '" + key + "'; valid: lr, layers, activation, optimizer, batch_size, epochs");
    }
    const Dataset data = make_dataset(o.data, {.samples = o.samples, .seed = o.seed});
    Sequential model = make_model(o, data);
    const auto [history, findings] = fit_with_doctor(
        model, data.x, data.y, {.epochs = o.epochs, .batch_size = o.batch_size, .validation_split = o.validation_split,
                                .seed = o.seed, .verbose = 0},
        {.print = false});
    TrialResult r{.index = index, .config = config};
    record_history(r, history, o.metric);
    for (const Finding& f : findings) r.findings.push_back(f.id);
    char name[32];
    std::snprintf(name, sizeof name, "trial-%03zu", index);
    r.run_dir = (std::filesystem::path(o.out_dir) / name).string();
    std::filesystem::create_directories(r.run_dir);
    nlohmann::json out = history_json(history);
    out["config"] = format_config(config);
    write_file_atomic(r.run_dir + "/history.json", out.dump() + "\n");
    return r;
}

int sweep(const Options& o, DistributedWorld& world) {
    if (o.out_dir.empty()) throw ConfigError("--grid needs --out-dir DIR (where the trials and leaderboard.csv go)");
    const SweepGrid grid = parse_grid(o.grid);
    const std::vector<TrialConfig> configs = o.random > 0 ? sample_grid(grid, o.random, o.seed) : expand_grid(grid);
    std::filesystem::create_directories(o.out_dir);
    const auto results =
        run_sweep(world, configs.size(), [&](std::size_t i) { return run_trial(o, configs[i], i); });
    if (world.is_root()) {
        write_leaderboard(o.out_dir + "/leaderboard.csv", results);
        std::cout << "sweep: " << results.size() << " trials over " << world.size() << " ranks; leaderboard in "
                  << o.out_dir << "/leaderboard.csv\n";
    }
    return 0;
}

void add_options(CLI::App& app, Options& o) {
    app.add_option("--data", o.data, "built-in dataset");
    app.add_option("--samples", o.samples, "rows of the dataset");
    app.add_option("--layers", o.layers, "hidden layer widths, e.g. 16,16");
    app.add_option("--activation", o.activation, "hidden activation");
    app.add_option("--optimizer", o.optimizer, "optimizer name");
    app.add_option("--lr", o.lr, "learning rate");
    app.add_option("--epochs", o.epochs, "epochs");
    app.add_option("--batch-size", o.batch_size, "global batch size (over all ranks)");
    app.add_option("--validation-split", o.validation_split, "validation fraction");
    app.add_option("--seed", o.seed, "seed of the data, split, shuffle and weights");
    app.add_option("--threads", o.threads, "GEMM threads per rank")->check(CLI::PositiveNumber);
    app.add_option("--verbose", o.verbose, "progress: 0, 1 or 2 (rank 0 only)");
    app.add_option("--out", o.out, "training: the JSON file rank 0 writes");
    app.add_option("--grid", o.grid, "sweep grid, e.g. 'lr=0.01,0.1;layers=8|16,16'");
    app.add_option("--random", o.random, "sweep: sample K configurations of the grid");
    app.add_option("--metric", o.metric, "sweep: the metric to rank by");
    app.add_option("--out-dir", o.out_dir, "sweep: the output folder");
    app.add_option("--pid-dir", o.pid_dir, "write rank-R.pid files here");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Plexus data-parallel training and sweeps on built-in data (run under mpirun or alone)"};
    Options o;
    add_options(app, o);
    CLI11_PARSE(app, argc, argv);
    std::unique_ptr<DistributedWorld> world;
    try {
        world = std::make_unique<DistributedWorld>();
    } catch (const Error& e) {
        std::cerr << "plexus_mpi_train: error: " << e.what() << "\n";
        return 3;
    }
    const std::string who = world->size() > 1 ? " (rank " + std::to_string(world->rank()) + ")" : "";
    try {
        set_num_threads(o.threads);
        if (!o.pid_dir.empty())
            write_file_atomic(o.pid_dir + "/rank-" + std::to_string(world->rank()) + ".pid", std::to_string(getpid()));
        return o.grid.empty() ? train(o, *world) : sweep(o, *world);
    } catch (const DistributedError& e) {
        std::cerr << "plexus_mpi_train: error: " << e.what() << std::endl;
        world->abort(3);
    } catch (const std::exception& e) {
        std::cerr << "plexus_mpi_train: error" << who << ": " << e.what() << std::endl;
        if (world->size() > 1) world->abort(2);  // a rank alone cannot leave the others waiting
        return 2;
    }
}
