// report.json in one place (schema: docs/report.md), and history.csv.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/model/history.hpp"
#include "plexus/model/split.hpp"
#include "plexus/run/config.hpp"

namespace plexus::run {

// Everything report.json describes about one finished run.
struct RunFacts {
    const RunConfig& config;                   // with the resolved model options
    const Dataset& data;
    Sequential& model;
    const History& history;                    // this run's epochs
    const std::vector<Finding>& findings;
    const ModelMetadata& metadata;
    const std::optional<Standardizer>& standardizer;
    const RowList& train_rows;
    const RowList& validation_rows;
    Split method = Split::automatic;
    std::string monitor;
    std::string command;
    std::string resumed_from;                  // "" for a new run
    nlohmann::json previous_history;           // the resumed run's (report.json "history"), or null
    int initial_epoch = 0;
    int epochs_done = 0;
    bool finite = true;                        // the weights are finite (else the run diverged)
    std::string status;                        // "" = completed or diverged (from finite); "running", "interrupted"
    int stopped_epoch = -1, best_epoch = -1;   // EarlyStopping's, -1 if it did not stop / is off
    bool early_stopping = false;
    int checkpoint_epoch = -1;
    nlohmann::json final_train, final_validation;  // evaluation_json of each part (null if not evaluated)
    double load_seconds = 0, total_seconds = 0;
    double prepare_seconds = 0;   // from the data in memory to fit's start (model, split, scaling, support summary)
    double evaluate_seconds = 0;  // the final evaluation on each part
    std::optional<Standardizer> target_standardizer;  // regression trained on a standardized target
    // The loss of always predicting the training rows' mean (median for mae) on
    // the model's targets: the "baseline" line of the learning curves. NaN if unknown.
    double baseline_loss = std::numeric_limits<double>::quiet_NaN();
};

nlohmann::json build_report(const RunFacts& facts);

// The "history" of a report: {"epoch": [...], "loss": [...], ...}.
nlohmann::json history_json(const History& h);
// Appends this run's history to a previous run's (from its report.json).
nlohmann::json merge_history(const nlohmann::json& previous, const History& current);
// epoch, loss, training metrics, val_loss, validation metrics, then anything else (learning_rate).
std::string history_csv(const nlohmann::json& history);

}  // namespace plexus::run
