// Per-column statistics of the rows of a row-major matrix, read in place: min, max, mean
// and population standard deviation in double, and whether every value is finite, in one
// pass. The rows are all of them or a list of row indices (a split's part), so no copy of
// the data is made. The sums are taken around row 0's values (no cancellation when a mean
// is large against its spread), in parallel over a fixed cut of the rows whose partial
// results are combined in order: the same numbers with any thread count.
//
//   const ColumnStats s = column_stats(x.data(), x.cols(), x.rows());          // every row
//   const ColumnStats t = column_stats(x.data(), x.cols(), rows.size(), rows.data());
//   if (!t.finite) ...;  // then min/max/mean/std are meaningless
#pragma once

#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct ColumnStats {
    std::vector<double> min, max, mean, std;  // one value per column; empty for no rows
    bool finite = true;                       // no NaN or Inf in the rows
};

// The `rows` rows 0..rows-1 of the row-major matrix at `data` (`cols` values per row, rows
// `stride` values apart; 0: cols), or, with `index`, its rows index[0..rows-1] (each in
// [0, the matrix's rows): not checked).
ColumnStats column_stats(const Scalar* data, Index cols, Index rows, const RowIndex* index = nullptr, Index stride = 0);

}  // namespace plexus
