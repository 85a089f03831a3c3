// config.labels_mismatch: the label encoding does not fit the loss or the
// output layer: class indices given to a one-hot loss, one-hot rows given to a
// sparse loss, more classes than output units, binary targets outside {0, 1},
// or a target width that differs from the output width. fit() rejects most of
// these with an exception; preflight() (the `plexus doctor` command) reports
// them as findings instead. The checks are exact; there are no thresholds.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {

std::vector<Finding> config_labels_mismatch(const TrainingRecord& r) {
    const ConfigFacts& c = r.config;
    const TargetFacts& t = r.target;
    const Index k = c.output_units;
    if (t.columns == 0) return {};
    std::string message, fix;
    if (c.loss == "categorical_crossentropy" && t.columns == 1 && k > 1) {
        message = "categorical_crossentropy needs one-hot targets with " + std::to_string(k) +
                  " columns, but the labels are class indices (1 column).";
        fix = "use loss = \"sparse_categorical_crossentropy\" in compile (CLI: --loss sparse_categorical_crossentropy), "
              "or one-hot encode the labels: y = to_categorical(y, " + std::to_string(k) + ")";
    } else if (c.loss == "sparse_categorical_crossentropy" && t.columns > 1) {
        message = "sparse_categorical_crossentropy needs class indices (1 column), but the targets have " +
                  std::to_string(t.columns) + " columns" + (t.one_hot ? " (one-hot rows)." : ".");
        fix = "use loss = \"categorical_crossentropy\" in compile (CLI: --loss categorical_crossentropy)";
    } else if (c.loss == "sparse_categorical_crossentropy" && (!t.integer_valued || t.min < 0 || t.max >= static_cast<double>(k))) {
        message = "The labels range over " + fmt_range(t.min, t.max) + (t.integer_valued ? "" : " and are not all whole numbers") +
                  ", but the model has " + std::to_string(k) + " output units, for classes 0 to " + std::to_string(k - 1) + ".";
        const long classes = std::isfinite(t.max) ? static_cast<long>(t.max) + 1 : k;
        fix = t.integer_valued && t.min >= 0
                  ? "give the output layer one unit per class: Dense({.units = " + std::to_string(classes) +
                        ", .activation = \"softmax\"}) (the CLI sizes the output from the labels)"
                  : "map the labels to class indices 0..k-1 before fit (the CLI does this for string labels)";
    } else if (c.loss == "binary_crossentropy" && !(t.min >= 0 && t.max <= 1)) {
        message = "binary_crossentropy needs targets in [0, 1] (0 or 1 per unit), but they range over " +
                  fmt_range(t.min, t.max) + ".";
        fix = "map the labels to 0 and 1, or for more than two classes use a softmax output with "
              "loss = \"sparse_categorical_crossentropy\" (CLI: --loss sparse_categorical_crossentropy --output softmax)";
    } else if (c.loss != "sparse_categorical_crossentropy" && !(c.loss == "categorical_crossentropy" && t.columns == 1) &&
               t.columns != k) {
        message = "The targets have " + std::to_string(t.columns) + " columns but the model outputs " + std::to_string(k) +
                  " values per row; " + c.loss + " compares them column by column.";
        fix = "give the output layer " + std::to_string(t.columns) + " units (Dense({.units = " + std::to_string(t.columns) +
              "})), or fix the target columns (CLI: --target)";
    } else {
        return {};
    }
    nlohmann::json evidence = {{"loss", c.loss},
                               {"output_units", k},
                               {"target_columns", t.columns},
                               {"target_range", {t.min, t.max}},
                               {"target_integer_valued", t.integer_valued},
                               {"target_one_hot", t.one_hot}};
    return {make_finding("config.labels_mismatch", "error", message, evidence, fix)};
}

}  // namespace plexus::doctor
