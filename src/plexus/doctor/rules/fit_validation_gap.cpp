// fit.validation_gap: the final training metric is high and the validation
// metric much lower. Links the pre-flight split findings that explain it.
//
// Accuracy when compiled (AUTOTRAINER's "test_not_well" check: a gap of at
// least 0.1, or 0.07 when training accuracy exceeds 0.9), else R^2 (gap of at
// least kMinR2Gap), else the loss (validation loss above kMinLossFactor times
// the training loss and above it by kMinLossGapOfBaseline of the baseline).
// For accuracy the gap must also exceed kMinZ standard errors of a difference
// of two proportions, so small validation parts do not trigger it by chance.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

constexpr double kMinAccuracyGap = 0.1;       // AUTOTRAINER, training accuracy <= 0.9
constexpr double kMinAccuracyGapHigh = 0.07;  // AUTOTRAINER, training accuracy > 0.9
constexpr double kHighAccuracy = 0.9;         // AUTOTRAINER
constexpr double kMinZ = 3.0;                 // ours: three standard errors
constexpr double kMinR2Gap = 0.1;             // ours, by analogy with AUTOTRAINER's accuracy gap
constexpr double kMinLossFactor = 2.0;        // ours
constexpr double kMinLossGapOfBaseline = 0.25;  // ours

// Pre-flight findings that explain a gap.
const char* const kExplaining[] = {"split.label_shift", "split.covariate_shift", "data.sorted_by_label"};

double log_value(const Logs& logs, const std::string& key) {
    const auto it = logs.find(key);
    return it == logs.end() ? kNaN : it->second;
}

}  // namespace

std::vector<Finding> fit_validation_gap(const TrainingRecord& r) {
    if (r.epochs.empty() || r.data.validation_rows <= 0) return {};
    const Logs& logs = r.epochs.back().logs;
    std::string metric;
    double train = kNaN, val = kNaN;
    bool gap = false;
    if (std::isfinite(log_value(logs, "accuracy")) && std::isfinite(log_value(logs, "val_accuracy"))) {
        metric = "accuracy";
        train = log_value(logs, "accuracy");
        val = log_value(logs, "val_accuracy");
        const double d = train - val;
        const double threshold = train > kHighAccuracy ? kMinAccuracyGapHigh : kMinAccuracyGap;
        const double nt = static_cast<double>(std::max<Index>(1, r.data.train_rows));
        const double nv = static_cast<double>(std::max<Index>(1, r.data.validation_rows));
        const double se = std::sqrt(std::max(train * (1 - train), 1e-4) / nt + std::max(val * (1 - val), 1e-4) / nv);
        gap = d >= threshold && d >= kMinZ * se;
    } else if (std::isfinite(log_value(logs, "r2")) && std::isfinite(log_value(logs, "val_r2"))) {
        metric = "r2";
        train = log_value(logs, "r2");
        val = log_value(logs, "val_r2");
        gap = train - val >= kMinR2Gap;
    } else if (std::isfinite(r.epochs.back().loss) && std::isfinite(r.epochs.back().val_loss)) {
        metric = "loss";
        train = r.epochs.back().loss;
        val = r.epochs.back().val_loss;
        const double base = std::isfinite(r.config.baseline_loss) ? r.config.baseline_loss : 0.0;
        gap = val > kMinLossFactor * train && val - train > kMinLossGapOfBaseline * base;
    }
    if (!gap) return {};

    std::vector<std::string> explained;
    for (const char* id : kExplaining)
        if (std::find(r.preflight_ids.begin(), r.preflight_ids.end(), id) != r.preflight_ids.end()) explained.push_back(id);
    const bool lower_better = metric == "loss";
    std::string message = "At the end of training the training " + metric + " is " + fmt(train) + " but the validation " +
                          metric + " is " + fmt(val) + (lower_better ? "" : " (gap " + fmt(train - val) + ")") + ".";
    std::string fix;
    nlohmann::json options = nlohmann::json::object();
    if (!explained.empty()) {
        options = split_fix_options(r);
        message += " The pre-flight findings " + join(explained, ", ") +
                   " explain it: the validation rows are not like the training rows, so the gap measures the split, "
                   "not the model.";
        fix = split_fix(r);
    } else {
        message += " The model does much better on the rows it trained on than on new ones: it overfits, or the "
                   "validation rows come from elsewhere.";
        fix = "regularise (kernel_l2 = 1e-4 in DenseOptions, or a Dropout layer), " +
              std::string(r.run.early_stopping_patience > 0 ? "" : "stop early with EarlyStopping (CLI: --early-stopping 10 --restore-best-weights), ") +
              "or collect more training data";
        if (r.run.early_stopping_patience == 0) options = {{"fit", {{"early_stopping", 10}, {"restore_best_weights", true}}}};
    }
    nlohmann::json evidence = {{"metric", metric}, {"train", train}, {"validation", val}, {"explained_by", explained}};
    return {with_fix_options(make_finding("fit.validation_gap", "warning", message, evidence, fix, r.epochs.back().epoch), options)};
}

}  // namespace plexus::doctor
