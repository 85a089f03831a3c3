// data.high_cardinality: a categorical column with so many distinct values that
// one-hot encoding makes a wide, sparse input most of whose categories are seen
// a handful of times (an identifier, a free-text field).
#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/table_rules.hpp"

namespace plexus::doctor {
namespace {

// More distinct values than this is high cardinality (scikit-learn's
// OneHotEncoder documentation suggests max_categories/min_frequency beyond a few
// dozen; ours: 50)...
constexpr Index kMaxCategories = 50;
// ...and so is a column whose distinct values exceed this share of the rows
// (nearly one value per row: an identifier). Ours.
constexpr double kMaxDistinctShare = 0.5;

}  // namespace

std::vector<Finding> data_high_cardinality(const TableFacts& t) {
    std::vector<Finding> out;
    for (const auto& c : t.columns) {
        if (!c.categorical || c.distinct < 3) continue;
        const double share = static_cast<double>(c.distinct) / static_cast<double>(std::max<Index>(t.rows, 1));
        if (c.distinct <= kMaxCategories && share <= kMaxDistinctShare) continue;
        out.push_back(make_finding(
            "data.high_cardinality", "warning",
            "Column '" + c.name + "' has " + std::to_string(c.distinct) + " distinct values in " + std::to_string(t.rows) + " rows (" +
                percent(share) + "). One-hot encoding gives it one input per value, most seen a few times, which invites overfitting; " +
                (share > kMaxDistinctShare ? "nearly one value per row looks like an identifier." : "rare values carry little signal."),
            {{"column", c.name}, {"distinct", c.distinct}, {"rows", t.rows}, {"distinct_share", share}},
            "pool rare values: --min-frequency 10 (into \"other\"), or drop the column if it is an identifier"));
    }
    return out;
}

}  // namespace plexus::doctor
