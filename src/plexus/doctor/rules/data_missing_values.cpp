// data.missing_values: cells are missing (empty, NA, NaN, ?). Says how many and
// where, what imputation does with them, and whether the fact that a cell is
// missing itself predicts the label (then an indicator column helps the model).
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/table_rules.hpp"

namespace plexus::doctor {
namespace {

// Missingness "predicts the label" when the class distribution of the rows with
// the cell missing differs from that of the other rows by a total-variation
// distance above this (classification), or the target's mean differs by more than
// this many standard deviations (regression). Ours: 0.2 is a shift a model can use.
constexpr double kInformativeShift = 0.2;
// ...judged only with at least this many missing rows (fewer say little). Ours.
constexpr Index kMinMissingRows = 10;

double distribution_shift(const TableColumnFacts& c) {
    Index a = 0, b = 0;
    for (Index n : c.classes_when_missing) a += n;
    for (Index n : c.classes_when_present) b += n;
    if (a == 0 || b == 0) return 0.0;
    double tv = 0;
    for (std::size_t k = 0; k < c.classes_when_missing.size() && k < c.classes_when_present.size(); ++k)
        tv += std::abs(static_cast<double>(c.classes_when_missing[k]) / static_cast<double>(a) -
                       static_cast<double>(c.classes_when_present[k]) / static_cast<double>(b));
    return tv / 2;
}

}  // namespace

std::vector<Finding> data_missing_values(const TableFacts& t) {
    Index total = 0;
    nlohmann::json per_column = nlohmann::json::object();
    std::vector<std::string> where, informative;
    for (const auto& c : t.columns) {
        if (c.missing == 0) continue;
        total += c.missing;
        const double shift = t.classification ? distribution_shift(c)
                                              : (c.target_sd > 0 ? std::abs(c.target_mean_missing - c.target_mean_present) / c.target_sd : 0.0);
        const bool predicts = c.missing >= kMinMissingRows && shift > kInformativeShift;
        per_column[c.name] = {{"missing", c.missing}, {"fraction", static_cast<double>(c.missing) / static_cast<double>(std::max<Index>(t.rows, 1))},
                              {"label_shift", shift}, {"predicts_label", predicts}};
        where.push_back(c.name + " (" + std::to_string(c.missing) + ", " + percent(static_cast<double>(c.missing) / static_cast<double>(std::max<Index>(t.rows, 1))) + ")");
        if (predicts) informative.push_back(c.name);
    }
    if (total == 0) return {};
    std::string message = std::to_string(total) + " cell(s) of " + t.source + " are missing: " + join(where, ", ") + ". " +
                          (t.impute == "none" ? "They are refused (--impute none)."
                                              : "They are imputed from the training rows (numbers: the median; categories: " +
                                                    std::string(t.impute == "missing" ? "a \"missing\" category" : "the most frequent") + ").");
    std::string fix = "check why the cells are missing";
    if (!informative.empty()) {
        message += " Whether a cell is missing predicts the label for: " + join(informative, ", ") + "; imputing alone hides that signal.";
        if (!t.missing_indicator) fix = "add indicator inputs for missing cells: --missing-indicator";
    }
    return {make_finding("data.missing_values", informative.empty() || t.missing_indicator ? "info" : "warning", message,
                         {{"missing_cells", total}, {"columns", per_column}}, fix)};
}

}  // namespace plexus::doctor
