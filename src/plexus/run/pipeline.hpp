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
};

struct TrainResult {
    nlohmann::json report;
    History history;                  // this run's epochs only
    std::vector<Finding> findings;    // the doctor's (training), or the pre-flight findings (preflight_only)
    Dataset data;                     // as loaded (raw features)
    Matrix inputs;                    // the model's inputs (standardized if asked)
    std::vector<Index> train_rows, validation_rows;
    Sequential model;
    ModelMetadata metadata;
    std::optional<Standardizer> standardizer;
    std::string model_path, report_path, history_path, checkpoint_path;  // empty when not written
    int verbose = 0;                  // the verbosity the fit ran with
    bool diverged = false;            // the loss became NaN or Inf: report written, no model saved
};

// Checks every option, trains, and writes the run folder. Throws UsageError /
// plexus::Error for bad input before anything is written; if anything fails
// later, the files written so far are removed (and the folder, if it was new).
TrainResult run_training(const TrainRequest& request);

}  // namespace plexus::run
