#include "plexus/data/support_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "plexus/core/bytes.hpp"
#include "plexus/core/error.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/column_stats.hpp"

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

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

using ConstRowD = Eigen::Map<const Eigen::RowVectorXd>;
using ConstRowS = Eigen::Map<const RowVector>;  // a row of the data (Scalar: float, double in plexus_f64)
using ConstRowF = Eigen::Map<const Eigen::RowVectorXf>;  // stored values

// Vectorised reductions (Eigen keeps several partial sums; a plain loop cannot without -ffast-math).
double sq_distance(const double* a, const double* b, Index d) { return (ConstRowD(a, d) - ConstRowD(b, d)).squaredNorm(); }

// Row i of x in standardised units (divided by the per-feature scale), into z[0, d).
void scaled_row(const Scalar* row, const double* inv_scale, Index d, double* z) {
    for (Index j = 0; j < d; ++j) z[j] = static_cast<double>(row[j]) * inv_scale[j];
}

// Index of the alive row of c (row-major, k x d) nearest to z.
Index nearest(const double* z, const RowMatrixD& c, const std::vector<bool>& alive) {
    Index best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    for (Index k = 0; k < c.rows(); ++k) {
        if (!alive[static_cast<std::size_t>(k)]) continue;
        if (const double dist = sq_distance(z, c.row(k).data(), c.cols()); dist < best_d) best_d = dist, best = k;
    }
    return best;
}

// Per row of dots (rows x k: z.c), the m minimising norms(m) - 2 z.c (the argmin of
// ||z - c||^2; ||z||^2 does not change it).
template <typename Dots, typename Norms>
void argmin_rows(const Dots& dots, const Norms& norms, Index* owner) {
    for (Index i = 0; i < dots.rows(); ++i) {
        Index best = 0;
        double best_d = std::numeric_limits<double>::infinity();
        for (Index m = 0; m < dots.cols(); ++m) {
            if (const double gap = static_cast<double>(norms(m)) - 2.0 * static_cast<double>(dots(i, m)); gap < best_d) best_d = gap, best = m;
        }
        owner[i] = best;
    }
}

using bytes::put;  // core/bytes.hpp

template <typename T>
void get_all(std::string_view bytes, std::size_t& pos, std::vector<T>& out, std::size_t n) {
    out.resize(n);
    if (n) std::memcpy(out.data(), bytes.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
}

// The passes over all rows run in parallel over a fixed cut of the rows into parts
// (it depends on the sizes only, never on the thread count, and the parts' partial
// results are combined in order: the same bytes with any number of threads). Each
// part holds k x d partial sums, so big shapes get fewer parts (at most 64 MB).
struct Parts {
    Index count, rows;
    Parts(Index n, Index k, Index d) {
        constexpr Index kMinRows = 2048, kMaxParts = 16, kMaxBytes = Index{64} << 20;
        count = std::clamp<Index>((n + kMinRows - 1) / kMinRows, 1, kMaxParts);
        count = std::max<Index>(1, std::min(count, kMaxBytes / std::max<Index>(1, k * d * 8)));
        rows = (n + count - 1) / count;
    }
};

// k-means++ then Lloyd (until no row changes cluster, at most `iterations` steps) on the
// rows of z; returns k centroids (row-major). The passes over the rows run in parallel
// over Parts (a cut fixed by the sizes; partial sums combined in order: the same
// centroids with any number of threads).
RowMatrixD kmeans(const RowMatrixD& z, Index k, std::uint64_t seed, int iterations) {
    const Index n = z.rows(), d = z.cols();
    const Parts parts(n, k, d);
    const auto part_end = [&](Index p) { return std::min(n, (p + 1) * parts.rows); };
    Rng rng(seed);
    RowMatrixD c(k, d);
    c.row(0) = z.row(static_cast<Index>(rng.uniform() * static_cast<double>(n)) % n);
    std::vector<double> dist(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
    std::vector<double> part_total(static_cast<std::size_t>(parts.count));
    for (Index m = 1; m < k; ++m) {
        parallel_for(parts.count, [&](Index p) {
            double total = 0;
            for (Index i = p * parts.rows; i < part_end(p); ++i) {
                auto& di = dist[static_cast<std::size_t>(i)];
                di = std::min(di, sq_distance(z.row(i).data(), c.row(m - 1).data(), d));
                total += di;
            }
            part_total[static_cast<std::size_t>(p)] = total;
        });
        double total = 0;
        for (const double t : part_total) total += t;
        double target = rng.uniform() * total;
        Index pick = n - 1;
        for (Index i = 0; i < n; ++i)
            if ((target -= dist[static_cast<std::size_t>(i)]) <= 0) {
                pick = i;
                break;
            }
        c.row(m) = z.row(pick);
    }
    // The products in float (the data's precision; they only pick the nearest centroid).
    const RowMatrixF zf = z.cast<float>();
    std::vector<RowMatrixD> sums(static_cast<std::size_t>(parts.count), RowMatrixD(k, d));
    std::vector<Eigen::VectorXd> counts(static_cast<std::size_t>(parts.count), Eigen::VectorXd(k));
    std::vector<Eigen::MatrixXf> dots(static_cast<std::size_t>(parts.count));
    std::vector<Index> owner(static_cast<std::size_t>(n), -1), previous;
    for (int it = 0; it < iterations; ++it) {
        // Nearest centroid by ||c||^2 - 2 z.c: one matrix product per part and step.
        const Eigen::MatrixXf cf = c.cast<float>();
        const Eigen::VectorXf norms = cf.rowwise().squaredNorm();
        previous = owner;
        parallel_for(parts.count, [&](Index p) {
            const auto u = static_cast<std::size_t>(p);
            const Index r0 = p * parts.rows, rows = part_end(p) - r0;
            dots[u].noalias() = zf.middleRows(r0, rows) * cf.transpose();
            argmin_rows(dots[u], norms, owner.data() + r0);
            sums[u].setZero();
            counts[u].setZero();
            for (Index i = r0; i < r0 + rows; ++i) {
                const Index a = owner[static_cast<std::size_t>(i)];
                sums[u].row(a) += z.row(i);
                counts[u](a) += 1;
            }
        });
        if (owner == previous) break;  // converged: the centroids would not move
        RowMatrixD sum = RowMatrixD::Zero(k, d);
        Eigen::VectorXd count = Eigen::VectorXd::Zero(k);
        for (Index p = 0; p < parts.count; ++p) {
            sum += sums[static_cast<std::size_t>(p)];
            count += counts[static_cast<std::size_t>(p)];
        }
        for (Index m = 0; m < k; ++m)
            if (count(m) > 0) c.row(m) = sum.row(m) / count(m);
    }
    return c;
}

// The rows summarised: rows 0..n-1 of x, or the rows of x that `index` lists (in that
// order). x is row-major, so each row is contiguous.
struct Rows {
    const Scalar* data;
    Index stride, cols, n;
    const RowIndex* index;  // null: every row in order
    const Scalar* row(Index i) const { return data + (index ? static_cast<Index>(index[i]) : i) * stride; }
};

// The nearest centroid of every row of x, in blocks of rows, in the data's precision
// (float; any nearest-enough choice is valid, since the radii are measured exactly
// afterwards): ||c||^2 - 2 z.c with one matrix product per block. Adds each row (in the
// data's units) to its cluster's row of sums (k x d, zeroed by the caller). No copy of x
// is made beyond one block per thread.
std::vector<Index> assign_rows(const Rows& x, const Eigen::RowVectorXd& inv_scale, const RowMatrixD& c, RowMatrixD& sums) {
    constexpr Index kBlock = 1024;
    const Index n = x.n, k = c.rows(), d = x.cols;
    using ColMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    const ColMatrix ct = c.cast<Scalar>().transpose();
    const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> norms = c.cast<Scalar>().rowwise().squaredNorm();
    const RowVector inv = inv_scale.cast<Scalar>();
    std::vector<Index> owner(static_cast<std::size_t>(n));
    const Parts parts(n, k, d);
    std::vector<RowMatrixD> partial(static_cast<std::size_t>(parts.count), RowMatrixD::Zero(k, d));
    parallel_for(parts.count, [&](Index p) {
        Matrix zb;
        ColMatrix dots;
        RowMatrixD& to = partial[static_cast<std::size_t>(p)];
        const Index end = std::min(n, (p + 1) * parts.rows);
        for (Index r0 = p * parts.rows; r0 < end; r0 += kBlock) {
            const Index b = std::min(kBlock, end - r0);
            zb.resize(b, d);
            for (Index i = 0; i < b; ++i) zb.row(i) = ConstRowS(x.row(r0 + i), d).cwiseProduct(inv);
            dots.noalias() = zb * ct;
            argmin_rows(dots, norms, owner.data() + r0);
            for (Index i = 0; i < b; ++i) to.row(owner[static_cast<std::size_t>(r0 + i)]) += ConstRowS(x.row(r0 + i), d).cast<double>();
        }
    });
    for (const auto& part : partial) sums += part;
    return owner;
}

}  // namespace

// Memory: a few vectors of n and one block of rows beyond x itself (no copy of the
// data: this runs before every `plexus train`, on data of any size). Every pass over x
// is row-wise (x is row-major) without temporaries per row.
SupportSummary SupportSummary::fit(ConstMatrixRef x, const Options& options) { return fit(x, {}, options, false); }

SupportSummary SupportSummary::fit(ConstMatrixRef x, std::span<const RowIndex> rows, const Options& options) {
    return fit(x, rows, options, true);
}

SupportSummary SupportSummary::fit(ConstMatrixRef data, std::span<const RowIndex> rows, const Options& options, bool indexed) {
    const Rows x{data.data(), data.outerStride(), data.cols(), indexed ? static_cast<Index>(rows.size()) : data.rows(),
                 indexed ? rows.data() : nullptr};
    const Index n = x.n, d = x.cols;
    if (n == 0 || d == 0) throw DataError("SupportSummary: the training data has no rows or no columns");
    if (d > kMaxFeatures) throw DataError("SupportSummary: more than " + std::to_string(kMaxFeatures) + " features");
    for (const Index r : rows)
        if (r < 0 || r >= data.rows()) throw ShapeError("SupportSummary: row " + std::to_string(r) + " is outside the data's " + std::to_string(data.rows()) + " rows");
    // Per-feature range and spread in one pass over the rows, read in place (data/column_stats.hpp).
    const ColumnStats stats = column_stats(data.data(), d, n, x.index, x.stride);
    if (!stats.finite) throw DataError("SupportSummary: the training data holds NaN or Inf; clean it first");
    if (options.max_clusters < 1 || options.max_clusters > kMaxClusters || options.min_cluster_rows < kMinClusterRows ||
        options.iterations < 0)
        throw ConfigError("SupportSummary: options out of range (max_clusters in [1, " + std::to_string(kMaxClusters) +
                          "], min_cluster_rows >= " + std::to_string(kMinClusterRows) + ", iterations >= 0)");
    SupportSummary s;
    const auto row = [&](Index i) { return x.row(i); };
    Eigen::RowVectorXd inv_scale(d);
    for (Index j = 0; j < d; ++j) {
        const auto u = static_cast<std::size_t>(j);
        const auto [range_lo, range_hi] = coarse_range(stats.min[u], stats.max[u]);
        s.min_.push_back(static_cast<float>(range_lo));
        s.max_.push_back(static_cast<float>(range_hi));
        const double sd = stats.std[u];
        s.scale_.push_back(static_cast<float>(sd > 1e-12 ? sd : 1.0));
        inv_scale(j) = 1.0 / static_cast<double>(s.scale_.back());
    }
    const Index k = std::min(options.max_clusters, n / options.min_cluster_rows);
    if (k == 0) return s;
    const Index stride = std::max<Index>(1, n / kMaxFitRows);
    RowMatrixD sample((n + stride - 1) / stride, d);
    for (Index i = 0; i < sample.rows(); ++i) scaled_row(row(i * stride), inv_scale.data(), d, sample.row(i).data());
    RowMatrixD c = kmeans(sample, std::min(k, sample.rows()), options.seed, options.iterations);

    // Assign every row; merge clusters below min_cluster_rows into their neighbours, smallest first.
    std::vector<bool> alive(static_cast<std::size_t>(c.rows()), true);
    RowMatrixD sums = RowMatrixD::Zero(c.rows(), d);  // per cluster, the sum of its rows (data units)
    std::vector<Index> owner = assign_rows(x, inv_scale, c, sums);
    std::vector<Index> count(static_cast<std::size_t>(c.rows()), 0);
    for (const Index m : owner) ++count[static_cast<std::size_t>(m)];
    std::vector<double> z(static_cast<std::size_t>(d));
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
                scaled_row(row(i), inv_scale.data(), d, z.data());
                const Index to = nearest(z.data(), c, alive);
                owner[static_cast<std::size_t>(i)] = to;
                ++count[static_cast<std::size_t>(to)];
                sums.row(to) += ConstRowS(row(i), d).cast<double>();
            }
        count[static_cast<std::size_t>(small)] = 0;
    }
    // Centroids are the members' means; radii the largest member distance to them (exact, per row).
    std::vector<Index> keep;
    for (Index m = 0; m < c.rows(); ++m)
        if (alive[static_cast<std::size_t>(m)]) keep.push_back(m);
    RowMatrixD mean_z = RowMatrixD::Zero(c.rows(), d);  // in standardised units
    for (const Index m : keep) mean_z.row(m) = sums.row(m).cwiseProduct(inv_scale) / static_cast<double>(count[static_cast<std::size_t>(m)]);
    const Parts parts(n, 4, d);  // a maximum per part: any cut gives the same radii
    std::vector<std::vector<double>> radii(static_cast<std::size_t>(parts.count), std::vector<double>(static_cast<std::size_t>(c.rows()), 0.0));
    parallel_for(parts.count, [&](Index p) {
        std::vector<double>& radius = radii[static_cast<std::size_t>(p)];
        for (Index i = p * parts.rows; i < std::min(n, (p + 1) * parts.rows); ++i) {
            const Index m = owner[static_cast<std::size_t>(i)];
            const double s2 = (ConstRowS(row(i), d).cast<double>().cwiseProduct(inv_scale) - mean_z.row(m)).squaredNorm();
            radius[static_cast<std::size_t>(m)] = std::max(radius[static_cast<std::size_t>(m)], std::sqrt(s2));
        }
    });
    std::vector<double> radius(static_cast<std::size_t>(c.rows()), 0.0);
    for (const auto& part : radii)
        for (std::size_t m = 0; m < radius.size(); ++m) radius[m] = std::max(radius[m], part[m]);
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
    const Eigen::RowVectorXd v = row.cast<double>();
    const Eigen::RowVectorXd scale = ConstRowF(scale_.data(), d).cast<double>();
    for (std::size_t k = 0; k < radii_.size(); ++k) {
        const double s = ((v - ConstRowF(centroids_.data() + k * static_cast<std::size_t>(d), d).cast<double>()).cwiseQuotient(scale)).squaredNorm();
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
