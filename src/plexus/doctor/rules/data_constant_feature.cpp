// data.constant_feature: a feature with the same value in every training row.
// It carries no information (its weight acts as a second bias), and a column
// that is constant by mistake often means the wrong column was read.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {

// A feature is constant when its training minimum equals its maximum exactly;
// no threshold is needed. Standardizer leaves such columns unscaled.
std::vector<Finding> data_constant_feature(const TrainingRecord& r) {
    if (r.data.train_rows < 2) return {};
    std::vector<std::string> names, varying;
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t j = 0; j < r.data.features.size(); ++j) {
        const auto& f = r.data.features[j];
        if (!std::isfinite(f.train_min) || f.train_min != f.train_max) continue;
        names.push_back(f.name + " (always " + fmt(f.train_min) + ")");
        const bool varies = std::isfinite(f.val_min) && (f.val_min != f.train_min || f.val_max != f.train_max);
        if (varies) varying.push_back(f.name);
        features.push_back({{"name", f.name}, {"column", j}, {"value", f.train_min}, {"varies_in_validation", varies}});
    }
    if (names.empty()) return {};
    std::string message = "Constant feature" + std::string(names.size() > 1 ? "s" : "") + " in the training rows: " +
                          join(names, ", ") + ". It carries no information, and a column constant by mistake often "
                          "means the wrong column was read.";
    if (!varying.empty())
        message += " " + join(varying, ", ") + " does vary in the validation rows, which the model cannot have learned.";
    return {make_finding("data.constant_feature", "warning", message, {{"features", features}},
                         "drop the column from x before fit (CLI: remove it from the data file)")};
}

}  // namespace plexus::doctor
