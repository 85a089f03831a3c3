// A table of examples: features x and targets y, with names.
//
// Classification: y has one column holding the class index (0..k-1) as a Scalar,
// and class_names has k entries. Regression: y holds the target value(s) and
// class_names is empty. Rows stay in the order they were produced or read.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct Dataset {
    Matrix x;                               // (n, features); empty when mapped (read through inputs())
    Matrix y;                               // (n, 1) class index, or (n, targets) for regression
    std::vector<std::string> feature_names; // one per column of x
    std::vector<std::string> class_names;   // classification only, sorted, index = label
    std::string target_name = "label";
    std::string source;                     // where it came from ("seed-curves", "data.csv")

    // Features used in place from a read-only memory-mapped .npy file (read_npy_dataset with
    // NpyLoad::map): `storage` keeps the mapping alive (copies of the Dataset share it),
    // `mapped` views it, and x stays empty. Code that may receive such a Dataset reads
    // inputs(), never x directly.
    std::shared_ptr<const void> storage;
    MatrixView mapped;

    // The features wherever they live: the mapping, else x (nothing is copied).
    MatrixView inputs() const { return storage ? mapped : MatrixView(x); }
    bool is_mapped() const { return storage != nullptr; }
    bool is_classification() const { return !class_names.empty(); }
    Index rows() const { return inputs().rows(); }
    Index features() const { return inputs().cols(); }
    Index num_classes() const { return static_cast<Index>(class_names.size()); }
    // Class index of row i (classification only).
    int label(Index i) const { return static_cast<int>(y(i, 0)); }
    // The class index of every row (classification only), e.g. for
    // to_categorical(data.labels(), data.num_classes()).
    std::vector<int> labels() const {
        std::vector<int> out(static_cast<std::size_t>(rows()));
        for (Index i = 0; i < rows(); ++i) out[static_cast<std::size_t>(i)] = label(i);
        return out;
    }
};

// Class indices as the (n, 1) Matrix that fit() and evaluate() take with
// sparse_categorical_crossentropy (and one-unit binary outputs).
//   model.fit(x, label_column(std::vector<int>{0, 1, 1, 0}), ...);
inline Matrix label_column(std::span<const int> labels) {
    Matrix y(static_cast<Index>(labels.size()), 1);
    for (std::size_t i = 0; i < labels.size(); ++i) y(static_cast<Index>(i), 0) = static_cast<Scalar>(labels[i]);
    return y;
}

}  // namespace plexus
