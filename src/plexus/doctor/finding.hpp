// A finding of the training doctor: a stable id ("split.label_shift"), a
// severity, a plain explanation, the numbers that triggered it, the fix in
// words and as an option delta, and the finding that causes it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace plexus {

struct Finding {
    std::string id;
    std::string severity;  // "info", "warning", "error"
    std::string message;
    nlohmann::json evidence = nlohmann::json::object();
    std::string fix;
    std::optional<int> epoch;  // the epoch it concerns, if any (0-based)
    // The fix as a change of the run's options, keyed like run::RunConfig's JSON
    // (sections "data", "model", "fit"): {"fit": {"split": "stratified"}} or
    // {"model": {"lr": 0.001}}. A front end merges it into its configuration
    // (JSON merge patch) and trains again. Empty when the fix is not an option
    // change (collect more data, change the code). Never repeats a setting in force.
    nlohmann::json fix_options = nlohmann::json::object();
    // The id of the finding that explains this one (the root cause), or its own
    // id when it is a root. Fixing the root is expected to clear its effects.
    std::string cause;
};

inline nlohmann::json to_json(const Finding& f) {
    nlohmann::json j = {{"id", f.id},          {"severity", f.severity}, {"message", f.message},
                        {"evidence", f.evidence}, {"fix", f.fix},        {"fix_options", f.fix_options},
                        {"cause", f.cause.empty() ? f.id : f.cause}};
    if (f.epoch) j["epoch"] = *f.epoch;
    return j;
}

}  // namespace plexus
