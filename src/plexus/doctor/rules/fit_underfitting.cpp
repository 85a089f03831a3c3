// fit.underfitting: at the end of training the training loss is still high
// compared with the loss of the best constant prediction (the baseline: the
// class-share entropy for cross-entropy, the target variance for mse): the model
// has too little capacity or too little training.
//
// The fix depends on how the run ended (RunFacts):
//   stopped early by a callback  more patience for EarlyStopping (or a higher
//                                learning rate), never more epochs;
//   loss still falling           more epochs (the loss fell by more than
//                                kStillFalling over the last quarter);
//   loss flat                    more capacity (wider hidden layers).
// Root causes found by other rules (data.unscaled_target, train.stalled, ...)
// replace this fix in reconcile.hpp.
#include <algorithm>
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
// The loss is "still falling" when it dropped by more than this share over the
// last quarter of the run. Ours: 2% per quarter means doubling the epochs
// (four more quarters) would still gain about 8%.
constexpr double kStillFalling = 0.02;
// EarlyStopping's suggested patience: at least this, else twice the current. Ours.
constexpr int kMinPatience = 20;

// The hidden layers' widths doubled (at least 32), as a --layers value; "32,32" without hidden layers.
std::string wider_layers(const TrainingRecord& r) {
    std::vector<std::string> widths;
    for (const auto& l : r.layers)
        if (!l.is_output && l.type == "Dense") widths.push_back(std::to_string(std::max<Index>(32, 2 * l.units)));
    if (widths.empty()) widths = {"32", "32"};
    return join(widths, ",");
}

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
                          " gives: the model has not learned the training data.";
    const std::vector<double> loss = finite_losses(r);
    const std::size_t quarter = std::max<std::size_t>(1, loss.size() / 4);
    const double before = loss.size() > quarter ? loss[loss.size() - 1 - quarter] : loss.front();
    const bool falling = before > 0 && (before - loss.back()) / before > kStillFalling;
    std::string fix;
    nlohmann::json options = nlohmann::json::object();
    const std::string capacity = "add capacity: wider layers, e.g. Dense({.units = 32, .activation = \"relu\"}) (CLI: --layers " +
                                 wider_layers(r) + ")";
    if (*ratio > 1.0) {
        message += " That is worse than a constant prediction: the optimizer is not converging, and more epochs or "
                   "capacity will not help. The learning rate (" + fmt(r.config.learning_rate) + ") is probably too high.";
        fix = learning_rate_fix(r, 0.1);
        options = learning_rate_fix_options(r, 0.1);
    } else if (r.run.stopped_early) {
        const int patience = r.run.early_stopping_patience;
        const int more = std::max(kMinPatience, 2 * patience);
        message += " Training was stopped early at " + epoch_name(r.epochs.back().epoch) + " of " +
                   std::to_string(r.config.epochs) +
                   (patience > 0 ? " by EarlyStopping (patience " + std::to_string(patience) + ")" : " by a callback") +
                   ": more epochs would not run. Give it more patience or a higher learning rate.";
        fix = "give EarlyStopping more patience (patience = " + std::to_string(more) + "; CLI: --early-stopping " +
              std::to_string(more) + "), or " + learning_rate_fix(r, 3.0);
        options = patience > 0 ? nlohmann::json{{"fit", {{"early_stopping", more}}}} : learning_rate_fix_options(r, 3.0);
    } else if (falling) {
        // Epochs to reach kMaxLossRatio of the baseline at the last quarter's rate,
        // 3x for the slowing down (a loss decays about exponentially, not linearly), between 2x and 10x the run's.
        const double rate = (before - loss.back()) / static_cast<double>(quarter);
        const double needed = (loss.back() - kMaxLossRatio * r.config.baseline_loss) / std::max(rate, 1e-300);
        const int more = std::max(10, static_cast<int>(std::clamp(static_cast<double>(r.config.epochs) + 3.0 * needed,
                                                     2.0 * r.config.epochs, 10.0 * r.config.epochs)));
        message += " The loss was still falling (" + fmt(before) + " to " + fmt(loss.back()) + " over the last " +
                   (quarter == 1 ? std::string("epoch") : std::to_string(quarter) + " epochs") + "): it needs more epochs.";
        fix = "train longer (epochs = " + std::to_string(more) + " in FitOptions; CLI: --epochs " + std::to_string(more) +
              "), or " + learning_rate_fix(r, 3.0);
        options = {{"fit", {{"epochs", more}}}};
    } else {
        message += " The loss has flattened (" + fmt(before) + " to " + fmt(loss.back()) + " over the last " +
                   (quarter == 1 ? std::string("epoch") : std::to_string(quarter) + " epochs") + "), so more epochs will not help: the model needs more capacity "
                   "or a better learning rate.";
        fix = capacity + ", or try another learning rate (CLI: --lr)";
        options = {{"model", {{"layers", wider_layers(r)}}}};
    }
    nlohmann::json evidence = {{"final_train_loss", last},
                               {"baseline_loss", r.config.baseline_loss},
                               {"loss_ratio", *ratio},
                               {"threshold", kMaxLossRatio},
                               {"epochs", epochs},
                               {"still_falling", falling},
                               {"stopped_early", r.run.stopped_early}};
    return {with_fix_options(make_finding("fit.underfitting", "warning", message, evidence, fix), options)};
}

}  // namespace plexus::doctor
