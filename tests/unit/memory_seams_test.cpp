// The seams that keep a large fit's memory to one copy of everything (issue 11): a split
// planned once and moved into fit, labels read from y on demand, supports and baselines
// on rows read in place, duplicates found against the smaller part, files streamed.
// Each is checked against the plain computation it replaces.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "plexus/data/atomic_file.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/data/support.hpp"
#include "plexus/doctor/record_data.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

Sequential classifier(Index inputs, Index units, const std::string& output, const std::string& loss) {
    Sequential model({Dense({.units = 5, .activation = "tanh", .input_dim = inputs}), Dense({.units = units, .activation = output})});
    model.compile({.optimizer = {.name = "sgd", .learning_rate = 0.05}, .loss = loss, .seed = 2});
    return model;
}

TEST(GivenSplit, PlansAndTrainsLikeTheSplitFitWouldMake) {
    const Dataset d = make_dataset("moons", {.samples = 300, .seed = 5});
    for (const Split split : {Split::tail, Split::random, Split::stratified}) {
        Sequential a = classifier(2, 2, "softmax", "sparse_categorical_crossentropy");
        Sequential b = classifier(2, 2, "softmax", "sparse_categorical_crossentropy");
        const FitOptions options{.epochs = 2, .validation_split = 0.3, .split = split, .seed = 9, .verbose = 0};
        const FitContext own = plan_fit(a, d.x, d.y, options);
        const FitContext given = plan_fit(b, d.x, d.y, options, plan_split(b, d.y, options));
        EXPECT_EQ(given.train_rows, own.train_rows);
        EXPECT_EQ(given.validation_rows, own.validation_rows);
        EXPECT_EQ(given.split.train_class_counts, own.split.train_class_counts);
        EXPECT_EQ(given.split.validation_class_counts, own.split.validation_class_counts);
        const History ha = a.fit(d.x, d.y, options);
        const History hb = b.fit(plan_fit(b, d.x, d.y, options, plan_split(b, d.y, options)));
        EXPECT_EQ(ha.history.at("val_loss"), hb.history.at("val_loss"));
        // The split's rows reach the history when fit returns (moved, not copied).
        EXPECT_EQ(hb.split.train_indices, own.train_rows);
        EXPECT_EQ(hb.split.validation_indices, own.validation_rows);
    }
}

TEST(GivenSplit, RejectsASplitThatIsNotAPartitionOrNotTheOptionsMethod) {
    const Dataset d = make_dataset("moons", {.samples = 40, .seed = 1});
    Sequential model = classifier(2, 2, "softmax", "sparse_categorical_crossentropy");
    const FitOptions options{.epochs = 1, .validation_split = 0.25, .split = Split::random, .seed = 3, .verbose = 0};
    SplitIndices twice = plan_split(model, d.y, options);
    twice.validation.front() = twice.train.front();
    EXPECT_THROW(plan_fit(model, d.x, d.y, options, twice), ConfigError);
    SplitIndices short_one = plan_split(model, d.y, options);
    short_one.validation.pop_back();
    EXPECT_THROW(plan_fit(model, d.x, d.y, options, short_one), ConfigError);
    SplitIndices other_method = plan_split(model, d.y, options);
    other_method.method = Split::tail;
    EXPECT_THROW(plan_fit(model, d.x, d.y, options, other_method), ConfigError);
}

TEST(FitContextLabel, IsTrueClassesForEveryEncoding) {
    const Dataset d = make_dataset("gaussians", {.samples = 120, .seed = 7});
    const Index k = d.num_classes();
    struct Case {
        Index units;
        std::string output, loss;
        Matrix y;
    };
    Matrix binary(d.rows(), 1);
    for (Index i = 0; i < d.rows(); ++i) binary(i, 0) = d.label(i) == 0 ? Scalar(0) : Scalar(1);
    const std::vector<Case> cases = {{k, "softmax", "sparse_categorical_crossentropy", d.y},
                                     {k, "softmax", "categorical_crossentropy", to_categorical(d.y, k)},
                                     {1, "sigmoid", "binary_crossentropy", binary}};
    for (const Case& c : cases) {
        Sequential model = classifier(d.features(), c.units, c.output, c.loss);
        const FitContext plan = plan_fit(model, d.x, c.y, {.epochs = 1, .validation_split = 0.2, .seed = 1});
        const std::vector<int> expected = true_classes(c.y, c.units);
        for (Index i = 0; i < d.rows(); ++i) ASSERT_EQ(plan.label(i), expected[static_cast<std::size_t>(i)]) << c.loss << " row " << i;
    }
}

TEST(SupportOnRows, EqualsTheSupportOfTheirCopy) {
    const Dataset d = make_dataset("circles", {.samples = 900, .seed = 3});
    RowList rows;
    for (Index i = 0; i < d.rows(); i += 3) rows.push_back(i);
    const Support in_place = Support::fit(d.x, rows);
    const Support copied = Support::fit(take_rows(d.x, rows));
    EXPECT_EQ(in_place.min(), copied.min());
    EXPECT_EQ(in_place.max(), copied.max());
    EXPECT_EQ(in_place.scale(), copied.scale());
    EXPECT_EQ(in_place.radius(), copied.radius());
    EXPECT_EQ(in_place.index_rows(), copied.index_rows());
    EXPECT_EQ(in_place.nearest_distances(d.x), copied.nearest_distances(d.x));
}

TEST(BaselineLossOnRows, EqualsTheBaselineOfTheirCopy) {
    const Dataset d = make_dataset("gaussians", {.samples = 200, .seed = 2});
    RowList rows;
    for (Index i = 1; i < d.rows(); i += 2) rows.push_back(i);
    const Matrix onehot = to_categorical(d.y, d.num_classes());
    Matrix regression(d.rows(), 2);
    for (Index i = 0; i < d.rows(); ++i) regression.row(i) << d.x(i, 0) * 3, d.x(i, 1) - 1;
    const auto check = [&](const std::string& loss, const Matrix& y, Index units) {
        const double in_place = doctor::baseline_loss(loss, RowView{y, &rows}, units);
        const double copied = doctor::baseline_loss(loss, take_rows(y, rows), units);
        EXPECT_NEAR(in_place, copied, 1e-12 * std::max(1.0, std::abs(copied))) << loss;
        EXPECT_TRUE(std::isfinite(in_place)) << loss;
    };
    check("sparse_categorical_crossentropy", d.y, d.num_classes());
    check("categorical_crossentropy", onehot, d.num_classes());
    check("binary_crossentropy", onehot, d.num_classes());
    for (const std::string loss : {"mse", "mae", "huber"}) check(loss, regression, 2);
}

// Counts of validation rows with an identical training row (and with the same target),
// by comparing every pair: what fill_duplicates must give whichever part it indexes.
std::pair<Index, Index> duplicates_by_pairs(const Matrix& x, const Matrix& y, const RowList& train, const RowList& val) {
    Index found = 0, same = 0;
    for (const Index v : val) {
        bool f = false, s = false;
        for (const Index t : train)
            if (x.row(t) == x.row(v)) {
                f = true;
                s = s || y.row(t) == y.row(v);
            }
        found += f;
        same += s;
    }
    return {found, same};
}

// fill_duplicates with a and b as the training and validation parts, then the other way
// round (so that either part is the one indexed), against comparing every pair: at least
// min_found validation rows with a duplicate, and some of them with another target.
void expect_duplicates_as_pairs(const Matrix& x, const Matrix& y, const RowList& a, const RowList& b, Index min_found) {
    for (const auto& [train, val] : {std::pair{a, b}, std::pair{b, a}}) {
        doctor::DataFacts facts;
        doctor::detail::fill_duplicates(facts, RowView{x, &train}, RowView{y, &train}, RowView{x, &val}, RowView{y, &val});
        const auto [found, same] = duplicates_by_pairs(x, y, train, val);
        EXPECT_GE(found, min_found);
        EXPECT_LT(same, found);
        EXPECT_EQ(facts.duplicate_rows, found) << train.size() << " training rows";
        EXPECT_EQ(facts.duplicate_rows_same_target, same) << train.size() << " training rows";
    }
}

TEST(Duplicates, IndexingEitherPartCountsWhatComparingEveryPairCounts) {
    // 60 rows with repeats (some with another target), split both ways round: a validation
    // part smaller than the training part (indexed) and one larger (the training part indexed).
    Matrix x(60, 2), y(60, 1);
    for (Index i = 0; i < 60; ++i) {
        x(i, 0) = static_cast<Scalar>(i % 17);
        x(i, 1) = static_cast<Scalar>((i % 17) % 3);
        y(i, 0) = static_cast<Scalar>((i / 7) % 2);
    }
    RowList a, b;
    for (Index i = 0; i < 60; ++i) (i % 4 == 0 ? b : a).push_back(i);
    expect_duplicates_as_pairs(x, y, a, b, 1);
}

TEST(Duplicates, LongRunsOfIdenticalRowsAndSignedZeros) {
    // 2,000 rows: a third of them one identical row (some with -0 for +0, which compare
    // equal), the rest in small groups, with targets that sometimes differ; split both
    // ways round, against comparing every pair.
    Matrix x(2000, 3), y(2000, 2);
    for (Index i = 0; i < 2000; ++i) {
        const bool common = i % 3 == 0;
        x(i, 0) = common ? (i % 2 ? Scalar(-0.0) : Scalar(0.0)) : static_cast<Scalar>(i % 211);
        x(i, 1) = common ? Scalar(1.5) : static_cast<Scalar>((i % 211) % 5) * Scalar(0.25);
        x(i, 2) = common ? Scalar(-2) : Scalar(-0.0);
        y(i, 0) = i % 35 == 0 ? 1 : 0;  // some of the fifth part's rows (b) have a target no other row has
        y(i, 1) = 1 - y(i, 0);
    }
    RowList a, b;
    for (Index i = 0; i < 2000; ++i) (i % 5 == 0 ? b : a).push_back(i);
    expect_duplicates_as_pairs(x, y, a, b, 301);
}

TEST(RowLists, AreThirtyTwoBitAndFitRefusesMoreRowsThanTheyHold) {
    static_assert(sizeof(RowIndex) == 4);
    EXPECT_NO_THROW(check_row_count(kMaxRows, "fit"));
    try {
        check_row_count(kMaxRows + 1, "fit");
        FAIL() << "no ShapeError";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("fit: 4294967296 rows"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("fix:"), std::string::npos) << e.what();
    }
}

TEST(StreamedAtomicWrite, WritesWhatTheStreamGetsOrLeavesTheOldFile) {
    const auto dir = std::filesystem::temp_directory_path() / "plexus_streamed_write_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "out.txt").string();
    std::string expected;
    for (int i = 0; i < 50000; ++i) expected += std::to_string(i) + ",";  // several 64 KiB blocks
    write_file_atomic(path, [](std::ostream& out) {
        for (int i = 0; i < 50000; ++i) out << i << ',';
    });
    EXPECT_EQ(read_file_bytes(path), expected);
    EXPECT_THROW(write_file_atomic(path, [](std::ostream& out) {
                     out << "partial";
                     throw std::runtime_error("writer failed");
                 }),
                 std::runtime_error);
    EXPECT_EQ(read_file_bytes(path), expected);  // the old file, untouched
    Index files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 1);  // no temporary left behind
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace plexus
