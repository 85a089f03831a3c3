// Training/validation splits.
//
//   tail:       Keras's validation_split: the first floor(n * (1 - v)) rows train,
//               the rest validate, in file order, unshuffled.
//   random:     the same sizes, rows drawn at random.
//   stratified: the same sizes, each class split in the same proportion
//               (largest-remainder rounding), rows drawn at random per class.
// Each part keeps its rows in their original order.
#pragma once

#include <string>
#include <vector>

#include "plexus/core/rng.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus {

enum class Split { automatic, tail, random, stratified };

// "tail", "random", "stratified", "auto"; and back (ConfigError listing the valid names).
std::string to_string(Split split);
Split split_from_string(const std::string& name);

struct SplitIndices {
    RowList train;
    RowList validation;
    Split method = Split::tail;
};

// ShapeError naming `what` when a fit or split is given more than kMaxRows rows (a RowList
// holds 32-bit row numbers).
void check_row_count(Index rows, const char* what);

// labels: class of each row, required for stratified (may be empty otherwise).
// ConfigError if fraction is outside [0, 1).
SplitIndices split_indices(Index rows, double fraction, Split method, const std::vector<int>& labels, Rng& rng);

// Rows `indices` of m.
Matrix take_rows(ConstMatrixRef m, const RowList& indices);

}  // namespace plexus
