// model.saturation: most units of a hidden tanh or sigmoid layer are saturated
// (tanh |a| > 0.99, sigmoid a < 0.01 or > 0.99) on nearly every row, so their
// gradients vanish and they stop learning.
//
// A unit is saturated for an epoch when it is saturated on at least 99% of the
// sampled rows (record.hpp: kUnitSaturatedShare, SageMaker Debugger's
// SaturatedActivation threshold_inactivity = 1%). The output layer is not
// checked: confident output probabilities are the goal there.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// A layer is saturated when more than this share of its units is: SageMaker
// Debugger's SaturatedActivation threshold_layer = 50%.
constexpr double kMaxSaturatedUnits = 0.5;
// Judged on the mean over the last tenth of the epochs (at least one). Ours.
constexpr std::size_t kTailDivisor = 10;
// Severity: warning while the model fits poorly (kPoorFitRatio, common.hpp), as
// AUTOTRAINER diagnoses activation problems only when training has not
// converged; info once it fits (saturated but working).

}  // namespace

std::vector<Finding> model_saturation(const TrainingRecord& r) {
    if (r.epochs.empty()) return {};
    const auto tail = last_epochs(r, kTailDivisor);
    std::vector<std::string> layers;
    nlohmann::json evidence_layers = nlohmann::json::array();
    int first_layer = -1;
    for (std::size_t i = 0; i < r.layers.size(); ++i) {
        const LayerFacts& layer = r.layers[i];
        if (layer.is_output || (layer.activation != "tanh" && layer.activation != "sigmoid")) continue;
        double units = 0, rows = 0;
        std::size_t n = 0;
        for (std::size_t e : tail) {
            if (r.epochs[e].layers.size() <= i) continue;  // an epoch without layer statistics
            const auto& s = r.epochs[e].layers[i];
            if (!std::isfinite(s.saturated_units)) continue;
            units += s.saturated_units;
            rows += s.saturated_fraction;
            ++n;
        }
        if (n == 0) continue;
        units /= static_cast<double>(n);
        rows /= static_cast<double>(n);
        if (units <= kMaxSaturatedUnits) continue;
        if (first_layer < 0) first_layer = static_cast<int>(i);
        layers.push_back("'" + layer.name + "' (" + layer.activation + ", " + std::to_string(layer.units) + " units): " +
                         percent(units) + " of its units");
        evidence_layers.push_back(
            {{"layer", layer.name}, {"activation", layer.activation}, {"saturated_units", units}, {"saturated_values", rows}});
    }
    if (layers.empty()) return {};
    const bool poor = poorly_fit(r);
    std::string message = "Saturated " + std::string(layers.size() > 1 ? "layers" : "layer") + " in the last " +
                          std::to_string(tail.size()) + " epoch" + (tail.size() > 1 ? "s" : "") + ": " + join(layers, "; ") +
                          " sit at the flat ends of the activation on at least " + percent(kUnitSaturatedShare) +
                          " of the rows. Their gradients are nearly zero, so they have stopped learning.";
    message += poor ? " Training has not converged, and saturation is a likely reason."
                    : " The model fits its training data anyway; saturation mostly means it is very confident.";
    // The fixes not already in force, the first as the option delta.
    std::vector<std::string> fixes;
    nlohmann::json options = nlohmann::json::object();
    if (!r.run.inputs_standardized) {
        fixes.push_back("standardize the features (CLI: --standardize)");
        options = {{"fit", {{"standardize", true}}}};
    }
    if (target_unscaled(r)) {
        fixes.push_back("standardize the target (CLI: --standardize-target on)");
        if (options.empty()) options = {{"fit", {{"standardize_target", "on"}}}};
    }
    fixes.push_back("use relu hidden units: Dense({.units = n, .activation = \"relu\"}) (CLI: --activation relu)");
    if (options.empty()) options = {{"model", {{"activation", "relu"}}}};
    fixes.push_back("lower the learning rate: " + learning_rate_fix(r, 0.1));
    return {with_fix_options(make_finding("model.saturation", poor ? "warning" : "info", message,
                                          {{"layers", evidence_layers}, {"threshold_layer", kMaxSaturatedUnits}},
                                          join(fixes, ", or "), r.epochs[tail.front()].epoch),
                             options)};
}

}  // namespace plexus::doctor
