// SupportSummary: a support check from ranges and k-means centroids of >= 20 rows,
// whose serialised bytes hold no training row (issue 16, privacy).
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "plexus/core/error.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/support_summary.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

using testing::error_of;

// 300 patients: age (18-90, one decimal), salary (normal, cents), patient_id 1..300.
Matrix patients() {
    Rng rng(5);
    Matrix x(300, 3);
    for (Index i = 0; i < 300; ++i) {
        x(i, 0) = static_cast<Scalar>(std::round((18 + 72 * rng.uniform()) * 10) / 10);
        x(i, 1) = static_cast<Scalar>(std::round((50000 + 15000 * rng.normal()) * 100) / 100);
        x(i, 2) = static_cast<Scalar>(i + 1);
    }
    return x;
}

template <typename T>
bool bytes_contain(const std::string& haystack, const T* values, std::size_t n) {
    return haystack.find(std::string(reinterpret_cast<const char*>(values), n * sizeof(T))) != std::string::npos;
}

TEST(SupportSummary, NoTrainingRowIsInTheBytes) {
    const Matrix x = patients();
    const auto summary = SupportSummary::fit(x, {.seed = 1});
    const std::string bytes = summary.serialize();
    ASSERT_GT(summary.clusters(), 1);
    for (Index i = 0; i < x.rows(); ++i) {
        const float f[3] = {static_cast<float>(x(i, 0)), static_cast<float>(x(i, 1)), static_cast<float>(x(i, 2))};
        const double d[3] = {f[0], f[1], f[2]};
        EXPECT_FALSE(bytes_contain(bytes, f, 3)) << "row " << i << " as float32";
        EXPECT_FALSE(bytes_contain(bytes, d, 3)) << "row " << i << " as float64";
        // Not even one age or salary value, in either precision or as decimal text.
        for (int j = 0; j < 2; ++j) {
            EXPECT_FALSE(bytes_contain(bytes, &f[j], 1)) << "row " << i << " column " << j;
            EXPECT_FALSE(bytes_contain(bytes, &d[j], 1)) << "row " << i << " column " << j;
            char text[64];
            std::snprintf(text, sizeof text, "%g", d[j]);
            if (std::strlen(text) >= 5) {  // shorter ones occur by chance
                EXPECT_EQ(bytes.find(text), std::string::npos) << text;
            }
        }
    }
    for (const auto rows : summary.cluster_rows()) EXPECT_GE(rows, 20u);
    EXPECT_LT(bytes.size(), 2000u);  // compact: 13 + 4 (3F + KF + 2K) bytes
}

TEST(SupportSummary, AcceptsTrainingRowsAndFlagsFarPoints) {
    // Two tight blobs at (0, 0) and (10, 10): (0, 10) is inside both ranges but far from the data.
    Rng rng(3);
    Matrix x(400, 2);
    for (Index i = 0; i < 400; ++i) {
        const double c = i < 200 ? 0.0 : 10.0;
        x(i, 0) = static_cast<Scalar>(c + 0.3 * rng.normal());
        x(i, 1) = static_cast<Scalar>(c + 0.3 * rng.normal());
    }
    const auto summary = SupportSummary::from_base64(SupportSummary::fit(x, {.seed = 9}).to_base64());
    const auto inside = summary.contains_rows(x);
    EXPECT_EQ(std::count(inside.begin(), inside.end(), true), 400);
    Matrix probes(4, 2);
    probes << 0, 10, 10, 0, 5, 5, 100, 100;
    EXPECT_EQ(summary.contains_rows(probes), (std::vector<bool>{false, false, false, false}));
    Matrix near(2, 2);
    near << 0.1f, -0.2f, 9.8f, 10.1f;
    EXPECT_EQ(summary.contains_rows(near), (std::vector<bool>{true, true}));
    EXPECT_DOUBLE_EQ(summary.fraction_outside(probes), 1.0);
    const auto all = SupportSummary::fit(patients());
    EXPECT_EQ(all.fraction_outside(patients()), 0.0);
}

// Enough rows for the passes over the data to be cut into several parts (2048 rows
// each): the bytes must not depend on how many threads ran them, every training row
// must be inside, and a point off the data is outside.
TEST(SupportSummary, SameBytesWithAnyThreadCountOnManyRows) {
    Rng rng(8);
    Matrix x(20000, 6);
    for (Index i = 0; i < x.rows(); ++i) {
        const double centre = static_cast<double>(i % 5) * 4.0;
        for (Index j = 0; j < 5; ++j) x(i, j) = static_cast<Scalar>(centre + rng.normal());
        x(i, 5) = static_cast<Scalar>(1e4 + 0.5 * rng.normal());  // mean 1e4, spread 0.5
    }
    const int before = num_threads();
    set_num_threads(1);
    const std::string one = SupportSummary::fit(x, {.seed = 2}).serialize();
    set_num_threads(2);
    const std::string two = SupportSummary::fit(x, {.seed = 2}).serialize();
    set_num_threads(before);
    EXPECT_EQ(one, two);
    const auto summary = SupportSummary::deserialize(two);
    EXPECT_EQ(summary.fraction_outside(x), 0.0);
    EXPECT_GE(summary.clusters(), 5);
    Matrix far = x.topRows(1);
    far(0, 5) += 50;  // 100 spreads away in the last column only
    EXPECT_FALSE(summary.contains(far.row(0)));
}

// The rows of a split summarised in place (`plexus train` does this: no copy of the
// training rows) give the bytes of the summary of their copy, in any thread count.
TEST(SupportSummary, RowsReadInPlaceGiveTheBytesOfTheirCopy) {
    Rng rng(11);
    Matrix x(9000, 4);
    for (Index i = 0; i < x.rows(); ++i)
        for (Index j = 0; j < x.cols(); ++j) x(i, j) = static_cast<Scalar>(static_cast<double>(i % 3) * 5.0 + rng.normal());
    RowList rows;
    for (Index i = x.rows() - 1; i >= 0; i -= 3) rows.push_back(i);  // every third row, backwards
    rows.push_back(7);                                                 // and one twice
    Matrix copy(static_cast<Index>(rows.size()), x.cols());
    for (std::size_t k = 0; k < rows.size(); ++k) copy.row(static_cast<Index>(k)) = x.row(rows[k]);
    const int before = num_threads();
    for (const int threads : {1, 2}) {
        set_num_threads(threads);
        EXPECT_EQ(SupportSummary::fit(x, rows, {.seed = 3}).serialize(), SupportSummary::fit(copy, {.seed = 3}).serialize());
    }
    set_num_threads(before);
    // One row out of 3: a summary of 1 row keeps only the ranges; a row outside x is refused.
    EXPECT_EQ(SupportSummary::fit(x, RowList{5}, {}).clusters(), 0);
    EXPECT_CONTAINS(error_of<ShapeError>([&] { SupportSummary::fit(x, RowList{0, 9000}, {}); }), "row 9000 is outside");
    EXPECT_CONTAINS(error_of<DataError>([&] { SupportSummary::fit(x, RowList{}, {}); }), "no rows");
    Matrix bad = x;
    bad(4, 2) = std::numeric_limits<Scalar>::quiet_NaN();
    EXPECT_CONTAINS(error_of<DataError>([&] { SupportSummary::fit(bad, RowList{1, 4}, {}); }), "NaN or Inf");
    EXPECT_NO_THROW(SupportSummary::fit(bad, RowList{1, 5}, {}));  // the NaN is not in the rows
}

TEST(SupportSummary, DeterministicAndFewRowsKeepOnlyRanges) {
    EXPECT_EQ(SupportSummary::fit(patients(), {.seed = 4}).serialize(), SupportSummary::fit(patients(), {.seed = 4}).serialize());
    const Matrix few = patients().topRows(19);
    const auto summary = SupportSummary::fit(few);
    EXPECT_EQ(summary.clusters(), 0);
    for (Index j = 0; j < 3; ++j) {  // ranges rounded outward, never a training value
        EXPECT_LT(summary.min()[static_cast<std::size_t>(j)], few.col(j).minCoeff());
        EXPECT_GT(summary.max()[static_cast<std::size_t>(j)], few.col(j).maxCoeff());
    }
    EXPECT_TRUE(summary.contains(few.row(3)));
    EXPECT_CONTAINS(error_of<ShapeError>([&] { summary.contains(RowVector::Zero(2)); }), "expected rows of 3 features");
    EXPECT_CONTAINS(error_of<DataError>([] { SupportSummary::fit(Matrix(0, 2)); }), "no rows");
    EXPECT_CONTAINS(error_of<ConfigError>([] { SupportSummary::fit(patients(), {.min_cluster_rows = 5}); }), "min_cluster_rows >= 20");
}

TEST(SupportSummary, HostileBytesAreDataErrors) {
    const std::string good = SupportSummary::fit(patients()).serialize();
    for (std::size_t n = 0; n < good.size(); ++n)
        EXPECT_EQ(error_of<DataError>([&] { SupportSummary::deserialize(good.substr(0, n)); }).find("<"), std::string::npos) << n;
    std::string huge = good;
    const std::uint32_t big = 0xFFFFFFFFu;
    std::memcpy(huge.data() + 9, &big, 4);
    EXPECT_CONTAINS(error_of<DataError>([&] { SupportSummary::deserialize(huge); }), "sizes out of range");
    std::string nan = good;
    const float q = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(nan.data() + 13, &q, 4);
    EXPECT_CONTAINS(error_of<DataError>([&] { SupportSummary::deserialize(nan); }), "feature 0 has an invalid range");
    EXPECT_CONTAINS(error_of<DataError>([] { SupportSummary::from_base64("@@@@"); }), "base64: invalid character at offset 0");
}

TEST(Base64, Rfc4648Vectors) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : cases) {
        EXPECT_EQ(base64_encode(plain), encoded);
        EXPECT_EQ(base64_decode(encoded), plain);
    }
    EXPECT_THROW(base64_decode("Zg="), DataError);
    EXPECT_THROW(base64_decode("Z=g="), DataError);
    EXPECT_THROW(base64_decode("Zg==Zg=="), DataError);
}

}  // namespace
}  // namespace plexus
