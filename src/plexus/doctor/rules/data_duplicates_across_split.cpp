// data.duplicates_across_split: validation rows that also appear, feature for
// feature, in the training part. The model is then validated partly on rows
// it trained on (leakage), and validation overstates how well it generalises.
#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// Share of the validation rows with an identical training row. Ours: below 1%
// the effect on validation metrics is below their sampling noise.
constexpr double kMinDuplicateShare = 0.01;

}  // namespace

std::vector<Finding> data_duplicates_across_split(const TrainingRecord& r) {
    const DataFacts& d = r.data;
    if (d.validation_rows <= 0 || d.duplicate_rows <= 0) return {};
    const double share = static_cast<double>(d.duplicate_rows) / static_cast<double>(d.validation_rows);
    if (share < kMinDuplicateShare) return {};
    std::string message = std::to_string(d.duplicate_rows) + " of the " + std::to_string(d.validation_rows) +
                          " validation rows (" + percent(share) + ") have an identical row in the training part (" +
                          std::to_string(d.duplicate_rows_same_target) +
                          " with the same target too). The model is validated partly on rows it trained on, so "
                          "validation metrics overstate how well it generalises.";
    if (d.duplicate_rows_same_target < d.duplicate_rows)
        message += " Identical inputs with different targets also mean the labels conflict.";
    nlohmann::json evidence = {{"duplicate_rows", d.duplicate_rows},
                               {"duplicate_rows_same_target", d.duplicate_rows_same_target},
                               {"validation_rows", d.validation_rows},
                               {"share", share}};
    const std::string fix =
        "remove duplicate rows before fit (e.g. deduplicate the CSV file), or pass validation_data in FitOptions "
        "that shares no rows with x";
    return {make_finding("data.duplicates_across_split", "warning", message, evidence, fix)};
}

}  // namespace plexus::doctor
