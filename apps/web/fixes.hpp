// "Apply fix": the settings change that carries out a doctor finding's fix.
//
// A Finding's `fix` is prose for people (docs/doctor.md); this table maps its
// stable id (and evidence, and the run's settings) to a change of the run's
// configuration, as a partial RunConfig JSON that the page merges into its
// settings before restarting, e.g. split.label_shift -> {"fit": {"split":
// "stratified"}}. The table is documented in docs/web.md; findings without a
// settings change (data.duplicates_across_split, data.constant_feature,
// predict.extrapolation: they need different data) get none.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "plexus/doctor/finding.hpp"
#include "plexus/run/config.hpp"

namespace plexus::web {

struct FixContext {
    bool classification = true;
    double learning_rate = 0.01;  // the rate the run used (the optimizer's default when unset)
    int max_epochs = 10'000;      // the server's cap
};

struct SettingsFix {
    nlohmann::json change;  // partial RunConfig JSON: {"fit": {"split": "stratified"}}
    std::string label;      // for the button's tooltip: "split = stratified"
};

// The change for `finding` under `config`, or nullopt when no setting fixes it
// (or the config already has the fix: applying it again would change nothing).
std::optional<SettingsFix> settings_fix(const Finding& finding, const run::RunConfig& config, const FixContext& context);

// `config` with `change` merged in (RunConfig's JSON, section by section).
nlohmann::json apply_change(nlohmann::json config, const nlohmann::json& change);

}  // namespace plexus::web
