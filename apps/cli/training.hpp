// The training pipeline behind `plexus train` and `plexus demo`: the options
// of a run (data, model, fit), their checks, building the model from flags or
// a --model-spec file, fitting with the callbacks the flags ask for, and the
// run folder (model.plexus, report.json, history.csv; best.plexus with
// --checkpoint). The report's schema is documented in docs/report.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "plexus/model/callback.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/model/history.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::plot {
class SnapshotRecorder;
}

namespace plexus::cli {

struct ModelArgs {
    std::string layers = "16,16";  // hidden Dense widths; "" or "none" for none
    std::string activation = "tanh";
    std::string output;            // softmax, sigmoid, linear...; default from the task
    std::string model_spec;        // a JSON file: a list of layer configs (overrides the flags above)
    std::string loss;              // default from the task and output activation
    bool from_logits = false;
    std::string optimizer = "adam";
    std::optional<double> lr;      // default: the optimizer's Keras default
    double momentum = 0.0;         // sgd
    bool nesterov = false;         // sgd
    std::optional<double> clipnorm;   // clip each gradient tensor to this L2 norm
    std::optional<double> clipvalue;  // clip each gradient element to [-v, v]
    std::string metrics;           // comma list; default accuracy (classes) or mae,r2 (regression)
};

struct FitArgs {
    int epochs = 100;
    Index batch_size = 32;
    double validation_split = 0.2;
    std::string split = "auto";    // auto (stratified for classes, random for regression), tail, random, stratified
    std::uint64_t seed = 0;        // data generation, weights, split, shuffle, dropout
    int early_stopping = 0;        // patience; 0 = off
    bool restore_best_weights = false;
    std::string monitor;           // default val_loss (loss without validation)
    int reduce_lr_on_plateau = 0;  // patience; 0 = off
    double reduce_lr_factor = 0.1;
    bool checkpoint = false;       // keep the best epoch's model in best.plexus
    bool standardize = false;
    bool shuffle = true;
    std::string class_weight;      // "", "balanced", or "name:weight,name:weight"
    int verbose = -1;              // 0, 1, 2; -1 = 1 on a terminal, 2 otherwise
};

struct TrainConfig {
    DataArgs data;
    ModelArgs model;
    FitArgs fit;
};

nlohmann::json to_json(const TrainConfig& c);
TrainConfig train_config_from_json(const nlohmann::json& j);

struct TrainRequest {
    TrainConfig config;
    std::string out_dir = "run";
    std::string resume_dir;        // non-empty: continue the run stored there
    std::optional<double> resume_lr;  // --lr given with --resume: replaces the stored learning rate
    bool print_summary = true;     // the closing summary on stdout
    std::vector<CallbackPtr> callbacks;  // added to fit's (e.g. a plot::SnapshotRecorder for --plots)
    bool preflight_only = false;   // `plexus doctor`: check options, data and split, run the pre-flight
                                   // rules on exactly what fit would see, and stop: no training, no files
};

struct TrainResult {
    nlohmann::json report;
    History history;               // this run's epochs only
    std::vector<Finding> findings; // the doctor's
    Dataset data;                  // as loaded (raw features)
    Matrix inputs;                 // the model's inputs (standardized if asked)
    std::vector<Index> train_rows, validation_rows;
    Sequential model;
    ModelMetadata metadata;
    std::optional<Standardizer> standardizer;
    std::string model_path, report_path, history_path;
    std::vector<Finding> preflight_findings;  // preflight_only
};

// Checks every option, trains, and writes the run folder. Throws UsageError /
// plexus::Error for bad input before anything is written; if anything fails
// later, the files written so far are removed (and the folder, if it was new).
TrainResult run_training(const TrainRequest& request);

// The data, model and fit flags of `plexus train` (everything but --out,
// --resume and --verbose), shared with `plexus doctor` so their flags match.
// --no-shuffle sets `no_shuffle`.
void add_train_config_options(CLI::App& cmd, TrainConfig& config, bool& no_shuffle);

// ---- Pictures (plot.cpp) ------------------------------------------------

// `plexus train --plots` and `plexus demo`: writes boundary.png, layers.png,
// animation.png and animation.gif (2-input classifiers; the animation needs
// `snapshots` recorded during the fit), curves.png and confusion.png
// (classification, on the validation rows, or all rows without validation)
// into `dir`. Plots that do not apply are skipped with a note on stdout
// (unless quiet). Returns the paths written.
std::vector<std::string> write_run_plots(TrainResult& run, const std::string& dir, const plot::SnapshotRecorder* snapshots,
                                         bool quiet = false);

// The epochs (0-based, absolute) a SnapshotRecorder should record for a run
// going from `initial_epoch` to `epochs`.
std::vector<int> animation_epochs(int initial_epoch, int epochs);

}  // namespace plexus::cli
