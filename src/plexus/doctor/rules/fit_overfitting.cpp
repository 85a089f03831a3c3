// fit.overfitting: the validation loss rose while the training loss kept
// falling; the model memorises the training rows. Says at which epoch Keras's
// EarlyStopping(monitor = "val_loss", patience = kPatience) would have stopped.
//
// On the validation and training losses smoothed by a trailing mean of
// kSmoothing epochs, it fires when the smoothed validation minimum lies at
// least kPatience epochs before the end, the smoothed validation loss has
// since risen by more than kMinRelativeRise of that minimum and by more than
// kMinBaselineRise of the baseline loss, and the smoothed training loss is
// lower than at the validation minimum. Runs that a callback stopped early
// (EarlyStopping already at work) are not judged.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// SageMaker Debugger's Overtraining rule: patience_validation = 10 steps
// without improvement. Also the patience we simulate for EarlyStopping.
constexpr int kPatience = 10;
// SageMaker Debugger's Overfit rule: ratio_threshold = 0.1.
constexpr double kMinRelativeRise = 0.1;
// Ours: the rise must also matter on the scale of the problem (10% of the
// constant predictor's loss), so that noise around a near-zero loss does not count.
constexpr double kMinBaselineRise = 0.1;
// Ours: a trailing mean over 5 epochs removes epoch-to-epoch noise before
// taking the minimum (the raw minimum of a noisy curve is biased low).
constexpr std::size_t kSmoothing = 5;

std::vector<double> smooth(const std::vector<double>& v) {
    std::vector<double> out(v.size());
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        sum += v[i];
        if (i >= kSmoothing) sum -= v[i - kSmoothing];
        out[i] = sum / static_cast<double>(std::min(i + 1, kSmoothing));
    }
    return out;
}

}  // namespace

std::vector<Finding> fit_overfitting(const TrainingRecord& r) {
    std::vector<double> val, train;
    std::vector<int> epochs;
    for (const auto& e : r.epochs) {
        if (!std::isfinite(e.val_loss) || !std::isfinite(e.loss)) return {};
        val.push_back(e.val_loss);
        train.push_back(e.loss);
        epochs.push_back(e.epoch);
    }
    if (val.size() < static_cast<std::size_t>(2 * kPatience)) return {};
    // A model that has not learned its training rows (fit.underfitting's gate) is not memorising them.
    if (poorly_fit(r)) return {};
    if (r.config.epochs > 0 && epochs.back() + 1 < r.config.epochs) return {};  // stopped early by a callback
    const auto sv = smooth(val), st = smooth(train);
    const std::size_t best = static_cast<std::size_t>(std::min_element(sv.begin(), sv.end()) - sv.begin());
    const std::size_t end = sv.size() - 1;
    if (end - best < static_cast<std::size_t>(kPatience)) return {};
    const double rise = sv[end] - sv[best];
    const double base = std::isfinite(r.config.baseline_loss) ? r.config.baseline_loss : 0.0;
    if (rise <= kMinRelativeRise * sv[best] || rise <= kMinBaselineRise * base || st[end] >= st[best]) return {};

    // Keras EarlyStopping(monitor="val_loss", patience, min_delta=0) on the raw losses.
    double best_raw = std::numeric_limits<double>::infinity();
    int best_epoch = epochs.front(), wait = 0, stop_epoch = -1;
    for (std::size_t i = 0; i < val.size(); ++i) {
        ++wait;
        if (val[i] < best_raw) {
            best_raw = val[i];
            best_epoch = epochs[i];
            wait = 0;
            continue;
        }
        if (wait >= kPatience && i > 0) {
            stop_epoch = epochs[i];
            break;
        }
    }
    std::string message = "Validation loss was lowest around " + epoch_name(epochs[best]) + " (" + fmt(sv[best]) +
                          ", averaged over " + std::to_string(kSmoothing) + " epochs), then rose to " + fmt(sv[end]) +
                          " by " + epoch_name(epochs[end]) + " (+" +
                          percent(rise / sv[best]) + "), while the training loss kept falling (" + fmt(st[best]) +
                          " to " + fmt(st[end]) + "): the model is memorising the training rows.";
    if (stop_epoch >= 0)
        message += " EarlyStopping(monitor=\"val_loss\", patience=" + std::to_string(kPatience) +
                   ") would have stopped at " + epoch_name(stop_epoch) + " and, with restore_best_weights, kept the "
                   "weights of " + epoch_name(best_epoch) + " (val_loss " + fmt(best_raw) + ").";
    std::vector<std::string> explained;
    for (const char* id : {"split.label_shift", "split.covariate_shift"})
        if (std::find(r.preflight_ids.begin(), r.preflight_ids.end(), id) != r.preflight_ids.end()) explained.push_back(id);
    if (!explained.empty())
        message += " The pre-flight findings " + join(explained, ", ") +
                   " explain much of it: the validation rows differ from the training rows, so fitting the training "
                   "rows better makes validation worse.";
    nlohmann::json evidence = {{"explained_by", explained},
                               {"best_epoch", best_epoch + 1},
                               {"best_val_loss", best_raw},
                               {"smoothed_min_val_loss", sv[best]},
                               {"final_val_loss", sv[end]},
                               {"train_loss_at_best", st[best]},
                               {"final_train_loss", st[end]},
                               {"early_stopping_patience", kPatience},
                               {"early_stopping_epoch", stop_epoch >= 0 ? nlohmann::json(stop_epoch + 1) : nlohmann::json(nullptr)}};
    std::string fix = "stop early: add std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = \"val_loss\", "
                            ".patience = " + std::to_string(kPatience) +
                            ", .restore_best_weights = true}) to FitOptions::callbacks (CLI: --early-stopping " +
                            std::to_string(kPatience) + "); or regularise with kernel_l2 = 1e-4 in DenseOptions or a "
                            "Dropout layer";
    nlohmann::json options = {{"fit", {{"early_stopping", kPatience}, {"restore_best_weights", true}}}};
    if (r.run.early_stopping_patience > 0) {  // EarlyStopping is on (and did not stop it): regularise
        fix = "regularise: kernel_l2 = 1e-4 in DenseOptions or a Dropout layer (CLI: --model-spec), or use fewer units (CLI: --layers)";
        options = nlohmann::json::object();
    }
    if (!explained.empty()) {
        fix = split_fix(r) + "; then, if validation loss still rises, " + fix;
        options = split_fix_options(r);
    }
    return {with_fix_options(make_finding("fit.overfitting", "warning", message, evidence, fix, epochs[best]), options)};
}

}  // namespace plexus::doctor
