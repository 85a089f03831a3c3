// Fix verification: does the doctor's advice work on this run?
//
// verify_fixes trains a configuration, collects the fixes of its root findings
// as one option delta (Finding::fix_options, merged root first; a key set by an
// earlier fix is not overwritten), trains the configuration with the delta
// applied, and compares the findings and the target metric before and after.
// Both runs are written to temporary folders that are removed afterwards.
// `plexus doctor --verify` prints the comparison; the web playground can
// offer "apply the fixes" the same way with apply_fix_options.
//
//   VerifyResult v = verify_fixes({.config = config});
//   for (const auto& f : v.before) if (!v.still_found(f.id)) ...  // cleared
//   if (v.after_value > v.before_value) ...                         // the metric improved
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/doctor/finding.hpp"
#include "plexus/run/pipeline.hpp"

namespace plexus::run {

// The configuration with an option delta applied (a JSON merge patch on
// to_json(config); null removes a key, i.e. restores its default). Throws
// UsageError if the result is not a valid configuration.
RunConfig apply_fix_options(const RunConfig& config, const nlohmann::json& delta);

// The fix_options of the root findings (cause == id), merged in order; keys
// already set by an earlier finding are kept.
nlohmann::json merged_fix_options(const std::vector<Finding>& findings);

// "--standardize-target on --lr 0.001" for a delta (model/fit/data keys as the CLI spells them).
std::string fix_options_as_flags(const nlohmann::json& delta);

// The metric a run is judged by: validation (else training) r2 for regression,
// accuracy for classification; higher is better. -inf for a diverged run.
struct TargetMetric {
    std::string name;  // "val_r2", "val_accuracy", "r2", "accuracy"
    double value = 0;
};
TargetMetric target_metric(const TrainResult& result);

struct VerifyResult {
    RunConfig before_config, after_config;
    nlohmann::json applied = nlohmann::json::object();  // the delta (empty: no fix to apply; `after` is not run)
    std::vector<Finding> before, after;
    TargetMetric before_metric, after_metric;
    bool ran_after = false;
    bool still_found(const std::string& id) const;  // id is among `after`'s warnings or errors
};

// Trains request.config (its out_dir, resume and preflight fields are ignored),
// applies the merged fixes and trains again. Progress goes to request.progress
// only for the lines verify_fixes prints itself, not for the fits.
VerifyResult verify_fixes(const TrainRequest& request);

}  // namespace plexus::run
