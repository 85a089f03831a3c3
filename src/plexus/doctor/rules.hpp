// The training doctor's rules and their registry.
//
// A rule is a pure function from a TrainingRecord (record.hpp) to findings:
// no I/O, no model, no randomness, so each can be unit-tested on a record built
// by hand. Each lives in its own file under rules/, named after its id
// (split.label_shift -> rules/split_label_shift.cpp), with its thresholds as
// named constexpr constants, each documented with its source (AUTOTRAINER,
// SageMaker Debugger's built-in rules, a textbook, or "ours" with the reason).
//
// Phases say when the Doctor runs a rule:
//   preflight  on the data, split and configuration, before the first epoch
//   epoch      on the per-epoch statistics (training dynamics), after fit
//   final      on the outcome of the fit (over/underfitting), after fit
//   predict    on inputs given to predict (check_prediction in doctor.hpp)
// Ids are part of the API; docs/doctor.md lists them with their thresholds.
#pragma once

#include <string>
#include <vector>

#include "plexus/doctor/record.hpp"
#include "plexus/doctor/finding.hpp"

namespace plexus::doctor {

enum class Phase { preflight, epoch, final, predict };
std::string to_string(Phase phase);

using RuleFunction = std::vector<Finding> (*)(const TrainingRecord&);

struct Rule {
    const char* id;        // "split.label_shift"
    Phase phase;
    RuleFunction check;
    const char* summary;   // one line: what triggers it
};

// Every rule, by phase in the order above, and within a phase in a fixed order.
const std::vector<Rule>& all_rules();
// Runs the rules of one phase, in registry order, and concatenates their findings.
std::vector<Finding> run_rules(const TrainingRecord& record, Phase phase);

// data.unscaled_target's test on a regression target's mean and (population)
// standard deviation: |mean| or std above 10, or std below 0.1. The run layer
// standardizes such targets by default (--standardize-target auto).
bool target_needs_scaling(double mean, double std);

// --- Pre-flight (data, split, configuration) ---
std::vector<Finding> split_label_shift(const TrainingRecord& record);
std::vector<Finding> split_covariate_shift(const TrainingRecord& record);
std::vector<Finding> data_sorted_by_label(const TrainingRecord& record);
std::vector<Finding> data_unscaled(const TrainingRecord& record);
std::vector<Finding> data_unscaled_target(const TrainingRecord& record);
std::vector<Finding> data_class_imbalance(const TrainingRecord& record);
std::vector<Finding> data_duplicates_across_split(const TrainingRecord& record);
std::vector<Finding> data_constant_feature(const TrainingRecord& record);
std::vector<Finding> config_loss_activation_mismatch(const TrainingRecord& record);
std::vector<Finding> config_labels_mismatch(const TrainingRecord& record);

// --- During training (per-epoch statistics) ---
std::vector<Finding> train_nonfinite(const TrainingRecord& record);
std::vector<Finding> train_diverging(const TrainingRecord& record);
std::vector<Finding> train_stalled(const TrainingRecord& record);
std::vector<Finding> model_saturation(const TrainingRecord& record);
std::vector<Finding> model_dead_units(const TrainingRecord& record);
std::vector<Finding> model_vanishing_gradients(const TrainingRecord& record);
std::vector<Finding> model_exploding_gradients(const TrainingRecord& record);

// --- After training ---
std::vector<Finding> fit_overfitting(const TrainingRecord& record);
std::vector<Finding> fit_underfitting(const TrainingRecord& record);
std::vector<Finding> fit_validation_gap(const TrainingRecord& record);

// --- At prediction (reads record.prediction) ---
std::vector<Finding> predict_extrapolation(const TrainingRecord& record);

}  // namespace plexus::doctor
