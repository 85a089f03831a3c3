// A training-support summary that does not reproduce training rows, for model
// files that may be shared (issue 16: raw `support_sample` rows leak the data).
//
// It keeps, in the original feature units:
//  - per-feature ranges, rounded OUTWARD to a coarse grid (two significant
//    digits of the range's magnitude), so no exact training value is stored;
//  - the per-feature scale (training standard deviation) used for distances;
//  - k-means centroids, each the mean of at least kMinClusterRows training rows
//    (clusters with fewer rows are merged into their nearest neighbour), with the
//    cluster's radius (the largest standardised distance of a member to it) and
//    its row count. With fewer than kMinClusterRows rows in all, no centroid is
//    kept and only the ranges decide.
// A point is inside the support when every feature lies in the widened range
// AND it lies within kRadiusFactor x radius + kMinRadiusPerSqrtFeature x
// sqrt(features) of some centroid (standardised units). Every training row is
// inside by construction; a point far from all clusters is not.
// Deterministic: the same rows and seed give the same bytes.
//
//   const auto summary = SupportSummary::fit(x_train, {.seed = 42});
//   extra["support_summary"] = summary.to_base64();            // into a model file's JSON
//   const auto back = SupportSummary::from_base64(extra["support_summary"].get<std::string>());
//   std::vector<bool> inside = back.contains_rows(x_new);
//
// Binary layout (little-endian): "PXSS", u8 version 1, u32 features F, u32
// clusters K, then float32 min[F], max[F], scale[F], centroids[K*F], radii[K],
// and u32 counts[K]. 13 + 4(3F + KF + 2K) bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

class SupportSummary {
public:
    static constexpr Index kMinClusterRows = 20;     // no centroid averages fewer rows
    static constexpr Index kDefaultMaxClusters = 32;
    static constexpr double kRangeMargin = 0.05;     // ranges widened by 5% of their width
    static constexpr double kRadiusFactor = 1.25;
    static constexpr double kMinRadiusPerSqrtFeature = 0.25;
    static constexpr Index kMaxFeatures = Index{1} << 16;  // deserialisation caps
    static constexpr Index kMaxClusters = 4096;

    struct Options {
        Index max_clusters = kDefaultMaxClusters;  // in [1, kMaxClusters]
        Index min_cluster_rows = kMinClusterRows;  // >= kMinClusterRows
        std::uint64_t seed = 0;                    // k-means++ initialisation
        int iterations = 20;                       // Lloyd iterations
    };

    SupportSummary() = default;
    // Summarises x (n, features). Throws DataError for no rows/columns, NaN/Inf,
    // or more than kMaxFeatures columns; ConfigError for options out of range.
    static SupportSummary fit(ConstMatrixRef x, const Options& options);
    static SupportSummary fit(ConstMatrixRef x) { return fit(x, Options{}); }
    // Summarises the rows of x that `rows` lists (0-based, in that order), read in
    // place: the same bytes as fit(take_rows(x, rows), options) without the copy.
    // ShapeError for a row outside x.
    static SupportSummary fit(ConstMatrixRef x, std::span<const RowIndex> rows, const Options& options);

    Index features() const { return static_cast<Index>(min_.size()); }
    Index clusters() const { return static_cast<Index>(radii_.size()); }
    const std::vector<float>& min() const { return min_; }
    const std::vector<float>& max() const { return max_; }
    const std::vector<std::uint32_t>& cluster_rows() const { return counts_; }

    // Throws ShapeError when the width differs from features().
    bool contains(const Eigen::Ref<const RowVector>& row) const;
    std::vector<bool> contains_rows(const Matrix& x) const;
    double fraction_outside(const Matrix& x) const;  // 0 for an empty x
    // Per feature, the rows of x outside that feature's widened range.
    std::vector<Index> outside_range_counts(const Matrix& x) const;

    std::string serialize() const;
    // Throws DataError naming what is wrong for bytes that are not a valid summary
    // (any length, any content; sizes checked before allocating).
    static SupportSummary deserialize(std::string_view bytes);
    std::string to_base64() const;
    static SupportSummary from_base64(std::string_view text);

private:
    static SupportSummary fit(ConstMatrixRef x, std::span<const RowIndex> rows, const Options& options, bool indexed);
    std::vector<float> min_, max_, scale_, centroids_, radii_;
    std::vector<std::uint32_t> counts_;
};

}  // namespace plexus
