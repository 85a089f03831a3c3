// split.covariate_shift: validation rows lie outside the region the training
// rows cover, so validation measures extrapolation rather than generalisation.
//
// Uses the record's DataFacts::validation_outside_support: the share of
// validation rows that Support (data/support.hpp), fitted on the training rows,
// does not contain, by per-feature range (widened by 5%) or jointly by
// nearest-neighbour distance in standardised units.
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

}  // namespace

std::vector<Finding> split_covariate_shift(const TrainingRecord& r) {
    const DataFacts& d = r.data;
    const double share = d.validation_outside_support;
    if (!std::isfinite(share) || d.validation_rows_checked <= 0) return {};
    const double rows = share * static_cast<double>(d.validation_rows_checked);
    if (share < kMinOutsideShare || rows < kMinOutsideRows) return {};

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
        fix = "the data set is too small or too clumped for a random validation part: collect more rows, or use a "
              "smaller validation_split (CLI: --validation-split)";
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
                               {"split", d.split_method}};
    return {make_finding("split.covariate_shift", "warning", message, evidence, fix)};
}

}  // namespace plexus::doctor
