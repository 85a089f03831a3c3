// K-fold cross-validation: each fold is a full run (run_training: the doctor,
// the preprocessing fitted on that fold's training rows, early stopping on its
// validation rows) with the fold's rows held out as its test set; the result is
// the mean and standard deviation of every test metric over the folds.
// Folds are stratified for classification (each class dealt round-robin over the
// folds after a seeded shuffle), random for regression; the same seed gives the
// same folds and, whatever `jobs`, the same numbers.
//
//   CrossValidation cv = cross_validate({.config = c, .folds = 5, .jobs = 2, .out_dir = "cv"});
//   cv.summary["metrics"]["accuracy"]["mean"]
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/model/fit_options.hpp"
#include "plexus/run/config.hpp"
#include "plexus/data/dataset.hpp"

namespace plexus::run {

struct CrossValidationRequest {
    RunConfig config;          // --test-split must be 0 (each fold is the test set once)
    int folds = 5;             // >= 2, at most the rows (and, stratified, each class should have that many)
    int jobs = 1;              // folds trained at once, in threads
    std::string out_dir = "cv";  // fold k's run folder: out_dir/fold_k (1-based); the summary: out_dir/cv.json
    bool overwrite = false;
    std::string command;
    ProgressSink progress;     // one line per finished fold (unset: silent)
};

struct CrossValidation {
    nlohmann::json summary;    // {"folds", "seed", "metrics": {name: {"mean", "std", "values"}}, "fold_reports": [...]}
    std::vector<RowList> fold_rows;
};

// The test rows of each fold (0-based data rows, ascending).
std::vector<RowList> fold_rows(const Dataset& data, int folds, std::uint64_t seed);

// UsageError for bad folds/jobs or --test-split; the runs' errors otherwise.
CrossValidation cross_validate(const CrossValidationRequest& request);

}  // namespace plexus::run
