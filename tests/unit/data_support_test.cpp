// Training support (range + nearest-neighbour test) and the Standardizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "plexus/core/error.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/data/support.hpp"

namespace plexus {
namespace {

RowVector row2(double a, double b) {
    RowVector r(2);
    r << static_cast<Scalar>(a), static_cast<Scalar>(b);
    return r;
}

// The seed problem's tail: Keras's validation_split=0.2 keeps the first 409 rows
// for training, so the last 103 rows (the right end of the lower curve) were
// never seen. The support must say so.
TEST(DataSupport, SeedSplitTailIsOutsideSupport) {
    const Dataset d = make_dataset("seed-curves");
    const Matrix train = d.x.topRows(409);
    const Matrix tail = d.x.bottomRows(103);
    const Support s = Support::fit(train);

    EXPECT_EQ(s.fraction_outside(train), 0.0);
    for (Index i = 0; i < train.rows(); ++i) {
        ASSERT_TRUE(s.contains(train.row(i))) << "training row " << i;
        ASSERT_EQ(s.nearest_distance(train.row(i)), 0.0) << "training row " << i;
    }
    // The tail lies inside the per-feature ranges: only the neighbour test catches it.
    for (Index i = 0; i < tail.rows(); ++i) ASSERT_TRUE(s.in_range(tail.row(i))) << "tail row " << i;
    const double outside = s.fraction_outside(tail);
    EXPECT_GT(outside, 0.8);
    EXPECT_LT(outside, 1.0);  // the rows right next to the training part are still inside
    EXPECT_FALSE(s.contains(tail.row(tail.rows() - 1)));
    EXPECT_TRUE(s.contains(tail.row(0)));
    EXPECT_EQ(s.outside_range_counts(tail), (std::vector<Index>{0, 0}));
}

TEST(DataSupport, RangeAndDistances) {
    Matrix x(4, 2);
    x << 0, 0, 2, 0, 0, 4, 2, 4;  // std: 1 and 2
    const Support s = Support::fit(x);
    EXPECT_EQ(s.features(), 2);
    EXPECT_EQ(s.min(), row2(0, 0));
    EXPECT_EQ(s.max(), row2(2, 4));
    EXPECT_EQ(s.scale(), row2(1, 2));

    // Standardised distance from (1, 0) to (0, 0) or (2, 0): 1.
    EXPECT_NEAR(s.nearest_distance(row2(1, 0)), 1.0, 1e-12);
    // From (1, 2): dx = 1, dy = 2/2 = 1 -> sqrt(2).
    EXPECT_NEAR(s.nearest_distance(row2(1, 2)), std::sqrt(2.0), 1e-12);
    const std::vector<double> many = s.nearest_distances(x);
    for (double v : many) EXPECT_EQ(v, 0.0);

    // Nearest-neighbour distances are all 2 (standardised): radius = 3 * 2.
    EXPECT_NEAR(s.radius(), 6.0, 1e-12);

    // Range margin: 5% of the range on each side.
    EXPECT_TRUE(s.in_range(row2(-0.09, 4.19)));
    EXPECT_FALSE(s.in_range(row2(-0.11, 2)));
    EXPECT_FALSE(s.in_range(row2(1, 4.21)));
    EXPECT_FALSE(s.contains(row2(1, 4.21)));
    EXPECT_FALSE(s.in_range(row2(std::nan(""), 1)));

    Matrix probe(3, 2);
    probe << -1, 1, 1, 1, 5, 9;
    EXPECT_EQ(s.outside_range_counts(probe), (std::vector<Index>{2, 1}));
    EXPECT_NEAR(s.fraction_outside(probe), 2.0 / 3.0, 1e-12);
    EXPECT_EQ(s.contains_rows(probe), (std::vector<bool>{false, true, false}));
    EXPECT_EQ(s.fraction_outside(Matrix(0, 2)), 0.0);
}

TEST(DataSupport, RadiusFloorAndConstantFeature) {
    Matrix x(50, 2);
    for (Index i = 0; i < 50; ++i) x.row(i) = row2(i * 0.001, 3.0);  // dense line, constant y
    const Support s = Support::fit(x);
    EXPECT_EQ(s.scale()(1), Scalar(1));  // std 0 -> 1
    EXPECT_NEAR(s.radius(), 0.25 * std::sqrt(2.0), 1e-12);
    EXPECT_TRUE(s.contains(x.row(10)));
    EXPECT_FALSE(s.in_range(row2(0.01, 3.001)));  // a constant feature has no margin

    const Support single = Support::fit(row2(1, 2));
    EXPECT_NEAR(single.radius(), 0.25 * std::sqrt(2.0), 1e-12);
    EXPECT_TRUE(single.contains(row2(1, 2)));
}

TEST(DataSupport, LargeTrainingSetUsesEvenStride) {
    Rng rng(11);
    Matrix x(5001, 3);
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index j = 0; j < 3; ++j) x(i, j) = static_cast<Scalar>(rng.normal());
    }
    const Support a = Support::fit(x);
    const Support b = Support::fit(x);
    EXPECT_EQ(a.index_rows(), Support::kMaxIndexRows);
    EXPECT_EQ(a.radius(), b.radius());
    EXPECT_EQ(a.nearest_distance(x.row(0)), 0.0);     // row 0 is indexed
    EXPECT_EQ(a.nearest_distance(x.row(5)), 0.0);     // floor(2 * 5001 / 2000) = 5
    EXPECT_GT(a.nearest_distance(x.row(1)), 0.0);     // row 1 is not
    EXPECT_LT(a.fraction_outside(x), 0.05);           // but the training set is covered
    Matrix far(1, 3);
    far << 0, 0, 40;
    EXPECT_EQ(a.fraction_outside(far), 1.0);
}

// With up to kSweepMaxFeatures features the neighbour search is a sweep along one feature;
// it must find what comparing every pair finds, on rows with ties in the swept feature,
// duplicate rows and a constant feature.
TEST(DataSupport, SweepFindsTheSameNeighboursAsEveryPair) {
    Rng rng(5);
    for (Index d = 1; d <= Support::kSweepMaxFeatures + 1; ++d) {
        for (const bool awkward : {false, true}) {
            Matrix x(700, d), q(300, d);
            for (Index i = 0; i < x.rows(); ++i)
                for (Index j = 0; j < d; ++j) x(i, j) = static_cast<Scalar>(rng.normal());
            for (Index i = 0; i < q.rows(); ++i)
                for (Index j = 0; j < d; ++j) q(i, j) = static_cast<Scalar>(1.5 * rng.normal());
            if (awkward) {
                for (Index i = 0; i < x.rows(); ++i) x(i, 0) = std::round(x(i, 0) * 4) / 4;  // ties in one feature
                for (Index i = 0; i < 50; ++i) x.row(600 + i) = x.row(i);                    // duplicate rows
                if (d > 1) x.col(d - 1).setConstant(2);                                       // a constant feature
                q.topRows(20) = x.topRows(20);
            }
            const Support s = Support::fit(x);
            const auto scaled = [&](const Matrix& m) {
                Eigen::MatrixXd out = m.cast<double>();
                for (Index j = 0; j < d; ++j) out.col(j) /= static_cast<double>(s.scale()(j));
                return out;
            };
            const Eigen::MatrixXd xs = scaled(x), qs = scaled(q);
            const auto nearest = [&](const Eigen::RowVectorXd& row, Index skip) {
                double best = std::numeric_limits<double>::infinity();
                for (Index i = 0; i < xs.rows(); ++i)
                    if (i != skip) best = std::min(best, (xs.row(i) - row).squaredNorm());
                return std::sqrt(best);
            };
            const std::vector<double> found = s.nearest_distances(q);
            for (Index i = 0; i < q.rows(); ++i)
                ASSERT_NEAR(found[static_cast<std::size_t>(i)], nearest(qs.row(i), -1), 1e-6) << "d " << d << " query " << i;
            // The radius comes from every indexed row's nearest other row.
            std::vector<double> nn;
            for (Index i = 0; i < xs.rows(); ++i) nn.push_back(nearest(xs.row(i), i));
            std::sort(nn.begin(), nn.end());
            const double pos = Support::kRadiusQuantile * static_cast<double>(nn.size() - 1);
            const auto lo = static_cast<std::size_t>(pos);
            const double quantile = nn[lo] + (nn[lo + 1] - nn[lo]) * (pos - static_cast<double>(lo));
            const double expected = std::max(Support::kRadiusFactor * quantile,
                                             Support::kMinRadiusPerSqrtFeature * std::sqrt(static_cast<double>(d)));
            EXPECT_NEAR(s.radius(), expected, 1e-6) << "d " << d;
            // contains_rows stops its sweep at the radius (and at the first row within it): it
            // must agree with the nearest distance, also for queries about the radius away from
            // a row (either side of it, and right on it up to rounding).
            Matrix edge(3 * 40, d);
            for (Index i = 0; i < 40; ++i)
                for (int k = 0; k < 3; ++k) {
                    edge.row(3 * i + k) = x.row(i * 7);
                    edge(3 * i + k, 0) += static_cast<Scalar>(s.radius() * (1.0 + (k - 1) * 1e-6) * static_cast<double>(s.scale()(0)));
                }
            for (const Matrix* m : {&q, &edge}) {
                const std::vector<bool> inside = s.contains_rows(*m);
                const std::vector<double> dist = s.nearest_distances(*m);
                for (Index i = 0; i < m->rows(); ++i)
                    ASSERT_EQ(inside[static_cast<std::size_t>(i)], s.in_range(m->row(i)) && dist[static_cast<std::size_t>(i)] <= s.radius())
                        << "d " << d << " row " << i;
            }
        }
    }
}

TEST(DataSupport, Errors) {
    EXPECT_THROW(Support::fit(Matrix(0, 2)), DataError);
    Matrix bad(2, 2);
    bad << 1, 2, std::nan(""), 3;
    EXPECT_THROW(Support::fit(bad), DataError);

    Matrix x(3, 2);
    x << 0, 0, 1, 1, 2, 0;
    const Support s = Support::fit(x);
    RowVector three(3);
    three << 1, 2, 3;
    try {
        s.nearest_distance(three);
        FAIL() << "expected ShapeError";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("expected rows with 2 features, received 3"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(s.fraction_outside(Matrix(4, 3)), ShapeError);
    EXPECT_THROW(Support().contains(row2(0, 0)), ConfigError);
}

TEST(DataScaling, StandardizerFitsTransformsAndInverts) {
    Matrix x(4, 3);
    x << 1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5;
    Standardizer s;
    EXPECT_FALSE(s.fitted());
    const Matrix z = s.fit_transform(x);
    EXPECT_TRUE(s.fitted());
    EXPECT_NEAR(s.mean(0), 2.5, 1e-6);
    EXPECT_NEAR(s.mean(1), 25.0, 1e-5);
    EXPECT_NEAR(s.scale(0), std::sqrt(1.25), 1e-6);  // population std
    EXPECT_EQ(s.scale(2), Scalar(1));                // constant column
    for (Index j = 0; j < 2; ++j) {
        EXPECT_NEAR(z.col(j).cast<double>().mean(), 0.0, 1e-6);
        EXPECT_NEAR(z.col(j).cast<double>().squaredNorm() / 4.0, 1.0, 1e-5);
    }
    EXPECT_TRUE(z.col(2).isZero());
    EXPECT_TRUE(s.inverse_transform(z).isApprox(x, 1e-5f));

    EXPECT_THROW(s.transform(Matrix(2, 2)), ShapeError);
    EXPECT_THROW(Standardizer().transform(x), ConfigError);
    EXPECT_THROW(Standardizer().fit(Matrix(0, 3)), DataError);
}

}  // namespace
}  // namespace plexus
