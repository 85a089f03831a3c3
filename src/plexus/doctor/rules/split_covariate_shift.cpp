// split.covariate_shift: validation rows lie outside the region the training
// rows cover, so validation measures extrapolation rather than generalisation.
//
// Uses the record's DataFacts::validation_outside_support: the share of
// validation rows that Support (data/support.hpp), fitted on the training rows,
// does not contain, by per-feature range (widened by 5%) or jointly by
// nearest-neighbour distance in standardised units.
//
// Calibrated against the data's own null rate: the share of training rows
// outside a support fitted on the other training rows (DataFacts::
// train_outside_support_cv, kSupportFolds folds), which is what any i.i.d.
// split leaves outside. High-dimensional or heavy-tailed data put many rows
// outside by chance (wine: 13 features, ~140 training rows), so a fixed share
// alone fired on random and stratified splits. It fires only when the
// validation share is also improbable under that null rate: a one-sided
// binomial test at level kAlpha. bench/covariate_shift_calibration.cpp
// measures the false-positive rate (docs/doctor.md).
#include <cmath>

#include "plexus/data/support.hpp"
#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// At least this share of the validation rows is outside the training support.
// Ours: a random split of a smooth data set leaves a few percent of tail rows
// outside at most; a tenth means the parts cover different regions.
constexpr double kMinOutsideShare = 0.10;
// ... and at least this many rows, so that one or two outliers of a tiny
// validation part do not trigger it. Ours.
constexpr double kMinOutsideRows = 3;
// One-sided binomial test of the validation rows outside against the null rate
// (smoothed (k + 1) / (n + 2)): P(X >= outside) below this. Ours, chosen with
// the calibration bench so that i.i.d. splits trigger it in at most 1% of runs.
constexpr double kAlpha = 1e-3;

// P(X >= k) for X ~ Binomial(n, p), summed in log space.
double binomial_upper_tail(Index n, Index k, double p) {
    if (k <= 0) return 1.0;
    if (p <= 0) return 0.0;
    if (p >= 1) return 1.0;
    double total = 0;
    for (Index i = k; i <= n; ++i) {
        const double log_term = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                                std::lgamma(static_cast<double>(n - i) + 1) + static_cast<double>(i) * std::log(p) +
                                static_cast<double>(n - i) * std::log1p(-p);
        total += std::exp(log_term);
    }
    return std::min(1.0, total);
}

}  // namespace

std::vector<Finding> split_covariate_shift(const TrainingRecord& r) {
    const DataFacts& d = r.data;
    const double share = d.validation_outside_support;
    if (!std::isfinite(share) || d.validation_rows_checked <= 0) return {};
    const double rows = share * static_cast<double>(d.validation_rows_checked);
    if (share < kMinOutsideShare || rows < kMinOutsideRows) return {};
    double null_rate = 0, p_value = 0;
    if (std::isfinite(d.train_outside_support_cv) && d.train_rows_checked_cv > 0) {
        const double k0 = d.train_outside_support_cv * static_cast<double>(d.train_rows_checked_cv);
        null_rate = (k0 + 1) / (static_cast<double>(d.train_rows_checked_cv) + 2);
        p_value = binomial_upper_tail(d.validation_rows_checked, static_cast<Index>(std::lround(rows)), null_rate);
        if (p_value >= kAlpha) return {};
    }

    std::string message = describe_validation(r) + " " + percent(share) +
                          " of the validation rows lie outside the region the training rows cover (outside a feature's "
                          "training range, or far from every training row). The model never saw such inputs, so "
                          "validation measures extrapolation, not how well the model generalises.";
    std::string fix;
    if (d.split_method == "tail" || d.split_method == "validation_data") {
        message += std::string(" A ") + (r.labels.classification ? "stratified" : "random") +
                   " split draws validation rows from the whole data set and fixes it.";
        fix = d.split_method == "tail" ? split_fix(r)
                                       : "draw validation_data from the same region as the training rows, or drop it and " +
                                             split_fix(r);
    } else {
        message += " The split is already " + d.split_method + ", so the data itself is clumped: some regions have too "
                   "few rows for both parts to cover them.";
        fix = "collect more rows in the sparse regions (no option of this run removes the shift)";
    }
    nlohmann::json features = nlohmann::json::array();
    for (const auto& f : d.features)
        features.push_back({{"name", f.name},
                            {"train_range", {f.train_min, f.train_max}},
                            {"validation_range", {f.val_min, f.val_max}},
                            {"validation_rows_outside_range", f.val_outside_range}});
    nlohmann::json evidence = {{"validation_outside_support", share},
                               {"validation_rows_checked", d.validation_rows_checked},
                               {"range_margin", Support::kRangeMargin},
                               {"radius_factor", Support::kRadiusFactor},
                               {"features", features},
                               {"split", d.split_method},
                               {"null_rate", null_rate},
                               {"p_value", p_value},
                               {"alpha", kAlpha}};
    nlohmann::json options = nlohmann::json::object();
    if (d.split_method == "tail") options = split_fix_options(r);
    return {with_fix_options(make_finding("split.covariate_shift", "warning", message, evidence, fix), options)};
}

}  // namespace plexus::doctor
