// The data facts of the pre-flight record; see record_data.hpp.
#include "plexus/doctor/record_data.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "plexus/data/column_stats.hpp"
#include "plexus/data/support.hpp"

namespace plexus::doctor::detail {
namespace {

// Hash of a row's bit pattern (-0 and +0 hash alike, as they compare equal): FNV-1a over
// the values' words, then splitmix64's finaliser, so that the low bits can pick a slot.
std::uint64_t row_hash(const RowView& m, Index row) {
    using Bits = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;
    std::uint64_t h = 1469598103934665603ull;
    for (Index j = 0; j < m.cols(); ++j) {
        Scalar v = m(row, j);
        if (v == Scalar(0)) v = Scalar(0);
        Bits bits;
        std::memcpy(&bits, &v, sizeof bits);
        h = (h ^ bits) * 1099511628211ull;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

// Per column of the view's rows, in double: min, max, mean and population std (one
// parallel pass over the rows, read in place: data/column_stats.hpp).
ColumnStats column_stats(const RowView& v) {
    return plexus::column_stats(v.m.data(), v.cols(), v.rows(), v.index ? v.index->data() : nullptr);
}

bool all_finite(const RowView& v) {
    for (Index i = 0; i < v.rows(); ++i)
        if (!plexus::all_finite(v.row(i))) return false;
    return true;
}

// Rows i * rows / take of the view (all of them when take >= rows).
Matrix stride_sample(const RowView& v, Index take) {
    const Index n = v.rows();
    if (take >= n) return v.gather();
    Matrix out(take, v.cols());
    for (Index i = 0; i < take; ++i) out.row(i) = v.row(i * n / take);
    return out;
}

}  // namespace

std::vector<FeatureFacts> feature_facts(const RowView& x_train, const RowView& x_val, const std::vector<std::string>& names) {
    std::vector<FeatureFacts> out(static_cast<std::size_t>(x_train.cols()));
    const ColumnStats train = column_stats(x_train), val = column_stats(x_val);
    for (std::size_t j = 0; j < out.size(); ++j) {
        auto& f = out[j];
        f.name = j < names.size() ? names[j] : "x" + std::to_string(j);
        if (x_train.rows() > 0) {
            f.train_min = train.min[j];
            f.train_max = train.max[j];
            f.train_mean = train.mean[j];
            f.train_std = train.std[j];
        }
        if (x_val.rows() > 0) {
            f.val_min = val.min[j];
            f.val_max = val.max[j];
        }
    }
    return out;
}

void fill_support_facts(DataFacts& data, const RowView& train_rows, const RowView& x_val) {
    if (train_rows.rows() == 0 || x_val.rows() == 0 || !all_finite(train_rows) || !all_finite(x_val)) return;
    const auto row_bytes = static_cast<std::size_t>(std::max<Index>(1, train_rows.cols())) * sizeof(Scalar);
    // An even stride of at most kMaxSupportFitBytes of training rows, as indices into x:
    // the supports below read them in place (no copy of the sample).
    const Index total = train_rows.rows();
    const Index n = std::min(total, static_cast<Index>(std::max<std::size_t>(1, kMaxSupportFitBytes / row_bytes)));
    RowList sample(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) sample[static_cast<std::size_t>(i)] = train_rows.at(i * total / n);
    const MatrixView x = train_rows.m;
    const Support support = Support::fit(x, sample);
    // Every validation row's range check, a bounded chunk at a time.
    std::vector<Index> counts(static_cast<std::size_t>(x_val.cols()), 0);
    const Index chunk_rows = std::max<Index>(1, static_cast<Index>(kMaxSupportFitBytes / 8 / row_bytes));
    for (Index start = 0; start < x_val.rows(); start += chunk_rows) {
        Matrix chunk(std::min(chunk_rows, x_val.rows() - start), x_val.cols());
        x_val.gather_into(start, chunk.rows(), chunk);
        const auto c = support.outside_range_counts(chunk);
        for (std::size_t j = 0; j < c.size() && j < counts.size(); ++j) counts[j] += c[j];
    }
    for (std::size_t j = 0; j < counts.size() && j < data.features.size(); ++j) data.features[j].val_outside_range = counts[j];
    const Matrix queries = stride_sample(x_val, kMaxSupportQueries);
    data.validation_rows_checked = queries.rows();
    data.validation_outside_support = support.fraction_outside(queries);
    // The null rate: each fold of the sample against a support fitted on the others.
    if (n < 2 * kSupportFolds) return;
    const Index per_fold = std::max<Index>(1, kMaxSupportQueries / kSupportFolds);
    double outside = 0;
    Index checked = 0;
    RowList fit_rows, held;
    for (Index k = 0; k < kSupportFolds; ++k) {
        fit_rows.clear();
        held.clear();
        for (Index i = 0; i < n; ++i) (i % kSupportFolds == k ? held : fit_rows).push_back(sample[static_cast<std::size_t>(i)]);
        const Index take = std::min<Index>(per_fold, static_cast<Index>(held.size()));
        Matrix q(take, x.cols());
        for (Index i = 0; i < take; ++i) q.row(i) = x.row(held[static_cast<std::size_t>(i * static_cast<Index>(held.size()) / take)]);
        outside += Support::fit(x, fit_rows).fraction_outside(q) * static_cast<double>(take);
        checked += take;
    }
    data.train_outside_support_cv = outside / static_cast<double>(checked);
    data.train_rows_checked_cv = checked;
}

void fill_duplicates(DataFacts& data, const RowView& x_train, const RowView& y_train, const RowView& x_val, const RowView& y_val) {
    if (x_train.rows() == 0 || x_val.rows() == 0) return;
    // For each validation row: is some training row identical (found), and is one of those
    // also identical in its target? The smaller part is indexed and the other streamed
    // against it: the memory is that of the smaller part.
    const bool index_val = x_val.rows() <= x_train.rows();
    const RowView& xi = index_val ? x_val : x_train;  // indexed
    const RowView& xs = index_val ? x_train : x_val;  // streamed
    const RowView& yi = index_val ? y_val : y_train;
    const RowView& ys = index_val ? y_train : y_val;
    const bool same_width = y_train.cols() == y_val.cols();
    // An open-addressing table of the indexed part's distinct rows (linear probing, load
    // <= 0.8): a slot holds the upper half of the row's hash and its first row; `next`
    // chains the later rows with the same features to it. Two allocations of 4 bytes per
    // indexed row and 8 per slot, and one probe per streamed row, where a sorted array
    // took a binary search of ~20 cache misses (1.6 M of them on the tabular workload).
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    struct Slot {
        std::uint32_t tag = 0, row = kNone;
    };
    const auto rows_i = static_cast<std::size_t>(xi.rows());
    const std::size_t capacity = std::bit_ceil(rows_i + rows_i / 4 + 1);
    const std::size_t mask = capacity - 1;
    std::vector<Slot> table(capacity);
    std::vector<std::uint32_t> next(rows_i, kNone);
    // The slot of the indexed row with the features of view's row r (hash h), or the empty
    // slot where such a row would go.
    const auto slot_of = [&](const RowView& view, Index r, std::uint64_t h) -> Slot& {
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
            Slot& slot = table[pos];
            if (slot.row == kNone || (slot.tag == tag && xi.row(slot.row) == view.row(r))) return slot;
        }
    };
    for (Index i = 0; i < xi.rows(); ++i) {
        const std::uint64_t h = row_hash(xi, i);
        Slot& slot = slot_of(xi, i, h);
        if (slot.row == kNone) {
            slot = {static_cast<std::uint32_t>(h >> 32), static_cast<std::uint32_t>(i)};
        } else {  // the same features as an earlier row: chain it
            next[static_cast<std::size_t>(i)] = next[slot.row];
            next[slot.row] = static_cast<std::uint32_t>(i);
        }
    }
    // Per validation row: bit 0 found, bit 1 same target.
    std::vector<unsigned char> flags(index_val ? static_cast<std::size_t>(x_val.rows()) : 0, 0);
    for (Index s = 0; s < xs.rows(); ++s) {
        const std::uint32_t first = slot_of(xs, s, row_hash(xs, s)).row;  // kNone: no indexed row has its features
        unsigned char mine = 0;  // the streamed validation row's flags (when the training rows are indexed)
        for (std::uint32_t r = first; r != kNone; r = next[r]) {
            const unsigned char f = static_cast<unsigned char>(1 | (same_width && yi.row(r) == ys.row(s) ? 2 : 0));
            if (index_val) flags[r] |= f;
            else mine |= f;
        }
        if (!index_val) {
            data.duplicate_rows += mine & 1;
            data.duplicate_rows_same_target += (mine >> 1) & 1;
        }
    }
    for (const unsigned char f : flags) {
        data.duplicate_rows += f & 1;
        data.duplicate_rows_same_target += (f >> 1) & 1;
    }
}

void fill_class_ranges(std::vector<FeatureFacts>& features, const RowView& x_train, const LabelOf& train_label,
                       const RowView& x_val, const LabelOf& val_label, Index classes) {
    if (classes <= 0 || classes > kMaxClassRanges) return;
    const auto k = static_cast<std::size_t>(classes);
    const std::size_t d = features.size();
    const double inf = std::numeric_limits<double>::infinity();
    // Row by row (the matrix is row-major), into class x feature tables.
    std::vector<double> tmin(k * d, inf), tmax(k * d, -inf), vmin(k * d, inf), vmax(k * d, -inf);
    std::vector<Index> outside(k * d, 0);
    for (Index i = 0; i < x_train.rows(); ++i) {
        const int c = train_label(x_train.at(i));
        if (c < 0 || c >= classes) continue;
        const auto row = x_train.row(i);
        double* lo = &tmin[static_cast<std::size_t>(c) * d];
        double* hi = &tmax[static_cast<std::size_t>(c) * d];
        for (std::size_t j = 0; j < d; ++j) {
            const auto v = static_cast<double>(row(static_cast<Index>(j)));
            lo[j] = std::min(lo[j], v);
            hi[j] = std::max(hi[j], v);
        }
    }
    for (Index i = 0; i < x_val.rows(); ++i) {
        const int c = val_label(x_val.at(i));
        if (c < 0 || c >= classes) continue;
        const std::size_t base = static_cast<std::size_t>(c) * d;
        const auto row = x_val.row(i);
        for (std::size_t j = 0; j < d; ++j) {
            const auto v = static_cast<double>(row(static_cast<Index>(j)));
            vmin[base + j] = std::min(vmin[base + j], v);
            vmax[base + j] = std::max(vmax[base + j], v);
            const double lo = tmin[base + j], hi = tmax[base + j];
            const double margin = Support::kRangeMargin * (hi - lo);
            if (!(v >= lo - margin && v <= hi + margin)) ++outside[base + j];
        }
    }
    const double nan = kNaN;
    for (std::size_t j = 0; j < d; ++j) {
        auto& f = features[j];
        f.train_class_min.assign(k, nan);
        f.train_class_max.assign(k, nan);
        f.val_class_min.assign(k, nan);
        f.val_class_max.assign(k, nan);
        f.val_class_outside_range.assign(k, 0);
        for (std::size_t c = 0; c < k; ++c) {
            const std::size_t at = c * d + j;
            if (!std::isinf(tmin[at])) f.train_class_min[c] = tmin[at], f.train_class_max[c] = tmax[at];
            if (!std::isinf(vmin[at])) f.val_class_min[c] = vmin[at], f.val_class_max[c] = vmax[at];
            f.val_class_outside_range[c] = outside[at];
        }
    }
}

bool looks_standardized(const RowView& m) {
    if (m.rows() < 2 || m.cols() == 0) return false;
    const ColumnStats s = column_stats(m);
    for (std::size_t j = 0; j < s.mean.size(); ++j)
        if (std::abs(s.mean[j]) > 0.1 || s.std[j] < 0.8 || s.std[j] > 1.2) return false;
    return true;
}

}  // namespace plexus::doctor::detail
