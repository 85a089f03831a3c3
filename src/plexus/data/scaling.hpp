// Feature standardisation: subtract the training mean, divide by the training
// standard deviation, per column (sklearn's StandardScaler, population std).
//
// Fit on the training rows only, then transform training, validation and test
// rows with the same statistics. Statistics are accumulated in double.
#pragma once

#include <limits>

#include "plexus/core/tensor.hpp"

namespace plexus {

class Standardizer {
public:
    // Columns whose standard deviation is below this get scale 1 (constant
    // features are centred but not blown up). The smallest normal float: a
    // feature that varies at 1e-30 is standardized like any other (an absolute
    // cut such as 1e-12 would silently leave it at a scale no network can see).
    static constexpr double kMinScale = static_cast<double>(std::numeric_limits<float>::min());

    // Learns mean and scale from x (n, features).
    // Throws DataError if x has no rows or no columns, or holds NaN/Inf.
    void fit(ConstMatrixRef x);

    // (x - mean) / scale, row by row; x is (m, features) with the fitted width.
    // Throws ConfigError if not fitted, ShapeError on a column mismatch.
    Matrix transform(ConstMatrixRef x) const;

    // x * scale + mean: undoes transform. Same shape rules and errors.
    Matrix inverse_transform(const Matrix& x) const;

    // fit(x) then transform(x).
    Matrix fit_transform(const Matrix& x);

    bool fitted() const { return mean.size() > 0; }
    Index features() const { return mean.size(); }

    RowVector mean;   // (1, features) column means
    RowVector scale;  // (1, features) population std, or 1 where std < kMinScale
};

}  // namespace plexus
