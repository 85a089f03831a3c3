// Per-column statistics; see column_stats.hpp.
#include "plexus/data/column_stats.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/core/parallel.hpp"

namespace plexus {
namespace {

// One row into the running per-column statistics. A function of non-aliasing pointer
// parameters, so that the loop over the columns vectorises: GCC ignores __restrict on
// local pointers, and inside the parallel lambda this loop stayed scalar (a double at
// a time; 15% of a `plexus train` run on workload M).
void accumulate_row(std::size_t d, const Scalar* __restrict r, const double* __restrict x0, double* __restrict lo,
                    double* __restrict hi, double* __restrict s1, double* __restrict s2, double* __restrict bad) {
    for (std::size_t j = 0; j < d; ++j) {
        const auto x = static_cast<double>(r[j]);
        lo[j] = x < lo[j] ? x : lo[j];
        hi[j] = hi[j] < x ? x : hi[j];
        const double c = x - x0[j];
        s1[j] += c;
        s2[j] += c * c;
        bad[j] += x * 0.0;  // 0 for finite x, NaN for NaN or Inf (and it stays NaN)
    }
}

}  // namespace

ColumnStats column_stats(const Scalar* data, Index cols, Index rows, const RowIndex* index, Index stride) {
    ColumnStats s;
    if (rows <= 0 || cols <= 0) return s;
    const auto d = static_cast<std::size_t>(cols);
    const Index step = stride > 0 ? stride : cols;
    const auto row = [&](Index i) { return data + (index ? index[i] : i) * step; };
    std::vector<double> shift(d);
    for (std::size_t j = 0; j < d; ++j) shift[j] = static_cast<double>(row(0)[j]);
    struct Part {
        std::vector<double> lo, hi, s1, s2, bad;
    };
    constexpr Index kRowsPerPart = 8192, kMaxParts = 16, kMaxBytes = Index{64} << 20;
    Index parts = std::clamp<Index>((rows + kRowsPerPart - 1) / kRowsPerPart, 1, kMaxParts);
    parts = std::max<Index>(1, std::min(parts, kMaxBytes / std::max<Index>(1, 40 * cols)));
    const Index per = (rows + parts - 1) / parts;
    const std::vector<double> zero(d, 0.0);
    std::vector<Part> partial(static_cast<std::size_t>(parts), Part{shift, shift, zero, zero, zero});
    parallel_for(parts, [&](Index p) {
        Part& t = partial[static_cast<std::size_t>(p)];
        for (Index i = p * per; i < std::min(rows, (p + 1) * per); ++i)
            accumulate_row(d, row(i), shift.data(), t.lo.data(), t.hi.data(), t.s1.data(), t.s2.data(), t.bad.data());
    });
    s.min = shift;
    s.max = shift;
    std::vector<double> s1(d, 0.0), s2(d, 0.0);
    for (const Part& t : partial)
        for (std::size_t j = 0; j < d; ++j) {
            s.min[j] = std::min(s.min[j], t.lo[j]);
            s.max[j] = std::max(s.max[j], t.hi[j]);
            s1[j] += t.s1[j];
            s2[j] += t.s2[j];
            s.finite = s.finite && t.bad[j] == 0.0;
        }
    s.mean.resize(d);
    s.std.resize(d);
    const auto n = static_cast<double>(rows);
    for (std::size_t j = 0; j < d; ++j) {
        const double m1 = s1[j] / n;
        s.mean[j] = shift[j] + m1;
        s.std[j] = std::sqrt(std::max(0.0, s2[j] / n - m1 * m1));
    }
    return s;
}

}  // namespace plexus
