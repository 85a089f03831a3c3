// predict.unseen_category: rows given to a trained model hold categories its
// training rows never had; they were encoded as "other" (or as no category), so
// the model's output for them rests on no training evidence for that value.
#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/table_rules.hpp"

namespace plexus::doctor {

std::vector<Finding> predict_unseen_category(const TableFacts& t) {
    Index total = 0;
    std::vector<std::string> where;
    nlohmann::json per_column = nlohmann::json::object();
    for (const auto& c : t.columns) {
        if (c.unseen == 0) continue;
        total += c.unseen;
        where.push_back(c.name + " (" + std::to_string(c.unseen) + " rows, e.g. '" + join(c.unseen_examples, "', '") + "')");
        per_column[c.name] = {{"rows", c.unseen}, {"examples", c.unseen_examples}};
    }
    if (total == 0) return {};
    return {make_finding("predict.unseen_category", "warning",
                         std::to_string(total) + " cell(s) of " + t.source + " hold categories the model never saw in training: " +
                             join(where, ", ") + ". They were mapped to 'other' (or to no category when training had no rare ones).",
                         {{"unseen_cells", total}, {"columns", per_column}, {"rows", t.rows}},
                         "check the spelling of those values, or retrain with rows that have them")};
}

}  // namespace plexus::doctor
