// A table of examples: features x and targets y, with names.
//
// Classification: y has one column holding the class index (0..k-1) as a Scalar,
// and class_names has k entries. Regression: y holds the target value(s) and
// class_names is empty. Rows stay in the order they were produced or read.
#pragma once

#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct Dataset {
    Matrix x;                               // (n, features)
    Matrix y;                               // (n, 1) class index, or (n, targets) for regression
    std::vector<std::string> feature_names; // one per column of x
    std::vector<std::string> class_names;   // classification only, sorted, index = label
    std::string target_name = "label";
    std::string source;                     // where it came from ("seed-curves", "data.csv")

    bool is_classification() const { return !class_names.empty(); }
    Index rows() const { return x.rows(); }
    Index features() const { return x.cols(); }
    Index num_classes() const { return static_cast<Index>(class_names.size()); }
    // Class index of row i (classification only).
    int label(Index i) const { return static_cast<int>(y(i, 0)); }
};

}  // namespace plexus
