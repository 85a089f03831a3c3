// train.nonfinite: NaN or Inf appeared in the loss, activations, gradients or
// weights; the Recorder names the first layer where it appeared. Exact, as
// SageMaker Debugger's ExplodingTensor rule (only_nan = false): any non-finite
// value fires it.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {

std::vector<Finding> train_nonfinite(const TrainingRecord& r) {
    if (!r.nonfinite) return {};
    const NonfiniteEvent& e = *r.nonfinite;
    std::string where;
    if (e.layer >= 0) {
        const auto& layer = r.layers[static_cast<std::size_t>(e.layer)];
        where = "the " + e.where + " of layer '" + e.layer_name + "' (layer " + std::to_string(e.layer + 1) + " of " +
                std::to_string(r.layers.size()) + ", " + layer.type +
                (layer.activation.empty() ? std::string() : " " + layer.activation) + ")";
    } else {
        where = "the " + e.where;
    }
    double last_finite = kNaN;
    int last_epoch = -1;
    for (const auto& s : r.epochs)
        if (std::isfinite(s.loss) && s.epoch < e.epoch) last_finite = s.loss, last_epoch = s.epoch;
    std::string message = "NaN or Inf appeared in " + epoch_name(e.epoch) +
                          (e.batch >= 0 ? " (batch " + std::to_string(e.batch + 1) + ")" : std::string()) +
                          "; the first non-finite values were in " + where + ".";
    if (last_epoch >= 0) message += " The last finite loss was " + fmt(last_finite) + " in " + epoch_name(last_epoch) + ".";
    message += " Once a weight is NaN every later output is too, and training cannot recover; the usual cause is a "
               "learning rate too large for the data's scale.";
    nlohmann::json evidence = {{"epoch", e.epoch + 1},
                               {"batch", e.batch >= 0 ? nlohmann::json(e.batch + 1) : nlohmann::json(nullptr)},
                               {"where", e.where},
                               {"layer", e.layer >= 0 ? nlohmann::json(e.layer_name) : nlohmann::json(nullptr)},
                               {"learning_rate", r.config.learning_rate},
                               {"last_finite_loss", last_finite}};
    std::string fix = learning_rate_fix(r, 0.1) + ", and clip gradients with clipnorm = 1.0 in the optimizer options (CLI: --clipnorm 1)";
    if (!r.run.inputs_standardized) fix += "; standardize the features (CLI: --standardize)";
    if (target_unscaled(r)) fix += "; standardize the target (CLI: --standardize-target on)";
    return {with_fix_options(make_finding("train.nonfinite", "error", message, evidence, fix, e.epoch), learning_rate_fix_options(r, 0.1))};
}

}  // namespace plexus::doctor
