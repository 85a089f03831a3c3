// Task inference for numeric targets; see task_rule.hpp.
#include "plexus/data/task_rule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace plexus {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

}  // namespace

TaskDecision guess_task(const std::vector<double>& values, std::size_t max_classes) {
    bool integer = true;
    for (double v : values) integer = integer && std::isfinite(v) && v == std::floor(v);
    if (!integer) return {TaskGuess::regression, "non-integer values"};
    std::vector<double> distinct(values);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const std::size_t k = distinct.size();
    const std::string range = distinct.empty() ? "" : " (" + number(distinct.front()) + " to " + number(distinct.back()) + ")";
    const std::string rule = std::to_string(k) + " distinct integer" + (k == 1 ? "" : "s") + range;
    if (k > max_classes) return {TaskGuess::regression, rule + ": more than " + std::to_string(max_classes) + " are taken as a number"};
    if (k > kMaxSureClasses)
        return {TaskGuess::ambiguous, rule + ": between " + std::to_string(kMaxSureClasses + 1) + " and " + std::to_string(max_classes) +
                                          " could be class codes or a score"};
    return {TaskGuess::classification, rule + ": at most " + std::to_string(kMaxSureClasses) + " are taken as class labels"};
}

std::string ambiguous_task_message(const std::string& where, const std::string& column, const TaskDecision& d) {
    return where + "the target column '" + column + "' holds " + d.rule +
           "; fix: say which it is: --task regression (a score or count to predict as a number) or --task classification "
           "(one class per value)";
}

}  // namespace plexus
