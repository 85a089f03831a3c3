// split.label_shift: the validation part's class distribution differs from
// the training part's, so validation metrics measure a different problem.
//
// Fires when a class is missing from one part although it should be there, or
// when the two distributions differ both materially and significantly.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// A class is "missing" from the validation part only if we would expect at
// least this many of its rows there (its training share times the validation
// size): with 5 expected rows, drawing none at random has probability
// below e^-5 = 0.7%. The usual minimum expected count of the chi-square test
// (Cochran, 1954).
constexpr double kMinExpectedCount = 5.0;
// Material difference: the total variation distance between the two class
// distributions (half the sum of |share difference|) is at least this. Ours: a
// tenth of the rows would have to change class to make the parts alike.
constexpr double kMinTotalVariation = 0.10;
// Significant difference: the largest per-class two-proportion z statistic is
// at least this (two-sided p < 1e-4), so that random splits of small data sets
// do not trigger it by chance. Ours.
constexpr double kMinZ = 4.0;

}  // namespace

std::vector<Finding> split_label_shift(const TrainingRecord& r) {
    const LabelFacts& l = r.labels;
    const double n_train = static_cast<double>(r.data.train_rows), n_val = static_cast<double>(r.data.validation_rows);
    if (!l.classification || n_val <= 0 || n_train <= 0) return {};
    const auto& t = l.train_class_counts;
    const auto& v = l.validation_class_counts;
    double tvd = 0, z_max = 0;
    std::vector<std::string> missing_val, missing_train;
    for (std::size_t c = 0; c < t.size() && c < v.size(); ++c) {
        const double pt = static_cast<double>(t[c]) / n_train, pv = static_cast<double>(v[c]) / n_val;
        tvd += 0.5 * std::abs(pt - pv);
        const double pooled = static_cast<double>(t[c] + v[c]) / (n_train + n_val);
        const double se = std::sqrt(pooled * (1 - pooled) * (1 / n_train + 1 / n_val));
        if (se > 0) z_max = std::max(z_max, std::abs(pt - pv) / se);
        if (v[c] == 0 && pt * n_val >= kMinExpectedCount) missing_val.push_back(class_label(l, static_cast<Index>(c)));
        if (t[c] == 0 && v[c] > 0) missing_train.push_back(class_label(l, static_cast<Index>(c)));
    }
    const bool shifted = tvd >= kMinTotalVariation && z_max >= kMinZ;
    if (missing_val.empty() && missing_train.empty() && !shifted) return {};

    std::string message = describe_validation(r) + " The training part has " + describe_counts(l, t) +
                          "; the validation part has " + describe_counts(l, v) + ".";
    if (!missing_train.empty())
        message += " The model never trains on " + join(missing_train, ", ") + ", yet validation asks for it.";
    if (!missing_val.empty())
        message += " Validation never checks " + join(missing_val, ", ") + ".";
    message += " Validation metrics therefore measure a different class mix than training (total variation distance " +
               fmt(tvd) + ") and say little about the model.";
    std::string fix;
    if (r.data.split_method == "validation_data") {
        fix = "draw validation_data with the same class proportions as the training rows, or drop it and " +
              split_fix(r);
    } else {
        message += " A stratified split fixes it: it keeps every class's share the same in both parts.";
        fix = split_fix(r);
    }
    nlohmann::json evidence = {{"train_class_counts", t},
                               {"validation_class_counts", v},
                               {"total_variation_distance", tvd},
                               {"max_z", z_max},
                               {"split", r.data.split_method},
                               {"validation_rows", r.data.validation_rows},
                               {"train_rows", r.data.train_rows}};
    return {with_fix_options(make_finding("split.label_shift", missing_train.empty() ? "warning" : "error", message, evidence, fix),
                             r.data.split_method == "validation_data" ? nlohmann::json::object() : split_fix_options(r))};
}

}  // namespace plexus::doctor
