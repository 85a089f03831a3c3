#include "plexus/data/support_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "plexus/core/error.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/core/text.hpp"

namespace plexus {
namespace {

constexpr char kMagic[4] = {'P', 'X', 'S', 'S'};
constexpr std::uint8_t kVersion = 1;
constexpr Index kMaxFitRows = 4096;  // k-means runs on at most this many rows (even stride)

// lo/hi rounded outward to two significant digits of the range, never equal to a training value.
std::pair<double, double> coarse_range(double lo, double hi) {
    const double magnitude = hi > lo ? hi - lo : std::max({std::abs(lo), std::abs(hi), 1e-30});
    const double step = std::pow(10.0, std::floor(std::log10(magnitude)) - 1);
    double a = std::floor(lo / step) * step, b = std::ceil(hi / step) * step;
    if (static_cast<float>(a) >= static_cast<float>(lo)) a -= step;
    if (static_cast<float>(b) <= static_cast<float>(hi)) b += step;
    return {a, b};
}

double sq_distance(const double* a, const double* b, Index d) {
    double s = 0;
    for (Index j = 0; j < d; ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

// Index of the centroid (rows of c, those with alive[k]) nearest to z.
Index nearest(const double* z, const Eigen::MatrixXd& c, const std::vector<bool>& alive) {
    Index best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    for (Index k = 0; k < c.rows(); ++k) {
        if (!alive[static_cast<std::size_t>(k)]) continue;
        const Eigen::RowVectorXd ck = c.row(k);
        const double dist = sq_distance(z, ck.data(), c.cols());
        if (dist < best_d) best_d = dist, best = k;
    }
    return best;
}

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// k-means++ then Lloyd on the rows of z; returns k centroids.
Eigen::MatrixXd kmeans(const RowMatrixD& z, Index k, std::uint64_t seed, int iterations) {
    const Index n = z.rows(), d = z.cols();
    Rng rng(seed);
    Eigen::MatrixXd c(k, d);
    c.row(0) = z.row(static_cast<Index>(rng.uniform() * static_cast<double>(n)) % n);
    std::vector<double> dist(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
    for (Index m = 1; m < k; ++m) {
        double total = 0;
        const Eigen::RowVectorXd prev = c.row(m - 1);
        for (Index i = 0; i < n; ++i) {
            auto& di = dist[static_cast<std::size_t>(i)];
            di = std::min(di, sq_distance(z.row(i).data(), prev.data(), d));
            total += di;
        }
        double target = rng.uniform() * total;
        Index pick = n - 1;
        for (Index i = 0; i < n; ++i)
            if ((target -= dist[static_cast<std::size_t>(i)]) <= 0) {
                pick = i;
                break;
            }
        c.row(m) = z.row(pick);
    }
    Eigen::MatrixXd dots;
    for (int it = 0; it < iterations; ++it) {
        Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, d);
        Eigen::VectorXd count = Eigen::VectorXd::Zero(k);
        // Nearest centroid by ||c||^2 - 2 z.c (||z||^2 does not change the argmin): one matrix product.
        const Eigen::RowVectorXd norms = c.rowwise().squaredNorm().transpose();
        dots.noalias() = z * c.transpose();
        for (Index i = 0; i < n; ++i) {
            Index a = 0;
            double best = std::numeric_limits<double>::infinity();
            for (Index m = 0; m < k; ++m)
                if (const double gap = norms(m) - 2.0 * dots(i, m); gap < best) best = gap, a = m;
            sum.row(a) += z.row(i);
            count(a) += 1;
        }
        for (Index m = 0; m < k; ++m)
            if (count(m) > 0) c.row(m) = sum.row(m) / count(m);
    }
    return c;
}

template <typename T>
void put(std::string& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

template <typename T>
void get_all(std::string_view bytes, std::size_t& pos, std::vector<T>& out, std::size_t n) {
    out.resize(n);
    if (n) std::memcpy(out.data(), bytes.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
}

}  // namespace

namespace {

// Row i of x in standardised units (divided by the per-feature scale).
void scaled_row(ConstMatrixRef x, Index i, const Eigen::RowVectorXd& inv_scale, Eigen::RowVectorXd& z) {
    z = x.row(i).cast<double>().cwiseProduct(inv_scale);
}

// The nearest alive centroid of every row of x, in blocks: ||z||^2 - 2 z.c + ||c||^2
// with one matrix product per block (the per-row ||z||^2 does not change the argmin).
// No copy of x is made beyond one block.
std::vector<Index> assign_rows(ConstMatrixRef x, const Eigen::RowVectorXd& inv_scale, const Eigen::MatrixXd& c,
                               const std::vector<bool>& alive) {
    constexpr Index kBlock = 1024;
    const Index n = x.rows();
    const Eigen::MatrixXd ct = c.transpose();
    const Eigen::RowVectorXd norms = c.rowwise().squaredNorm().transpose();
    std::vector<Index> owner(static_cast<std::size_t>(n));
    Eigen::MatrixXd zb, dots;
    for (Index r0 = 0; r0 < n; r0 += kBlock) {
        const Index b = std::min(kBlock, n - r0);
        zb = x.middleRows(r0, b).cast<double>() * inv_scale.asDiagonal();
        dots.noalias() = zb * ct;
        for (Index i = 0; i < b; ++i) {
            Index best = -1;
            double best_d = std::numeric_limits<double>::infinity();
            for (Index m = 0; m < c.rows(); ++m) {
                if (!alive[static_cast<std::size_t>(m)]) continue;
                const double dist = norms(m) - 2.0 * dots(i, m);
                if (dist < best_d) best_d = dist, best = m;
            }
            owner[static_cast<std::size_t>(r0 + i)] = best;
        }
    }
    return owner;
}

}  // namespace

// Memory: a few vectors of n and one block of rows beyond x itself (no double
// copy of the data: this runs after every `plexus train`, on data of any size).
SupportSummary SupportSummary::fit(ConstMatrixRef x, const Options& options) {
    const Index n = x.rows(), d = x.cols();
    if (n == 0 || d == 0) throw DataError("SupportSummary: the training data has no rows or no columns");
    if (d > kMaxFeatures) throw DataError("SupportSummary: more than " + std::to_string(kMaxFeatures) + " features");
    if (!all_finite(x)) throw DataError("SupportSummary: the training data holds NaN or Inf; clean it first");
    if (options.max_clusters < 1 || options.max_clusters > kMaxClusters || options.min_cluster_rows < kMinClusterRows ||
        options.iterations < 0)
        throw ConfigError("SupportSummary: options out of range (max_clusters in [1, " + std::to_string(kMaxClusters) +
                          "], min_cluster_rows >= " + std::to_string(kMinClusterRows) + ", iterations >= 0)");
    SupportSummary s;
    // Per-feature range, mean and spread in two row-wise passes (x is row-major).
    Eigen::RowVectorXd lo = x.row(0).cast<double>(), hi = lo, sum = Eigen::RowVectorXd::Zero(d), squares = sum;
    for (Index i = 0; i < n; ++i) {
        const Eigen::RowVectorXd r = x.row(i).cast<double>();
        lo = lo.cwiseMin(r);
        hi = hi.cwiseMax(r);
        sum += r;
    }
    const Eigen::RowVectorXd mean = sum / static_cast<double>(n);
    for (Index i = 0; i < n; ++i) squares += (x.row(i).cast<double>() - mean).array().square().matrix();
    Eigen::RowVectorXd inv_scale(d);
    for (Index j = 0; j < d; ++j) {
        const auto [range_lo, range_hi] = coarse_range(lo(j), hi(j));
        s.min_.push_back(static_cast<float>(range_lo));
        s.max_.push_back(static_cast<float>(range_hi));
        const double sd = std::sqrt(squares(j) / static_cast<double>(n));
        s.scale_.push_back(static_cast<float>(sd > 1e-12 ? sd : 1.0));
        inv_scale(j) = 1.0 / static_cast<double>(s.scale_.back());
    }
    const Index k = std::min(options.max_clusters, n / options.min_cluster_rows);
    if (k == 0) return s;
    const Index stride = std::max<Index>(1, n / kMaxFitRows);
    RowMatrixD sample((n + stride - 1) / stride, d);
    for (Index i = 0; i < sample.rows(); ++i) sample.row(i) = x.row(i * stride).cast<double>().cwiseProduct(inv_scale);
    Eigen::MatrixXd c = kmeans(sample, std::min(k, sample.rows()), options.seed, options.iterations);

    // Assign every row; merge clusters below min_cluster_rows into their neighbours, smallest first.
    std::vector<bool> alive(static_cast<std::size_t>(c.rows()), true);
    std::vector<Index> owner = assign_rows(x, inv_scale, c, alive);
    std::vector<Index> count(static_cast<std::size_t>(c.rows()), 0);
    for (const Index m : owner) ++count[static_cast<std::size_t>(m)];
    Eigen::RowVectorXd z;
    while (true) {
        Index small = -1;
        for (Index m = 0; m < c.rows(); ++m)
            if (alive[static_cast<std::size_t>(m)] && count[static_cast<std::size_t>(m)] < options.min_cluster_rows &&
                (small < 0 || count[static_cast<std::size_t>(m)] < count[static_cast<std::size_t>(small)]))
                small = m;
        if (small < 0) break;
        alive[static_cast<std::size_t>(small)] = false;
        for (Index i = 0; i < n; ++i)
            if (owner[static_cast<std::size_t>(i)] == small) {
                scaled_row(x, i, inv_scale, z);
                const Index to = nearest(z.data(), c, alive);
                owner[static_cast<std::size_t>(i)] = to;
                ++count[static_cast<std::size_t>(to)];
            }
        count[static_cast<std::size_t>(small)] = 0;
    }
    // Centroids are the members' means; radii the largest member distance to them (exact, per row).
    std::vector<Index> keep;
    for (Index m = 0; m < c.rows(); ++m)
        if (alive[static_cast<std::size_t>(m)]) keep.push_back(m);
    Eigen::MatrixXd mean_z = Eigen::MatrixXd::Zero(c.rows(), d);
    for (Index i = 0; i < n; ++i) {
        scaled_row(x, i, inv_scale, z);
        mean_z.row(owner[static_cast<std::size_t>(i)]) += z;
    }
    std::vector<double> radius(static_cast<std::size_t>(c.rows()), 0.0);
    for (const Index m : keep) mean_z.row(m) /= static_cast<double>(count[static_cast<std::size_t>(m)]);
    for (Index i = 0; i < n; ++i) {
        const Index m = owner[static_cast<std::size_t>(i)];
        scaled_row(x, i, inv_scale, z);
        const Eigen::RowVectorXd cm = mean_z.row(m);
        radius[static_cast<std::size_t>(m)] = std::max(radius[static_cast<std::size_t>(m)], std::sqrt(sq_distance(z.data(), cm.data(), d)));
    }
    for (const Index m : keep) {
        for (Index j = 0; j < d; ++j)
            s.centroids_.push_back(static_cast<float>(mean_z(m, j) * static_cast<double>(s.scale_[static_cast<std::size_t>(j)])));
        s.radii_.push_back(static_cast<float>(radius[static_cast<std::size_t>(m)]));
        s.counts_.push_back(static_cast<std::uint32_t>(count[static_cast<std::size_t>(m)]));
    }
    return s;
}

bool SupportSummary::contains(const Eigen::Ref<const RowVector>& row) const {
    const Index d = features();
    if (row.size() != d)
        throw ShapeError("SupportSummary: expected rows of " + std::to_string(d) + " features, received " + std::to_string(row.size()));
    for (Index j = 0; j < d; ++j) {
        const auto u = static_cast<std::size_t>(j);
        const double margin = kRangeMargin * (static_cast<double>(max_[u]) - static_cast<double>(min_[u]));
        const auto v = static_cast<double>(row(j));
        if (!(v >= static_cast<double>(min_[u]) - margin && v <= static_cast<double>(max_[u]) + margin)) return false;
    }
    if (radii_.empty()) return true;
    const double floor_radius = kMinRadiusPerSqrtFeature * std::sqrt(static_cast<double>(d));
    for (std::size_t k = 0; k < radii_.size(); ++k) {
        double s = 0;
        for (Index j = 0; j < d; ++j) {
            const auto u = static_cast<std::size_t>(j);
            const double diff = (static_cast<double>(row(j)) - static_cast<double>(centroids_[k * static_cast<std::size_t>(d) + u])) /
                                static_cast<double>(scale_[u]);
            s += diff * diff;
        }
        const double limit = kRadiusFactor * static_cast<double>(radii_[k]) + floor_radius;
        if (s <= limit * limit) return true;
    }
    return false;
}

std::vector<bool> SupportSummary::contains_rows(const Matrix& x) const {
    std::vector<bool> out(static_cast<std::size_t>(x.rows()));
    for (Index i = 0; i < x.rows(); ++i) out[static_cast<std::size_t>(i)] = contains(x.row(i));
    return out;
}

double SupportSummary::fraction_outside(const Matrix& x) const {
    if (x.rows() == 0) return 0.0;
    const auto inside = contains_rows(x);
    return static_cast<double>(std::count(inside.begin(), inside.end(), false)) / static_cast<double>(x.rows());
}

std::vector<Index> SupportSummary::outside_range_counts(const Matrix& x) const {
    const Index d = features();
    if (x.cols() != d)
        throw ShapeError("SupportSummary: expected rows of " + std::to_string(d) + " features, received " + std::to_string(x.cols()));
    std::vector<Index> counts(static_cast<std::size_t>(d), 0);
    for (Index j = 0; j < d; ++j) {
        const auto u = static_cast<std::size_t>(j);
        const double margin = kRangeMargin * (static_cast<double>(max_[u]) - static_cast<double>(min_[u]));
        const double lo = static_cast<double>(min_[u]) - margin, hi = static_cast<double>(max_[u]) + margin;
        for (Index i = 0; i < x.rows(); ++i) {
            const auto v = static_cast<double>(x(i, j));
            if (!(v >= lo && v <= hi)) ++counts[u];
        }
    }
    return counts;
}

std::string SupportSummary::serialize() const {
    std::string out(kMagic, 4);
    put(out, kVersion);
    put(out, static_cast<std::uint32_t>(features()));
    put(out, static_cast<std::uint32_t>(clusters()));
    for (const auto* v : {&min_, &max_, &scale_, &centroids_, &radii_})
        for (const float f : *v) put(out, f);
    for (const auto c : counts_) put(out, c);
    return out;
}

SupportSummary SupportSummary::deserialize(std::string_view bytes) {
    auto bad = [](const std::string& what) -> DataError { return DataError("support summary: " + what + "; retrain or re-save the model"); };
    if (bytes.size() < 13 || std::memcmp(bytes.data(), kMagic, 4) != 0) throw bad("not a support summary (bad magic bytes)");
    if (static_cast<std::uint8_t>(bytes[4]) != kVersion) throw bad("unsupported version " + std::to_string(static_cast<int>(bytes[4])));
    std::uint32_t f = 0, k = 0;
    std::memcpy(&f, bytes.data() + 5, 4);
    std::memcpy(&k, bytes.data() + 9, 4);
    if (f == 0 || f > kMaxFeatures || k > kMaxClusters) throw bad("sizes out of range (" + std::to_string(f) + " features, " + std::to_string(k) + " clusters)");
    const std::size_t expected = 13 + 4 * (3 * std::size_t{f} + std::size_t{k} * f + 2 * std::size_t{k});
    if (bytes.size() != expected) throw bad(std::to_string(bytes.size()) + " bytes, expected " + std::to_string(expected));
    SupportSummary s;
    std::size_t pos = 13;
    get_all(bytes, pos, s.min_, f);
    get_all(bytes, pos, s.max_, f);
    get_all(bytes, pos, s.scale_, f);
    get_all(bytes, pos, s.centroids_, std::size_t{k} * f);
    get_all(bytes, pos, s.radii_, k);
    get_all(bytes, pos, s.counts_, k);
    for (std::uint32_t j = 0; j < f; ++j)
        if (!std::isfinite(s.min_[j]) || !std::isfinite(s.max_[j]) || !(s.min_[j] <= s.max_[j]) || !std::isfinite(s.scale_[j]) || !(s.scale_[j] > 0))
            throw bad("feature " + std::to_string(j) + " has an invalid range or scale");
    for (const float v : s.centroids_)
        if (!std::isfinite(v)) throw bad("a centroid is not finite");
    for (std::uint32_t m = 0; m < k; ++m)
        if (!std::isfinite(s.radii_[m]) || s.radii_[m] < 0 || s.counts_[m] < kMinClusterRows)
            throw bad("cluster " + std::to_string(m) + " has an invalid radius or fewer than " + std::to_string(kMinClusterRows) + " rows");
    return s;
}

std::string SupportSummary::to_base64() const { return base64_encode(serialize()); }
SupportSummary SupportSummary::from_base64(std::string_view text) { return deserialize(base64_decode(text)); }

}  // namespace plexus
