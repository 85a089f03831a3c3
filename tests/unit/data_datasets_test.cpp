// Built-in datasets: exact seed-curves values, determinism, class order, shapes
// and the option errors.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>

#include "plexus/core/error.hpp"
#include "plexus/data/datasets.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

template <typename F>
std::string error_of(F&& f) {
    return testing::error_of<Error>(std::forward<F>(f));
}

bool identical(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::equal(a.data(), a.data() + a.size(), b.data());
}

TEST(DataDatasets, SeedCurvesExactValues) {
    const Dataset d = make_dataset("seed-curves");
    ASSERT_EQ(d.rows(), 512);
    ASSERT_EQ(d.features(), 2);
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(d.target_name, "label");
    EXPECT_EQ(d.source, "seed-curves");

    EXPECT_EQ(d.x(0, 0), Scalar(0));
    EXPECT_EQ(d.x(0, 1), static_cast<Scalar>(1.8));
    EXPECT_EQ(d.x(256, 0), Scalar(0));
    EXPECT_EQ(d.x(256, 1), static_cast<Scalar>(1.0 - 0.8));  // 0.19999999999999996 in double
    EXPECT_NEAR(d.x(256, 1), 0.2, 1e-7);
    EXPECT_EQ(d.x(255, 0), static_cast<Scalar>(2 * std::numbers::pi));
    EXPECT_EQ(d.x(511, 0), static_cast<Scalar>(2 * std::numbers::pi));
    EXPECT_NEAR(d.x(255, 1), std::cos(1.2 * 2 * std::numbers::pi) + 0.8, 1e-6);

    // numpy.linspace(0, 2pi, 256) then cos(1.2x) +- 0.8 in double, then cast.
    const double step = 2 * std::numbers::pi / 255;
    for (int i = 0; i < 255; ++i) {
        const double x = i * step;
        ASSERT_EQ(d.x(i, 0), static_cast<Scalar>(x)) << "row " << i;
        ASSERT_EQ(d.x(i, 1), static_cast<Scalar>(std::cos(1.2 * x) + 0.8)) << "row " << i;
        ASSERT_EQ(d.x(256 + i, 0), static_cast<Scalar>(x)) << "row " << 256 + i;
        ASSERT_EQ(d.x(256 + i, 1), static_cast<Scalar>(std::cos(1.2 * x) - 0.8)) << "row " << 256 + i;
    }
    for (Index i = 0; i < 512; ++i) ASSERT_EQ(d.label(i), i < 256 ? 0 : 1) << "row " << i;
}

TEST(DataDatasets, SeedCurvesSamplesAndNoise) {
    const Dataset small = make_dataset("seed-curves", {.samples = 10});
    ASSERT_EQ(small.rows(), 10);
    EXPECT_EQ(small.x(4, 0), static_cast<Scalar>(2 * std::numbers::pi));
    EXPECT_EQ(small.x(5, 0), Scalar(0));

    const Dataset clean = make_dataset("seed-curves");
    const Dataset noisy = make_dataset("seed-curves", {.noise = 0.1, .seed = 7});
    EXPECT_TRUE(identical(clean.x.col(0), noisy.x.col(0)));  // noise goes to y only
    EXPECT_FALSE(identical(clean.x.col(1), noisy.x.col(1)));
    const double spread = (noisy.x.col(1) - clean.x.col(1)).cast<double>().norm() / std::sqrt(512.0);
    EXPECT_NEAR(spread, 0.1, 0.02);
    EXPECT_TRUE(identical(noisy.x, make_dataset("seed-curves", {.noise = 0.1, .seed = 7}).x));
    EXPECT_FALSE(identical(noisy.x, make_dataset("seed-curves", {.noise = 0.1, .seed = 8}).x));
}

TEST(DataDatasets, ListMatchesDefaults) {
    const auto infos = list_datasets();
    ASSERT_EQ(infos.size(), 8u);
    EXPECT_EQ(infos.front().name, "seed-curves");
    std::set<std::string> names;
    for (const auto& info : infos) {
        names.insert(info.name);
        SCOPED_TRACE(info.name);
        EXPECT_FALSE(info.description.empty());
        const Dataset d = make_dataset(info.name);
        EXPECT_EQ(d.rows(), info.default_samples);
        EXPECT_EQ(d.features(), 2);
        EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x", "y"}));
        EXPECT_EQ(d.y.rows(), d.rows());
        EXPECT_EQ(d.y.cols(), 1);
        EXPECT_TRUE(d.x.allFinite());
        EXPECT_EQ(d.source, info.name);
        if (info.task == "classification") {
            EXPECT_EQ(d.num_classes(), info.default_classes);
            EXPECT_EQ(d.target_name, "label");
        } else {
            EXPECT_EQ(info.task, "regression");
            EXPECT_TRUE(d.class_names.empty());
            EXPECT_EQ(d.target_name, "target");
        }
    }
    EXPECT_EQ(names, (std::set<std::string>{"seed-curves", "moons", "circles", "spirals", "xor", "gaussians", "linear",
                                            "regression-2d"}));
}

TEST(DataDatasets, DeterministicAndSeedDependent) {
    for (const auto& info : list_datasets()) {
        SCOPED_TRACE(info.name);
        const DatasetOptions options{.noise = 0.2, .seed = 42};
        const Dataset a = make_dataset(info.name, options);
        const Dataset b = make_dataset(info.name, options);
        EXPECT_TRUE(identical(a.x, b.x));
        EXPECT_TRUE(identical(a.y, b.y));
        const Dataset c = make_dataset(info.name, {.noise = 0.2, .seed = 43});
        EXPECT_FALSE(identical(a.x, c.x));
    }
}

TEST(DataDatasets, RowsGroupedByClassInOrder) {
    for (const auto& info : list_datasets()) {
        if (info.task != "classification") continue;
        SCOPED_TRACE(info.name);
        const Dataset d = make_dataset(info.name, {.samples = 101});
        ASSERT_EQ(d.rows(), 101);
        const int k = static_cast<int>(d.num_classes());
        std::vector<Index> counts(static_cast<std::size_t>(k), 0);
        for (Index i = 0; i < d.rows(); ++i) {
            if (i > 0) {
                ASSERT_GE(d.label(i), d.label(i - 1)) << "row " << i;
            }
            ASSERT_GE(d.label(i), 0);
            ASSERT_LT(d.label(i), k);
            ++counts[static_cast<std::size_t>(d.label(i))];
        }
        for (int c = 0; c < k; ++c) {
            EXPECT_EQ(d.class_names[static_cast<std::size_t>(c)], std::to_string(c));
            EXPECT_EQ(counts[static_cast<std::size_t>(c)], (c + 1) * 101 / k - c * 101 / k);
        }
    }
}

TEST(DataDatasets, MoonsAndCirclesGeometry) {
    const Dataset moons = make_dataset("moons", {.samples = 100, .noise = 0.0});
    // sklearn make_moons without noise: outer moon from (1, 0) to (-1, 0), inner from (0, 0.5) to (2, 0.5).
    EXPECT_FLOAT_EQ(moons.x(0, 0), 1.0f);
    EXPECT_NEAR(moons.x(0, 1), 0.0, 1e-7);
    EXPECT_FLOAT_EQ(moons.x(49, 0), -1.0f);
    EXPECT_NEAR(moons.x(50, 0), 0.0, 1e-7);
    EXPECT_FLOAT_EQ(moons.x(50, 1), 0.5f);
    EXPECT_FLOAT_EQ(moons.x(99, 0), 2.0f);

    const Dataset circles = make_dataset("circles", {.samples = 100, .noise = 0.0});
    for (Index i = 0; i < 100; ++i) {
        const double r = circles.x.row(i).cast<double>().norm();
        EXPECT_NEAR(r, i < 50 ? 1.0 : 0.5, 1e-6) << "row " << i;
    }
    EXPECT_FLOAT_EQ(circles.x(0, 0), 1.0f);  // endpoint=False: starts at angle 0
}

TEST(DataDatasets, XorHasMarginAndConsistentLabels) {
    const Dataset d = make_dataset("xor", {.samples = 1000, .seed = 3});
    for (Index i = 0; i < d.rows(); ++i) {
        const double x = d.x(i, 0), y = d.x(i, 1);
        ASSERT_GE(std::abs(x), 0.05);
        ASSERT_GE(std::abs(y), 0.05);
        ASSERT_LE(std::abs(x), 1.0);
        ASSERT_LE(std::abs(y), 1.0);
        ASSERT_EQ(d.label(i), (x < 0) != (y < 0) ? 1 : 0) << "row " << i;
    }
}

TEST(DataDatasets, LinearSeparatedWithoutNoise) {
    const Dataset d = make_dataset("linear", {.noise = 0.0, .seed = 5});
    for (Index i = 0; i < d.rows(); ++i) {
        const double above = d.x(i, 1) - 0.5 * d.x(i, 0);
        ASSERT_EQ(d.label(i), above > 0 ? 1 : 0) << "row " << i;
    }
}

TEST(DataDatasets, SpiralArmsAreSeparated) {
    const Dataset d = make_dataset("spirals", {.noise = 0.0, .classes = 3});
    ASSERT_EQ(d.num_classes(), 3);
    double closest = 1e9;
    for (Index i = 0; i < d.rows(); ++i) {
        for (Index j = i + 1; j < d.rows(); ++j) {
            if (d.label(i) != d.label(j)) closest = std::min(closest, (d.x.row(i) - d.x.row(j)).cast<double>().norm());
        }
    }
    EXPECT_GT(closest, 0.5);  // learnable: arms never come close
    for (Index i = 0; i < d.rows(); ++i) {
        const double r = d.x.row(i).cast<double>().norm();
        ASSERT_GE(r, 0.5 - 1e-6);
        ASSERT_LE(r, 3.0 + 1e-6);
    }
}

TEST(DataDatasets, GaussianBlobsAroundRing) {
    const Dataset d = make_dataset("gaussians", {.samples = 3000, .seed = 1, .classes = 4});
    ASSERT_EQ(d.num_classes(), 4);
    for (int c = 0; c < 4; ++c) {
        Eigen::RowVector2d mean = Eigen::RowVector2d::Zero();
        int n = 0;
        for (Index i = 0; i < d.rows(); ++i) {
            if (d.label(i) == c) {
                mean += d.x.row(i).cast<double>();
                ++n;
            }
        }
        mean /= n;
        const double angle = 2 * std::numbers::pi * c / 4;
        EXPECT_NEAR(mean(0), 3 * std::cos(angle), 0.1) << "class " << c;
        EXPECT_NEAR(mean(1), 3 * std::sin(angle), 0.1) << "class " << c;
    }
}

TEST(DataDatasets, RegressionTargetIsSinCos) {
    const Dataset d = make_dataset("regression-2d", {.samples = 200, .noise = 0.0, .seed = 9});
    ASSERT_EQ(d.rows(), 200);
    for (Index i = 0; i < d.rows(); ++i) {
        const double x = d.x(i, 0), y = d.x(i, 1);
        ASSERT_LE(std::abs(x), 3.0);
        ASSERT_LE(std::abs(y), 3.0);
        ASSERT_NEAR(d.y(i, 0), std::sin(x) * std::cos(y), 1e-5);
    }
}

TEST(DataDatasets, Errors) {
    const std::string unknown = error_of([] { make_dataset("moon"); });
    EXPECT_NE(unknown.find("unknown dataset 'moon'"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("seed-curves, moons, circles"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("did you mean 'moons'"), std::string::npos) << unknown;
    EXPECT_THROW(make_dataset("nope"), ConfigError);

    const std::string few = error_of([] { make_dataset("moons", {.samples = 3}); });
    EXPECT_NE(few.find("samples = 3"), std::string::npos) << few;
    EXPECT_NE(few.find("at least 4"), std::string::npos) << few;
    EXPECT_THROW(make_dataset("spirals", {.samples = 5, .classes = 3}), ConfigError);
    EXPECT_NO_THROW(make_dataset("spirals", {.samples = 6, .classes = 3}));
    EXPECT_THROW(make_dataset("regression-2d", {.samples = 1}), ConfigError);
    EXPECT_NO_THROW(make_dataset("regression-2d", {.samples = 2}));

    const std::string noise = error_of([] { make_dataset("moons", {.noise = -0.1}); });
    EXPECT_NE(noise.find("option noise = -0.1 is invalid"), std::string::npos) << noise;
    EXPECT_THROW(make_dataset("moons", {.noise = -0.1}), ConfigError);
    EXPECT_THROW(make_dataset("moons", {.noise = std::nan("")}), ConfigError);

    const std::string classes = error_of([] { make_dataset("spirals", {.classes = 1}); });
    EXPECT_NE(classes.find("classes = 1"), std::string::npos) << classes;
    EXPECT_THROW(make_dataset("gaussians", {.classes = 1}), ConfigError);
    const std::string fixed = error_of([] { make_dataset("moons", {.classes = 3}); });
    EXPECT_NE(fixed.find("spirals"), std::string::npos) << fixed;
    EXPECT_THROW(make_dataset("moons", {.classes = 3}), ConfigError);
}

}  // namespace
}  // namespace plexus
