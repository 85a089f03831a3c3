// Training support; see support.hpp.
#include "plexus/data/support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <string>

#include "plexus/core/error.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/data/column_stats.hpp"

namespace plexus {
namespace {

// Rows per GEMM block when computing distances (keeps the block matrix small).
constexpr Index kBlockRows = 256;
// Up to this many features, distances are computed directly (exact, vectorised over the
// points); a matrix product per block pays off only for wider rows.
constexpr Index kDirectMaxFeatures = 32;

// numpy.quantile's default (linear interpolation) of `values`, reordered in place: the
// two order statistics it needs are selected (O(n)) instead of sorting every value; the
// result is the same as on the sorted values.
double quantile_select(std::vector<double>& values, double q) {
    if (values.empty()) return 0.0;
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(lo);
    std::nth_element(values.begin(), at, values.end());
    const double a = *at;
    const double b = lo + 1 < values.size() ? *std::min_element(at + 1, values.end()) : a;
    return a + (b - a) * (pos - static_cast<double>(lo));
}

}  // namespace

Support Support::fit(const Matrix& train_x) { return fit_rows(train_x, nullptr, train_x.rows()); }

Support Support::fit(MatrixView x, const RowList& rows) { return fit_rows(x, rows.data(), static_cast<Index>(rows.size())); }

Support Support::fit_rows(MatrixView train_x, const RowIndex* index, Index n) {
    if (n == 0 || train_x.cols() == 0) {
        throw DataError("Support::fit: received training features " + shape_string(n, train_x.cols()) +
                        ", expected at least one row and one column; fit on the training set");
    }
    Support s;
    s.features_ = train_x.cols();
    const auto row_of = [&](Index i) { return index ? static_cast<Index>(index[i]) : i; };

    // Ranges, mean and spread in double, in one pass over the rows (row-major, read in place:
    // the doctor fits supports on up to kMaxSupportFitBytes of rows and on its folds).
    const ColumnStats stats = column_stats(train_x.data(), train_x.cols(), n, index);
    if (!stats.finite) {
        throw DataError("Support::fit: the training features contain NaN or Inf; remove or impute those rows first");
    }
    const Eigen::Map<const Eigen::RowVectorXd> lo(stats.min.data(), s.features_), hi(stats.max.data(), s.features_);
    s.min_ = lo.cast<Scalar>();
    s.max_ = hi.cast<Scalar>();
    const Eigen::RowVectorXd margin = kRangeMargin * (hi - lo);
    s.low_d_ = lo - margin;
    s.high_d_ = hi + margin;
    s.mean_d_ = Eigen::Map<const Eigen::RowVectorXd>(stats.mean.data(), s.features_);
    s.scale_d_ = Eigen::Map<const Eigen::RowVectorXd>(stats.std.data(), s.features_);
    for (Index j = 0; j < s.features_; ++j) {
        if (!(s.scale_d_(j) >= kMinScale)) s.scale_d_(j) = 1.0;
    }
    s.scale_ = s.scale_d_.cast<Scalar>();

    // Deterministic even stride: rows floor(i * n / m) for i < m.
    const Index m = std::min(n, kMaxIndexRows);
    Matrix chosen(m, s.features_);
    for (Index i = 0; i < m; ++i) chosen.row(i) = train_x.row(row_of(i * n / m));
    s.points_ = s.standardize(chosen);
    s.index_points();

    const double floor_radius = kMinRadiusPerSqrtFeature * std::sqrt(static_cast<double>(s.features_));
    double radius = floor_radius;
    if (m > 1) {
        std::vector<double> nn = s.min_squared_distances(s.points_, true);
        for (double& v : nn) v = std::sqrt(v);
        radius = std::max(kRadiusFactor * quantile_select(nn, kRadiusQuantile), floor_radius);
    }
    s.radius_ = radius;
    return s;
}

void Support::index_points() {
    sweep_keys_.clear();
    sweep_rows_.clear();
    sweep_rank_.clear();
    const Index m = points_.rows(), d = points_.cols();
    if (d > kSweepMaxFeatures || m == 0) {
        point_norms_ = points_.rowwise().squaredNorm();  // for the brute force's expanded form
        return;
    }
    point_norms_.resize(0);
    // Sweep along the feature with the widest standardised range (a constant feature prunes nothing).
    Index best = 0;
    double widest = -1;
    for (Index k = 0; k < d; ++k) {
        const double range = points_.col(k).maxCoeff() - points_.col(k).minCoeff();
        if (range > widest) widest = range, best = k;
    }
    sweep_feature_ = best;
    // Sorted as (key, row) pairs: the same order as by key then row, with contiguous compares.
    std::vector<std::pair<double, Index>> order(static_cast<std::size_t>(m));
    for (Index i = 0; i < m; ++i) order[static_cast<std::size_t>(i)] = {points_(i, best), i};
    std::sort(order.begin(), order.end());
    sweep_rank_.resize(static_cast<std::size_t>(m));
    sweep_keys_.resize(static_cast<std::size_t>(m));
    sweep_rows_.resize(static_cast<std::size_t>(m * d));
    for (Index r = 0; r < m; ++r) {
        const auto& [key, i] = order[static_cast<std::size_t>(r)];
        sweep_rank_[static_cast<std::size_t>(i)] = r;
        sweep_keys_[static_cast<std::size_t>(r)] = key;
        for (Index k = 0; k < d; ++k) sweep_rows_[static_cast<std::size_t>(r * d + k)] = points_(i, k);
    }
}

std::vector<double> Support::min_squared_distances(const Eigen::MatrixXd& queries, bool exclude_self) const {
    const Eigen::MatrixXd& points = points_;
    std::vector<double> out(static_cast<std::size_t>(queries.rows()), std::numeric_limits<double>::infinity());
    const Index d = points.cols();
    if (!sweep_keys_.empty()) {
        // From the query's place in the sorted keys outward on each side, until the key's
        // difference alone reaches the best squared distance: a farther row is at least that
        // far (its distance adds non-negative terms to the same square), so the minimum is
        // the brute force's.
        const Index m = static_cast<Index>(sweep_keys_.size()), f = sweep_feature_;
        const double* keys = sweep_keys_.data();
        const double* rows = sweep_rows_.data();
        double q[kSweepMaxFeatures];
        for (Index i = 0; i < queries.rows(); ++i) {
            for (Index k = 0; k < d; ++k) q[k] = queries(i, k);
            const double q0 = q[f];
            // Where the query goes in the keys: the point's own place for a point, else the
            // first key not below q0.
            Index start = 0, self = -1;
            if (exclude_self) {
                start = self = sweep_rank_[static_cast<std::size_t>(i)];
            } else {
                start = lower_bound_of(q0);
            }
            double best = std::numeric_limits<double>::infinity();
            const auto visit = [&](Index r) {  // false once no farther row on this side can be nearer
                const double dk = keys[r] - q0;
                double dist = dk * dk;
                if (!(dist < best)) return false;
                if (r == self) return true;
                for (Index k = 0; k < d; ++k) {
                    if (k == f) continue;
                    const double diff = rows[r * d + k] - q[k];
                    dist += diff * diff;
                }
                best = std::min(best, dist);
                return true;
            };
            for (Index r = start; r < m && visit(r); ++r) {
            }
            for (Index r = start; r-- > 0 && visit(r);) {
            }
            out[static_cast<std::size_t>(i)] = best;
        }
        return out;
    }
    if (d <= kDirectMaxFeatures) {  // points is column-major: each feature's column is contiguous
        Eigen::ArrayXd dist(points.rows());
        for (Index i = 0; i < queries.rows(); ++i) {
            dist = (points.col(0).array() - queries(i, 0)).square();
            for (Index k = 1; k < d; ++k) dist += (points.col(k).array() - queries(i, k)).square();
            if (exclude_self) dist(i) = std::numeric_limits<double>::infinity();
            if (dist.size() > 0) out[static_cast<std::size_t>(i)] = dist.minCoeff();
        }
        return out;
    }
    // Blocks of queries, independent of each other: every thread takes a run of them (the
    // validation rows of a large table are hundreds of thousands of queries).
    using RowMajorD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Index blocks = (queries.rows() + kBlockRows - 1) / kBlockRows;
    const Index chunks = std::min<Index>(blocks, num_threads());
    parallel_for(chunks, [&](Index c) {
        RowMajorD d2;
        for (Index b = blocks * c / chunks; b < blocks * (c + 1) / chunks; ++b) {
            const Index start = b * kBlockRows, rows = std::min(kBlockRows, queries.rows() - start);
            const auto block = queries.middleRows(start, rows);
            d2.noalias() = -2.0 * (block * points.transpose());  // row-major: each query's row is contiguous
            d2.colwise() += block.rowwise().squaredNorm();
            d2.rowwise() += point_norms_.transpose();
            for (Index i = 0; i < rows; ++i) {
                if (exclude_self) d2(i, start + i) = std::numeric_limits<double>::infinity();
                // The expanded form cancels badly for near neighbours; recompute the winner
                // directly (exactly 0 for a duplicate row).
                Index best = 0;
                d2.row(i).minCoeff(&best);
                out[static_cast<std::size_t>(start + i)] = (block.row(i) - points.row(best)).squaredNorm();
            }
        }
    });
    return out;
}

void Support::check(Index cols, const char* what) const {
    if (!fitted()) {
        throw ConfigError(std::string("Support::") + what + ": not fitted; create it with Support::fit(train_x)");
    }
    if (cols != features_) {
        throw ShapeError(std::string("Support::") + what + ": expected rows with " + std::to_string(features_) +
                         " features, received " + std::to_string(cols) +
                         "; pass features with the same columns as the training set");
    }
}

Eigen::MatrixXd Support::standardize(const Matrix& x) const {
    return (x.cast<double>().rowwise() - mean_d_).array().rowwise() / scale_d_.array();
}

std::vector<double> Support::nearest_distances(const Matrix& x) const {
    check(x.cols(), "nearest_distances");
    std::vector<double> d = min_squared_distances(standardize(x), false);
    for (double& v : d) v = std::sqrt(v);
    return d;
}

double Support::nearest_distance(const Eigen::Ref<const RowVector>& row) const {
    check(row.cols(), "nearest_distance");
    const Matrix m = row;
    return nearest_distances(m).front();
}

bool Support::in_range(const Eigen::Ref<const RowVector>& row) const {
    check(row.cols(), "in_range");
    for (Index j = 0; j < features_; ++j) {
        const auto v = static_cast<double>(row(j));
        if (!(v >= low_d_(j) && v <= high_d_(j))) return false;  // NaN is out of range
    }
    return true;
}

bool Support::contains(const Eigen::Ref<const RowVector>& row) const {
    return in_range(row) && nearest_distance(row) <= radius_;
}

std::vector<bool> Support::contains_rows(const Matrix& x) const {
    std::vector<bool> out(static_cast<std::size_t>(x.rows()));
    if (sweep_keys_.empty()) {
        const std::vector<double> d = nearest_distances(x);
        for (Index i = 0; i < x.rows(); ++i)
            out[static_cast<std::size_t>(i)] = d[static_cast<std::size_t>(i)] <= radius_ && in_range(x.row(i));
        return out;
    }
    check(x.cols(), "contains_rows");
    const Eigen::MatrixXd q = standardize(x);
    double row[kSweepMaxFeatures];
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index k = 0; k < features_; ++k) row[k] = q(i, k);
        out[static_cast<std::size_t>(i)] = in_range(x.row(i)) && within_radius(row);
    }
    return out;
}

bool Support::within_radius(const double* query) const {
    // The sweep of min_squared_distances with the radius as the bound from the start: it
    // looks no farther along the key than the radius and stops at the first point within it.
    // A point is within when the square root of its squared distance is at most the radius
    // (nearest_distance's test); `bound` is a little above the radius's square, so no such
    // point is pruned by rounding.
    const Index m = static_cast<Index>(sweep_keys_.size()), d = features_, f = sweep_feature_;
    const double* keys = sweep_keys_.data();
    const double* rows = sweep_rows_.data();
    const double q0 = query[f], bound = radius_ * radius_ * (1.0 + 1e-9);
    const Index start = lower_bound_of(q0);
    const auto inside = [&](Index r) {
        double dist = 0;
        for (Index k = 0; k < d; ++k) {
            const double diff = rows[r * d + k] - query[k];
            dist += diff * diff;
        }
        return std::sqrt(dist) <= radius_;
    };
    for (Index r = start; r < m && (keys[r] - q0) * (keys[r] - q0) <= bound; ++r)
        if (inside(r)) return true;
    for (Index r = start; r-- > 0 && (keys[r] - q0) * (keys[r] - q0) <= bound;)
        if (inside(r)) return true;
    return false;
}

Index Support::lower_bound_of(double key) const {
    // A branchless binary search: the first sorted key not below `key`.
    const double* keys = sweep_keys_.data();
    const double* base = keys;
    for (Index len = static_cast<Index>(sweep_keys_.size()); len > 1;) {
        const Index half = len / 2;
        base = base[half] < key ? base + half : base;
        len -= half;
    }
    return static_cast<Index>(base - keys) + (*base < key ? 1 : 0);
}

double Support::radius() const {
    check(features_, "radius");
    return radius_;
}

double Support::fraction_outside(const Matrix& x) const {
    check(x.cols(), "fraction_outside");
    if (x.rows() == 0) return 0.0;
    const std::vector<bool> inside = contains_rows(x);
    const auto outside = std::count(inside.begin(), inside.end(), false);
    return static_cast<double>(outside) / static_cast<double>(x.rows());
}

nlohmann::json Support::to_json() const {
    check(features_, "to_json");
    const Index m = std::min(points_.rows(), kMaxStoredRows);
    nlohmann::json rows = nlohmann::json::array();
    for (Index i = 0; i < m; ++i) {
        const Eigen::RowVectorXd raw =
            points_.row(i * points_.rows() / m).cwiseProduct(scale_d_) + mean_d_;  // back to the original units
        rows.push_back(std::vector<double>(raw.data(), raw.data() + raw.size()));
    }
    const auto vec = [](const auto& v) {
        std::vector<double> out(static_cast<std::size_t>(v.size()));
        for (Index j = 0; j < v.size(); ++j) out[static_cast<std::size_t>(j)] = static_cast<double>(v(j));
        return out;
    };
    return {{"features", features_}, {"min", vec(min_)},   {"max", vec(max_)}, {"mean", vec(mean_d_)},
            {"scale", vec(scale_d_)}, {"radius", radius_}, {"rows", rows}};
}

Support Support::from_json(const nlohmann::json& j) {
    const auto fail = [](const std::string& what) -> Support {
        throw ConfigError("Support::from_json: " + what + "; expected the object written by Support::to_json");
    };
    if (!j.is_object() || !j.contains("features") || !j.contains("rows")) return fail("missing 'features' or 'rows'");
    Support s;
    try {
        const Index f = j.at("features").get<Index>();
        const auto get = [&](const char* key) {
            const auto v = j.at(key).get<std::vector<double>>();
            if (static_cast<Index>(v.size()) != f) throw ConfigError(std::string("'") + key + "' has the wrong length");
            return Eigen::Map<const Eigen::RowVectorXd>(v.data(), f).eval();
        };
        const Eigen::RowVectorXd lo = get("min"), hi = get("max");
        s.mean_d_ = get("mean");
        s.scale_d_ = get("scale");
        const auto& rows = j.at("rows");
        if (f <= 0 || !rows.is_array() || rows.empty()) return fail("no features or no rows");
        Matrix points(static_cast<Index>(rows.size()), f);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto r = rows[i].get<std::vector<double>>();
            if (static_cast<Index>(r.size()) != f) return fail("row " + std::to_string(i) + " has the wrong length");
            for (Index k = 0; k < f; ++k) points(static_cast<Index>(i), k) = static_cast<Scalar>(r[static_cast<std::size_t>(k)]);
        }
        s.features_ = f;
        s.min_ = lo.cast<Scalar>();
        s.max_ = hi.cast<Scalar>();
        s.scale_ = s.scale_d_.cast<Scalar>();
        const Eigen::RowVectorXd margin = kRangeMargin * (hi - lo);
        s.low_d_ = lo - margin;
        s.high_d_ = hi + margin;
        s.points_ = s.standardize(points);
        s.index_points();
        double radius = std::max(j.at("radius").get<double>(), kMinRadiusPerSqrtFeature * std::sqrt(static_cast<double>(f)));
        if (s.points_.rows() > 1) {
            std::vector<double> nn = s.min_squared_distances(s.points_, true);
            for (double& v : nn) v = std::sqrt(v);
            radius = std::max(radius, kRadiusFactor * quantile_select(nn, kRadiusQuantile));
        }
        s.radius_ = radius;
    } catch (const nlohmann::json::exception& e) {
        return fail(e.what());
    }
    return s;
}

std::vector<Index> Support::outside_range_counts(const Matrix& x) const {
    check(x.cols(), "outside_range_counts");
    std::vector<Index> counts(static_cast<std::size_t>(features_), 0);
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index j = 0; j < features_; ++j) {
            const auto v = static_cast<double>(x(i, j));
            if (!(v >= low_d_(j) && v <= high_d_(j))) ++counts[static_cast<std::size_t>(j)];
        }
    }
    return counts;
}

}  // namespace plexus
