// What fit returns: per-epoch logs, the split used and timings. (The doctor's findings come
// from the Doctor callback; run/fit.hpp returns both.)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct SplitInfo {
    std::string method;                        // "tail", "random", "stratified", "validation_data", "none"
    Index train_rows = 0;
    Index validation_rows = 0;
    std::vector<Index> train_class_counts;     // classification only
    std::vector<Index> validation_class_counts;
    // Rows of fit's x in each part (empty with validation_data). Filled when fit returns;
    // during fit they are FitContext::train_rows and validation_rows (not copied here).
    RowList train_indices;
    RowList validation_indices;
};

struct History {
    std::vector<int> epoch;                                // 0-based epoch numbers run
    std::map<std::string, std::vector<double>> history;    // "loss", "val_loss", "accuracy", ...
    SplitInfo split;
    double train_seconds = 0.0;
    std::uint64_t seed = 0;

    // The last value of a log, or NaN if absent.
    double last(const std::string& key) const;
};

}  // namespace plexus
