// The training support: where in feature space the model has seen data.
//
// A point is inside the support when every feature lies within the training
// range (widened by kRangeMargin of the range) AND its nearest training row, in
// standardised units (each feature divided by its training standard deviation),
// is no farther than radius(). The training doctor uses it to flag covariate
// shift and extrapolation ("validation rows lie outside the training data");
// plots hatch the areas outside it.
//
// The neighbour index keeps at most kMaxIndexRows training rows, taken with a
// deterministic even stride. With up to kSweepMaxFeatures features it searches
// them by a sweep along one feature (the rows sorted by it; a search stops where
// that feature alone is farther than the best distance found), otherwise by
// brute force (Eigen GEMM for the squared distances); all in double, and exact
// either way. Brute-force queries cost O(index rows x features).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/tensor.hpp"

namespace plexus {

class Support {
public:
    // Rows kept for the neighbour index (even stride over the training rows).
    static constexpr Index kMaxIndexRows = 2000;
    // Range check: a feature is in range within [min - m*range, max + m*range].
    static constexpr double kRangeMargin = 0.05;
    // radius() = max(kRadiusFactor * quantile kRadiusQuantile of the training
    // rows' nearest-neighbour distances, kMinRadiusPerSqrtFeature * sqrt(features)).
    static constexpr double kRadiusFactor = 3.0;
    static constexpr double kRadiusQuantile = 0.95;
    static constexpr double kMinRadiusPerSqrtFeature = 0.25;
    // Features with a training std below this are not scaled (divided by 1).
    static constexpr double kMinScale = 1e-12;
    // Up to this many features, nearest neighbours are found by the sweep.
    static constexpr Index kSweepMaxFeatures = 3;

    // An empty support; every query throws ConfigError until assigned from fit().
    Support() = default;

    // Learns the support of train_x (n, features).
    // Throws DataError if train_x has no rows or columns, or holds NaN/Inf.
    static Support fit(const Matrix& train_x);
    // The same on rows `rows` of x, read in place (the same support as on their copy).
    static Support fit(MatrixView x, const RowList& rows);

    bool fitted() const { return features_ > 0; }
    Index features() const { return features_; }
    Index index_rows() const { return points_.rows(); }

    // Per-feature training range over all training rows, (1, features).
    const RowVector& min() const { return min_; }
    const RowVector& max() const { return max_; }
    // Per-feature training std used for the distances (1 where std < kMinScale).
    const RowVector& scale() const { return scale_; }

    // Euclidean distance from `row` (1, features) to the nearest indexed training
    // row, in standardised units. Throws ShapeError on a width mismatch.
    double nearest_distance(const Eigen::Ref<const RowVector>& row) const;
    // The same for every row of x (m, features); returns m distances.
    std::vector<double> nearest_distances(const Matrix& x) const;

    // True if every feature of `row` lies in the widened training range.
    bool in_range(const Eigen::Ref<const RowVector>& row) const;
    // True if in_range(row) and nearest_distance(row) <= radius().
    bool contains(const Eigen::Ref<const RowVector>& row) const;
    // contains() for every row of x (m, features), computed in batches.
    std::vector<bool> contains_rows(const Matrix& x) const;

    // Neighbour-distance threshold (see kRadiusFactor); > 0.
    double radius() const;

    // Evidence helpers.
    // Fraction of rows of x that are not contained (0 for an empty x).
    double fraction_outside(const Matrix& x) const;
    // Per feature, how many rows of x lie outside that feature's widened range.
    std::vector<Index> outside_range_counts(const Matrix& x) const;

    // Serialisation, so that a saved model can check extrapolation later.
    // to_json keeps the per-feature range, mean and scale, the radius, and at
    // most kMaxStoredRows of the indexed rows (an even stride, in the original
    // units). from_json rebuilds the support from them; its radius is the
    // larger of the stored one and the one the kept rows give on their own (a
    // thinner index has larger neighbour distances). Throws ConfigError for a
    // malformed object.
    static constexpr Index kMaxStoredRows = 500;
    nlohmann::json to_json() const;
    static Support from_json(const nlohmann::json& j);

private:
    // fit on n rows of train_x: rows index[0..n) of it, or its first n when index is null.
    static Support fit_rows(MatrixView train_x, const RowIndex* index, Index n);
    void check(Index cols, const char* what) const;
    Eigen::MatrixXd standardize(const Matrix& x) const;

    Index features_ = 0;
    RowVector min_, max_, scale_;
    Eigen::RowVectorXd mean_d_, scale_d_, low_d_, high_d_;  // double copies; low/high = widened range
    Eigen::MatrixXd points_;                                 // (index rows, features) standardised
    Eigen::VectorXd point_norms_;                            // squared norms of points_ rows (brute force only)
    // For the sweep: points_ sorted by feature sweep_feature_, row-major, with each
    // sorted row's key (that feature), and each point's place in that order
    // (sweep_rank_). Empty: brute force.
    Index sweep_feature_ = 0;
    std::vector<double> sweep_keys_, sweep_rows_;
    std::vector<Index> sweep_rank_;
    double radius_ = 0.0;
    // Sets point_norms_ and the sweep's arrays from points_.
    void index_points();
    // Squared distance from each row of `queries` to its nearest point; with
    // exclude_self, query i skips point i (the queries are the points).
    std::vector<double> min_squared_distances(const Eigen::MatrixXd& queries, bool exclude_self) const;
    // With the sweep's arrays: is some point no farther than radius_ from the standardised
    // query (features_ values)? (The test contains() makes, without finding the nearest point.)
    bool within_radius(const double* query) const;
    // With the sweep's arrays: the place of the first sorted key not below `key`.
    Index lower_bound_of(double key) const;
};

}  // namespace plexus
