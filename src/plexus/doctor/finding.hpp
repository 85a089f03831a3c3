// A finding of the training doctor: a stable id ("split.label_shift"), a
// severity, a plain explanation, the numbers that triggered it, and the fix.
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
};

inline nlohmann::json to_json(const Finding& f) {
    nlohmann::json j = {{"id", f.id}, {"severity", f.severity}, {"message", f.message}, {"evidence", f.evidence}, {"fix", f.fix}};
    if (f.epoch) j["epoch"] = *f.epoch;
    return j;
}

}  // namespace plexus
