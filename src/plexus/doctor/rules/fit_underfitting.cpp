// fit.underfitting: at the end of training the training loss is still high
// compared with the loss of the best constant prediction (the baseline: the
// class-share entropy for cross-entropy, the target variance for mse): the model
// has too little capacity or too little training.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// The final training loss (mean of the last 3 epochs) is above this share of
// the baseline loss: kPoorFitRatio (common.hpp) = 0.5, i.e. the model removed
// less than half of the loss a constant predictor leaves (for mse: training
// R^2 below 0.5). Ours; AUTOTRAINER's analogue is training accuracy below
// Theta = 0.7.
constexpr double kMaxLossRatio = kPoorFitRatio;

}  // namespace

std::vector<Finding> fit_underfitting(const TrainingRecord& r) {
    const auto ratio = loss_ratio(r);
    if (!ratio || *ratio <= kMaxLossRatio) return {};
    const int epochs = static_cast<int>(r.epochs.size());
    const double last = final_loss(r);
    std::string message = "After " + std::to_string(epochs) + " epoch" + (epochs > 1 ? "s" : "") +
                          " the training loss is " + fmt(last) + ", " +
                          (*ratio >= 1 ? fmt(*ratio) + " times" : percent(*ratio) + " of") + " the " +
                          fmt(r.config.baseline_loss) + " that " + baseline_phrase(r) +
                          " gives: the model has not learned the training data. It needs more capacity (units, "
                          "layers), more epochs, or a better learning rate.";
    const int more = std::max(2 * r.config.epochs, 10);
    const std::string fix = "train longer (epochs = " + std::to_string(more) + " in FitOptions; CLI: --epochs " +
                            std::to_string(more) + "), or add capacity: more units or layers, e.g. "
                            "Dense({.units = 32, .activation = \"relu\"}) (CLI: --layers 32,32)";
    nlohmann::json evidence = {{"final_train_loss", last},
                               {"baseline_loss", r.config.baseline_loss},
                               {"loss_ratio", *ratio},
                               {"threshold", kMaxLossRatio},
                               {"epochs", epochs}};
    return {make_finding("fit.underfitting", "warning", message, evidence, fix)};
}

}  // namespace plexus::doctor
