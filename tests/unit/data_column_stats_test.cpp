// column_stats: per-column min, max, mean and population std of a row-major matrix's rows
// (all, listed by index, or with a wider row stride), with a finiteness flag; the same
// numbers with any thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "plexus/core/parallel.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/data/column_stats.hpp"

namespace plexus {
namespace {

// The plain two-pass definition, in double.
void expect_matches(const ColumnStats& s, const Matrix& x) {
    ASSERT_EQ(s.min.size(), static_cast<std::size_t>(x.cols()));
    for (Index j = 0; j < x.cols(); ++j) {
        const auto c = x.col(j).cast<double>();
        const double mean = c.mean();
        const double sd = std::sqrt((c.array() - mean).square().mean());
        const auto u = static_cast<std::size_t>(j);
        EXPECT_EQ(s.min[u], c.minCoeff());
        EXPECT_EQ(s.max[u], c.maxCoeff());
        EXPECT_NEAR(s.mean[u], mean, 1e-9 * std::max(1.0, std::abs(mean)));
        EXPECT_NEAR(s.std[u], sd, 1e-9 * std::max(1.0, sd));
    }
}

TEST(ColumnStats, AllRowsIndexedRowsAndStrideAgreeWithTheDefinition) {
    Rng rng(3);
    Matrix x(20000, 5);  // 3 parts of rows; column 4 has a large mean against its spread
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index j = 0; j < 4; ++j) x(i, j) = static_cast<Scalar>(static_cast<double>(j) + rng.normal());
        x(i, 4) = static_cast<Scalar>(1e4 + 0.25 * rng.normal());
    }
    const ColumnStats all = column_stats(x.data(), x.cols(), x.rows());
    EXPECT_TRUE(all.finite);
    expect_matches(all, x);

    RowList rows;
    for (Index i = x.rows() - 1; i >= 0; i -= 7) rows.push_back(i);
    Matrix picked(static_cast<Index>(rows.size()), x.cols());
    for (std::size_t k = 0; k < rows.size(); ++k) picked.row(static_cast<Index>(k)) = x.row(rows[k]);
    expect_matches(column_stats(x.data(), x.cols(), static_cast<Index>(rows.size()), rows.data()), picked);

    // The first 3 columns of x, read with x's row stride.
    expect_matches(column_stats(x.data(), 3, x.rows(), nullptr, x.cols()), x.leftCols(3));

    const int before = num_threads();
    set_num_threads(1);
    const ColumnStats one = column_stats(x.data(), x.cols(), x.rows());
    set_num_threads(2);
    const ColumnStats two = column_stats(x.data(), x.cols(), x.rows());
    set_num_threads(before);
    EXPECT_EQ(one.mean, two.mean);
    EXPECT_EQ(one.std, two.std);
}

TEST(ColumnStats, NaNOrInfClearsFiniteAndNoRowsGiveNothing) {
    Matrix x = Matrix::Ones(10, 3);
    x(6, 1) = std::numeric_limits<Scalar>::infinity();
    EXPECT_FALSE(column_stats(x.data(), 3, 10).finite);
    x(6, 1) = std::numeric_limits<Scalar>::quiet_NaN();
    EXPECT_FALSE(column_stats(x.data(), 3, 10).finite);
    const RowList other = {0, 5, 9};  // the NaN is not in these rows
    const ColumnStats s = column_stats(x.data(), 3, 3, other.data());
    EXPECT_TRUE(s.finite);
    EXPECT_EQ(s.std, std::vector<double>(3, 0.0));  // constant columns: exactly 0
    const ColumnStats none = column_stats(x.data(), 3, 0);
    EXPECT_TRUE(none.finite && none.min.empty() && none.mean.empty());
}

}  // namespace
}  // namespace plexus
