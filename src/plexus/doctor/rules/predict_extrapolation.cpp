// predict.extrapolation: rows given to predict lie outside the training support
// (data/support.hpp: outside a feature's training range widened by 5%, or far
// from every training row), where the model's output is a guess.
#include <algorithm>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// Share of rows outside from which it is a warning; below, info. Ours: a few
// percent of tail rows outside is normal for data from the training distribution.
constexpr double kWarnShare = 0.05;

}  // namespace

std::vector<Finding> predict_extrapolation(const TrainingRecord& r) {
    if (!r.prediction || r.prediction->outside <= 0) return {};
    const PredictionFacts& p = *r.prediction;
    std::vector<std::string> features;
    nlohmann::json per_feature = nlohmann::json::array();
    for (std::size_t j = 0; j < p.outside_range.size(); ++j) {
        const std::string name = j < p.feature_names.size() ? p.feature_names[j] : "x" + std::to_string(j);
        per_feature.push_back({{"name", name},
                               {"train_range", {p.train_min[j], p.train_max[j]}},
                               {"query_range", {p.query_min[j], p.query_max[j]}},
                               {"rows_outside_range", p.outside_range[j]}});
        if (p.outside_range[j] > 0)
            features.push_back(name + " in " + fmt_range(p.query_min[j], p.query_max[j]) + " (training: " +
                               fmt_range(p.train_min[j], p.train_max[j]) + ")");
    }
    std::string message = std::to_string(p.outside) + " of " + std::to_string(p.rows) + " rows (" +
                          percent(p.outside_fraction) + ") lie outside the region the training data covers";
    message += features.empty() ? " (within every feature's range, but far from any training row)." : ": " + join(features, ", ") + ".";
    message += " There the model extrapolates: its outputs are guesses the training data never checked.";
    nlohmann::json evidence = {{"rows", p.rows}, {"outside", p.outside}, {"fraction", p.outside_fraction}, {"features", per_feature}};
    const std::string fix =
        "trust predictions only inside the training ranges (see evidence), or train on data that covers these inputs";
    return {make_finding("predict.extrapolation", p.outside_fraction >= kWarnShare ? "warning" : "info", message, evidence,
                         fix)};
}

}  // namespace plexus::doctor
