// data.class_imbalance: one class vastly outnumbers another, so a model can
// score well by ignoring the small class.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// The largest class over the smallest: SageMaker Debugger's ClassImbalance
// rule, threshold_imbalance = 10.
constexpr double kMaxImbalance = 10.0;

}  // namespace

std::vector<Finding> data_class_imbalance(const TrainingRecord& r) {
    const LabelFacts& l = r.labels;
    if (!l.classification) return {};
    Index largest = 0, smallest = std::numeric_limits<Index>::max(), total = 0;
    Index big = -1, small = -1, present = 0;
    for (std::size_t c = 0; c < l.class_counts.size(); ++c) {
        const Index n = l.class_counts[c];
        total += n;
        if (n == 0) continue;
        ++present;
        if (n > largest) largest = n, big = static_cast<Index>(c);
        if (n < smallest) smallest = n, small = static_cast<Index>(c);
    }
    if (present < 2) return {};
    const double ratio = static_cast<double>(largest) / static_cast<double>(smallest);
    if (ratio <= kMaxImbalance) return {};

    // Keras/sklearn "balanced" weights: n / (classes * count).
    nlohmann::json weights = nlohmann::json::object();
    std::vector<std::string> weight_text;
    for (std::size_t c = 0; c < l.class_counts.size(); ++c) {
        if (l.class_counts[c] == 0) continue;
        const double w = static_cast<double>(total) / (static_cast<double>(present) * static_cast<double>(l.class_counts[c]));
        weights[std::to_string(c)] = w;
        weight_text.push_back("{" + std::to_string(c) + ", " + fmt(w) + "}");
    }
    const bool weighted = r.config.class_weight || r.config.sample_weight;
    std::string message = class_label(l, big) + " has " + std::to_string(largest) + " rows but " + class_label(l, small) +
                          " only " + std::to_string(smallest) + " (" + fmt(ratio) +
                          " to 1). A model can reach high accuracy by mostly ignoring the small class; accuracy alone "
                          "then hides it (look at recall per class).";
    if (weighted) message += " Class or sample weights are set, which compensates if they are balanced.";
    nlohmann::json evidence = {{"class_counts", l.class_counts}, {"imbalance_ratio", ratio}, {"balanced_class_weight", weights}};
    const std::string fix = "weight the classes: class_weight = {" + join(weight_text, ", ") +
                            "} in FitOptions (CLI: --class-weight balanced)";
    return {with_fix_options(make_finding("data.class_imbalance", weighted ? "info" : "warning", message, evidence, fix),
                             weighted ? nlohmann::json::object() : nlohmann::json{{"fit", {{"class_weight", "balanced"}}}})};
}

}  // namespace plexus::doctor
