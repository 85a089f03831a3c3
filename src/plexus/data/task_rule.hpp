// Which task a numeric target implies when the user did not say (--task auto),
// shared by the CSV and NPY readers. The rules, in order:
//   integers with 2 to kMaxAutoClasses distinct values where at most
//     kMaxSureClasses are distinct                      -> classification
//   integers with more than kMaxAutoClasses distinct values -> regression
//   integers with kMaxSureClasses+1 to kMaxAutoClasses distinct values
//     (a score 0-15 or 16 class codes?)                 -> ambiguous: the reader
//                                                          refuses and asks for --task
//   any non-integer value                               -> regression
// (Non-numeric labels are classification before this is asked.)
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace plexus {

// At most this many distinct integers are taken as class labels without asking
// (digits 0-9 are ten classes). Ours.
inline constexpr std::size_t kMaxSureClasses = 10;

enum class TaskGuess { classification, regression, ambiguous };

struct TaskDecision {
    TaskGuess guess = TaskGuess::regression;
    std::string rule;  // the rule that applied, for messages: "16 distinct integers (0 to 15)"
};

// Decides from every target value (all numeric). `max_classes` is the readers'
// kMaxAutoClasses.
TaskDecision guess_task(const std::vector<double>& values, std::size_t max_classes);

// The DataError text for an ambiguous target: names the column, the rule and both fixes.
std::string ambiguous_task_message(const std::string& where, const std::string& column, const TaskDecision& decision);

}  // namespace plexus
