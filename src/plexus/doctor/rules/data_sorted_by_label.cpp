// data.sorted_by_label: the rows come ordered by label, in long runs of one
// class. A tail split (Keras's validation_split) then validates on the last
// classes only, and with shuffle = false every batch holds one class. Harmless
// (severity info) when the split draws rows at random and batches are shuffled.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// Too few rows to call an order a pattern. Ours.
constexpr Index kMinRows = 20;
// Order score = (a - e) / (1 - e), where a is the share of consecutive rows with
// the same label and e = sum of squared class shares is its expectation in a
// random order: 0 for a shuffled data set, 1 when each class forms one block.
// At 0.8 the rows are far more grouped than chance allows (for 100 balanced
// rows in random order the score's standard deviation is about 0.1). Ours.
constexpr double kMinOrderScore = 0.8;

}  // namespace

std::vector<Finding> data_sorted_by_label(const TrainingRecord& r) {
    const LabelFacts& l = r.labels;
    if (!l.classification || r.data.rows < kMinRows || !std::isfinite(l.same_label_adjacency)) return {};
    double expected = 0;
    Index present = 0;
    for (Index c : l.class_counts) {
        const double p = static_cast<double>(c) / static_cast<double>(r.data.rows);
        expected += p * p;
        present += c > 0 ? 1 : 0;
    }
    if (present < 2 || expected >= 1.0) return {};
    const double score = (l.same_label_adjacency - expected) / (1.0 - expected);
    if (score < kMinOrderScore) return {};

    std::vector<std::string> runs;
    for (const auto& run : l.first_runs) {
        if (runs.size() == 4) {
            runs.push_back("...");
            break;
        }
        runs.push_back("rows " + std::to_string(run.start + 1) + " to " + std::to_string(run.start + run.length) + " are " +
                       class_label(l, run.label));
    }
    const bool tail = r.data.split_method == "tail" && r.data.validation_rows > 0;
    const bool unshuffled = !r.data.shuffle;
    std::string message = "The rows are ordered by label: " + std::to_string(l.label_runs) + " runs of equal labels in " +
                          std::to_string(r.data.rows) + " rows (" + join(runs, ", ") + ").";
    if (tail)
        message += " The tail split (Keras's validation_split) takes the last rows as validation, so the validation "
                   "part holds only the last classes.";
    if (unshuffled) message += " With shuffle = false, batches hold one class at a time and training swings between them.";
    if (!tail && !unshuffled)
        message += std::string(r.data.split_method == "random" || r.data.split_method == "stratified"
                                   ? " The split draws rows at random and batches are shuffled"
                                   : " No tail split is used and batches are shuffled") +
                   ", so it does no harm here; it would with Keras's tail split.";
    std::string fix = tail ? split_fix(r) : "";
    if (unshuffled) fix += std::string(fix.empty() ? "" : "; and ") + "keep shuffle = true in FitOptions (CLI: drop --no-shuffle)";
    if (fix.empty()) fix = "nothing to do while the split is random or stratified; shuffle the rows before any tail split";
    nlohmann::json evidence = {{"label_runs", l.label_runs},
                               {"same_label_adjacency", l.same_label_adjacency},
                               {"expected_adjacency_if_shuffled", expected},
                               {"order_score", score},
                               {"split", r.data.split_method},
                               {"shuffle", r.data.shuffle}};
    nlohmann::json options = tail ? split_fix_options(r) : nlohmann::json::object();
    if (unshuffled) options["fit"]["shuffle"] = true;
    return {with_fix_options(make_finding("data.sorted_by_label", tail || unshuffled ? "warning" : "info", message, evidence, fix),
                             options)};
}

}  // namespace plexus::doctor
