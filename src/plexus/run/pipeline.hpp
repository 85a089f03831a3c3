// The run pipeline behind `plexus train` and `plexus demo`, and the one the
// Python package, the web playground and MPI training call: load the data,
// build (or resume) the model from the configuration, plan the split,
// standardize on the training rows, fit with the doctor watching, evaluate
// both parts, and write the run folder (model.plexus, report.json,
// history.csv; best.plexus with checkpoint). The report's schema is in
// docs/report.md; report.hpp assembles it.
//
//   TrainRequest request{.config = config, .out_dir = "runs/moons"};
//   request.progress = [](std::string_view s) { std::cout << s; };
//   TrainResult result = run_training(request);
//   if (result.diverged) ...   // no model saved; the report says so
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/model/callback.hpp"
#include "plexus/model/fit_options.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/run/config.hpp"

namespace plexus::run {

struct TrainRequest {
    RunConfig config;
    std::string out_dir = "run";
    std::string resume_dir;           // non-empty: continue the run stored there (config from resume_config)
    std::optional<double> resume_lr;  // a learning rate given with resume: replaces the stored one
    std::vector<CallbackPtr> callbacks;  // added to fit's (e.g. a plot::SnapshotRecorder)
    bool preflight_only = false;      // check options, data and split, run the doctor's pre-flight rules
                                      // on exactly what fit would see, and stop: no training, no files
    ProgressSink progress;            // fit's progress, the doctor's findings and the opening line (unset: silent)
    std::function<void(const Finding&)> on_finding;  // each doctor finding as it is raised (DoctorOptions::on_finding)
    bool interactive = false;         // verbose -1 means 1 (progress bar) instead of 2 (a line per epoch)
    std::string command;              // the command line, for the report
    bool overwrite = false;           // replace a previous run in out_dir (its run files are removed first)
    int checkpoint_every = 0;         // save a resumable checkpoint after every N-th epoch; 0 = every ~5 s
    RowList held_out_rows;            // data rows (0-based) held out as the test set instead of --test-split's (cv folds)
    const std::atomic<int>* interrupt = nullptr;  // set non-zero (e.g. to the signal number) to stop at the next
                                      // batch; the last finished epoch is saved and can be resumed exactly
    // The last change to fit's options, after the doctor and the run's callbacks are in
    // (data parallelism: shard, gradient allreduce first, progress on one process). It
    // must not change the split (validation_split, split, seed, validation_data): the run
    // planned it before, for the scaler and the report (std::logic_error if it does).
    std::function<void(FitOptions&)> configure_fit;
    bool write_files = true;          // false: train only, write nothing (the other ranks of an MPI run)
};

struct TrainResult {
    nlohmann::json report;
    History history;                  // this run's epochs only (the split's rows: train_rows, validation_rows)
    std::vector<Finding> findings;    // the doctor's (training), or the pre-flight findings (preflight_only)
    Dataset data;                     // as loaded (raw features)
    Matrix inputs;                    // the standardized inputs with --standardize (empty otherwise: fit reads data.x)
    RowList train_rows, validation_rows;
    Sequential model;
    ModelMetadata metadata;
    std::optional<Standardizer> standardizer;
    std::optional<Standardizer> target_standardizer;  // regression with --standardize-target (on, or auto and far from 1)
    std::string target_scaling_note;  // why the target was (not) standardized, as printed; "" when not regression
    std::string model_path, report_path, history_path, checkpoint_path;  // empty when not written
    int verbose = 0;                  // the verbosity the fit ran with
    bool diverged = false;            // the loss became NaN or Inf: report written, no model saved
    bool interrupted = false;         // stopped by TrainRequest::interrupt; saved after the last finished epoch
};

// Checks every option, trains, and writes the run folder. Throws UsageError /
// plexus::Error for bad input before anything is written; if anything fails
// later, the files written so far are removed (and the folder, if it was new).
TrainResult run_training(const TrainRequest& request);

}  // namespace plexus::run
