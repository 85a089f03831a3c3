// CSV reading (delimiters, headers, quoting, labels, every error) and writing,
// plus the atomic file writer underneath.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/datasets.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

namespace fs = std::filesystem;

class DataCsv : public testing::TempDirTest {};
using testing::error_of;

using Names = std::vector<std::string>;

TEST_F(DataCsv, HeaderAndStringLabels) {
    const std::string p = file("data.csv", "x1,x2,label\n1,2,b\n3.5,-4e-1,a\n5,6,b\n");
    const Dataset d = read_csv(p);
    ASSERT_EQ(d.rows(), 3);
    ASSERT_EQ(d.features(), 2);
    EXPECT_EQ(d.feature_names, (Names{"x1", "x2"}));
    EXPECT_EQ(d.target_name, "label");
    EXPECT_EQ(d.class_names, (Names{"a", "b"}));
    EXPECT_EQ(d.source, p);
    EXPECT_EQ(d.x(1, 0), Scalar(3.5));
    EXPECT_EQ(d.x(1, 1), static_cast<Scalar>(-0.4));
    EXPECT_EQ(d.label(0), 1);
    EXPECT_EQ(d.label(1), 0);
    EXPECT_EQ(d.label(2), 1);
}

TEST_F(DataCsv, IntegerLabelsSortNumerically) {
    const Dataset d = read_csv(file("d.csv", "a,b,y\n0,0,10\n0,1,2\n1,0,-1\n1,1,2.0\n"));
    EXPECT_EQ(d.class_names, (Names{"-1", "2", "10"}));
    EXPECT_EQ(d.label(0), 2);
    EXPECT_EQ(d.label(1), 1);
    EXPECT_EQ(d.label(2), 0);
    EXPECT_EQ(d.label(3), 1);
}

TEST_F(DataCsv, StringLabelsSortLexicographically) {
    const Dataset d = read_csv(file("d.csv", "f,y\n1,b10\n2,b9\n3,B\n4,a\n"));
    EXPECT_EQ(d.class_names, (Names{"B", "a", "b10", "b9"}));
}

TEST_F(DataCsv, HeaderlessDetection) {
    const Dataset numeric = read_csv(file("n.csv", "1,2,0\n3,4,1\n"));
    EXPECT_EQ(numeric.rows(), 2);
    EXPECT_EQ(numeric.feature_names, (Names{"x1", "x2"}));
    EXPECT_EQ(numeric.class_names, (Names{"0", "1"}));
    EXPECT_EQ(numeric.x(0, 0), Scalar(1));

    // String labels in the first row are not a header: the feature cells are numeric.
    const Dataset labels = read_csv(file("l.csv", "1,2,cat\n3,4,dog\n"));
    EXPECT_EQ(labels.rows(), 2);
    EXPECT_EQ(labels.class_names, (Names{"cat", "dog"}));

    const Dataset forced = read_csv(file("f.csv", "1,2,0\n3,4,1\n5,6,0\n"), {.header = true});
    EXPECT_EQ(forced.rows(), 2);
    EXPECT_EQ(forced.feature_names, (Names{"1", "2"}));
}

TEST_F(DataCsv, DelimitersQuotesLineEndingsBlankLines) {
    const Dataset semi_dot = read_csv(file("s2.csv", "x;y;label\n1.5;2;a\n3;4;b\n"));
    EXPECT_EQ(semi_dot.x(0, 0), Scalar(1.5));

    const Dataset tab = read_csv(file("t.tsv", "x\ty\tlabel\n1\t2\ta\n3\t4\tb\n"));
    EXPECT_EQ(tab.feature_names, (Names{"x", "y"}));

    const Dataset crlf = read_csv(file("c.csv", "\xEF\xBB\xBFx,y,label\r\n\r\n1, 2 ,\"a,b\"\r\n  \r\n3,4,\"say \"\"hi\"\"\"\r\n\n"));
    ASSERT_EQ(crlf.rows(), 2);
    EXPECT_EQ(crlf.feature_names, (Names{"x", "y"}));
    EXPECT_EQ(crlf.class_names, (Names{"a,b", "say \"hi\""}));
    EXPECT_EQ(crlf.x(0, 1), Scalar(2));

    const Dataset no_final_newline = read_csv(file("e.csv", "x,y\n1,0\n2,1"));
    EXPECT_EQ(no_final_newline.rows(), 2);

    // An explicit delimiter overrides detection (auto-detection picks ',' on this tie).
    const Dataset explicit_delim =
        read_csv(file("d.csv", "x,a;y,b;label\n1;2;p\n3;4;q\n"), {.delimiter = ';'});
    EXPECT_EQ(explicit_delim.feature_names, (Names{"x,a", "y,b"}));
    EXPECT_THROW(read_csv(file("p.csv", "x|y\n1|2\n"), {.delimiter = '|'}), ConfigError);
}

TEST_F(DataCsv, TargetByNameOrIndex) {
    const std::string p = file("t.csv", "a,label,b\n1,x,2\n3,y,4\n");
    const Dataset by_name = read_csv(p, {.target = "label"});
    EXPECT_EQ(by_name.feature_names, (Names{"a", "b"}));
    EXPECT_EQ(by_name.x(1, 1), Scalar(4));
    EXPECT_EQ(by_name.class_names, (Names{"x", "y"}));
    const Dataset by_index = read_csv(p, {.target = "1"});
    EXPECT_EQ(by_index.feature_names, (Names{"a", "b"}));
    const Dataset first = read_csv(file("u.csv", "y,a\n0,1\n1,2\n"), {.target = "0"});
    EXPECT_EQ(first.feature_names, (Names{"a"}));
    EXPECT_EQ(first.target_name, "y");
}

TEST_F(DataCsv, TaskAutoRule) {
    std::string many = "x,y\n";
    for (int i = 0; i < 21; ++i) many += std::to_string(i) + "," + std::to_string(i) + "\n";
    const Dataset regression = read_csv(file("m.csv", many));
    EXPECT_FALSE(regression.is_classification());
    EXPECT_EQ(regression.y(20, 0), Scalar(20));
    EXPECT_EQ(regression.target_name, "y");

    std::string ten = "x,y\n";
    for (int i = 0; i < 10; ++i) ten += std::to_string(i) + "," + std::to_string(i) + "\n";
    EXPECT_EQ(read_csv(file("t.csv", ten)).num_classes(), 10);
    // 11 to 20 distinct integers (a score 0-15, or 16 class codes?): refused, naming the rule and --task.
    std::string score = "x,score\n";
    for (int i = 0; i < 48; ++i) score += std::to_string(i) + "," + std::to_string(i % 16) + "\n";
    const std::string ambiguous = error_of<DataError>([&] { read_csv(file("s.csv", score)); });
    EXPECT_CONTAINS(ambiguous, "'score' holds 16 distinct integers (0 to 15)");
    EXPECT_CONTAINS(ambiguous, "--task regression");
    EXPECT_CONTAINS(ambiguous, "--task classification");
    EXPECT_FALSE(read_csv(file("s2.csv", score), {.task = "regression"}).is_classification());
    EXPECT_EQ(read_csv(file("s3.csv", score), {.task = "classification"}).num_classes(), 16);

    const Dataset floats = read_csv(file("f.csv", "x,y\n1,0.5\n2,1\n"));
    EXPECT_FALSE(floats.is_classification());
    EXPECT_EQ(floats.y(0, 0), Scalar(0.5));

    const Dataset forced = read_csv(file("m2.csv", many), {.task = "classification"});
    EXPECT_EQ(forced.num_classes(), 21);
    const Dataset forced_regression = read_csv(file("r.csv", "x,y\n1,0\n2,1\n"), {.task = "regression"});
    EXPECT_FALSE(forced_regression.is_classification());

    const std::string text_regression =
        error_of<DataError>([&] { read_csv(file("tr.csv", "x,y\n1,0\n2,abc\n"), {.task = "regression"}); });
    EXPECT_CONTAINS(text_regression, "tr.csv:3:2: non-numeric target value \"abc\"");
    EXPECT_THROW(read_csv(file("bad.csv", "x,y\n1,0\n"), {.task = "clasification"}), ConfigError);
}

TEST_F(DataCsv, KnownClassNames) {
    const std::string p = file("k.csv", "x,y\n1,b\n2,b\n");
    const Dataset d = read_csv(p, {.class_names = {"a", "b", "c"}});
    EXPECT_EQ(d.class_names, (Names{"a", "b", "c"}));  // one class present is fine here
    EXPECT_EQ(d.label(0), 1);

    const Dataset numeric = read_csv(file("n.csv", "x,y\n1,1.0\n2,0\n"), {.class_names = {"0", "1"}});
    EXPECT_EQ(numeric.label(0), 1);
    EXPECT_EQ(numeric.label(1), 0);

    const std::string unknown =
        error_of<DataError>([&] { read_csv(file("u.csv", "x,y\n1,a\n2,d\n"), {.class_names = {"a", "b", "c"}}); });
    EXPECT_CONTAINS(unknown, "u.csv:3:2: unknown class label \"d\"");
    EXPECT_CONTAINS(unknown, "\"a\", \"b\", \"c\"");
    EXPECT_THROW(read_csv(p, {.task = "regression", .class_names = {"a"}}), ConfigError);
}

TEST_F(DataCsv, FixtureFromTestDataDir) {
    const Dataset d = read_csv(std::string(PLEXUS_TEST_DATA_DIR) + "/data/species.csv");
    EXPECT_EQ(d.rows(), 6);
    EXPECT_EQ(d.feature_names, (Names{"length", "width"}));
    EXPECT_EQ(d.target_name, "species");
    EXPECT_EQ(d.class_names, (Names{"setosa", "versicolor", "virginica"}));
    EXPECT_EQ(d.label(5), 2);
}

// --- errors --------------------------------------------------------------------

TEST_F(DataCsv, MissingFile) {
    const std::string p = path("absent.csv");
    const std::string e = error_of<IoError>([&] { read_csv(p); });
    EXPECT_CONTAINS(e, p + ": cannot open file");
    EXPECT_CONTAINS(e, "No such file");
}

TEST_F(DataCsv, EmptyFile) {
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("empty.csv", "")); }), "empty.csv: file is empty (no rows)");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("blank.csv", "\n  \r\n\n")); }), "file is empty");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("header.csv", "x,y,label\n")); }),
                    "header.csv: no data rows after the header");
}

TEST_F(DataCsv, RaggedRows) {
    const std::string e = error_of<DataError>([&] { read_csv(file("data.csv", "x,y,label\n1,2,a\n\n3,4\n")); });
    EXPECT_CONTAINS(e, "data.csv:4: row has 2 fields, expected 3");
    EXPECT_CONTAINS(e, "delimiter");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("one.csv", "a\n1\n2\n")); }), "single column");
}

TEST_F(DataCsv, NonNumericFeature) {
    const std::string e = error_of<DataError>([&] { read_csv(file("data.csv", "x1,x2,label\n1,2,a\n3,abc,b\n")); });
    EXPECT_CONTAINS(e, "data.csv:3:2: non-numeric feature value \"abc\" in column \"x2\"; features must be numbers "
                       "(encode categories as numbers first)");
    const std::string headerless = error_of<DataError>([&] { read_csv(file("h.csv", "1,2,a\n3,4x,b\n")); });
    EXPECT_CONTAINS(headerless, "h.csv:2:2: non-numeric feature value \"4x\" in column \"x2\"");
    const std::string missing = error_of<DataError>([&] { read_csv(file("m.csv", "a,b,c\n1,,0\n2,3,1\n")); });
    EXPECT_CONTAINS(missing, "m.csv:2:2: missing feature value \"\" in column \"b\"; remove or impute the row");
}

TEST_F(DataCsv, NanOrInfFeature) {
    const std::string nan = error_of<DataError>([&] { read_csv(file("n.csv", "a,b,c\n1,2,0\n3,NaN,1\n")); });
    EXPECT_CONTAINS(nan, "n.csv:3:2: NaN feature value \"NaN\" in column \"b\"");
    EXPECT_CONTAINS(nan, "remove or impute the row");
    const std::string inf = error_of<DataError>([&] { read_csv(file("i.csv", "a,b,c\n-inf,2,0\n3,1,1\n")); });
    EXPECT_CONTAINS(inf, "i.csv:2:1: Inf feature value \"-inf\" in column \"a\"");
    EXPECT_CONTAINS(inf, "remove or impute the row");
    const std::string huge = error_of<DataError>([&] { read_csv(file("h.csv", "a,b,c\n1e999,2,0\n3,1,1\n")); });
    EXPECT_CONTAINS(huge, "h.csv:2:1:");
}

TEST_F(DataCsv, TargetNotFound) {
    const std::string p = file("t.csv", "x,y,label\n1,2,a\n3,4,b\n");
    const std::string e = error_of<ConfigError>([&] { read_csv(p, {.target = "species"}); });
    EXPECT_CONTAINS(e, "t.csv: target column \"species\" not found; columns are \"x\", \"y\", \"label\"");
    EXPECT_CONTAINS(error_of<ConfigError>([&] { read_csv(p, {.target = "3"}); }), "not found");
}

TEST_F(DataCsv, SingleClass) {
    const std::string e = error_of<DataError>([&] { read_csv(file("one.csv", "x,label\n1,a\n2,a\n")); });
    EXPECT_CONTAINS(e, "one.csv: only one class 'a' in column \"label\"; a classifier needs at least two");
}

TEST_F(DataCsv, MissingTargetAndBadQuote) {
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("m.csv", "x,y\n1,a\n2,\n")); }),
                    "m.csv:3:2: missing target value");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv(file("q.csv", "x,y\n1,\"a\n2,b\n")); }),
                    "q.csv:2:2: unterminated quoted field");
}

// --- writing -------------------------------------------------------------------

TEST_F(DataCsv, WriteCsvRoundTrip) {
    Matrix m(3, 2);
    m << Scalar(0.1), Scalar(-2.5), Scalar(1e-7), Scalar(3), Scalar(12345.678), Scalar(0);
    const std::string p = path("out.csv");
    write_csv(p, {"alpha", "beta"}, m);
    const Dataset d = read_csv(p, {.task = "regression"});
    EXPECT_EQ(d.feature_names, (Names{"alpha"}));
    EXPECT_EQ(d.target_name, "beta");
    for (Index i = 0; i < 3; ++i) {
        EXPECT_EQ(d.x(i, 0), m(i, 0));
        EXPECT_EQ(d.y(i, 0), m(i, 1));
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);  // no temp left
    EXPECT_THROW(write_csv(p, {"only-one"}, m), ShapeError);

    write_csv(p, {}, m);  // no header line
    std::ifstream in(p);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.substr(0, 4), "0.1,");
}

TEST_F(DataCsv, WriteDatasetRoundTrip) {
    const Dataset moons = make_dataset("moons", {.samples = 50, .seed = 2});
    const std::string p = path("moons.csv");
    write_dataset_csv(p, moons);
    const Dataset back = read_csv(p);
    ASSERT_EQ(back.rows(), moons.rows());
    EXPECT_TRUE(back.x == moons.x);
    EXPECT_TRUE(back.y == moons.y);
    EXPECT_EQ(back.class_names, moons.class_names);
    EXPECT_EQ(back.feature_names, moons.feature_names);

    Dataset words = moons;
    words.class_names = {"left, moon", "right"};
    write_dataset_csv(p, words);
    EXPECT_EQ(read_csv(p).class_names, words.class_names);
}

TEST_F(DataCsv, AtomicWriteReplacesAndReportsErrors) {
    const std::string p = path("f.txt");
    write_file_atomic(p, "first");
    write_file_atomic(p, "second, longer content");
    EXPECT_EQ(read_file_bytes(p), "second, longer content");
    write_file_atomic(p, "");
    EXPECT_EQ(read_file_bytes(p), "");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
    EXPECT_TRUE((fs::status(p).permissions() & fs::perms::owner_read) != fs::perms::none);

    const std::string nowhere = path("missing-dir/f.txt");
    const std::string e = error_of<IoError>([&] { write_file_atomic(nowhere, "x"); });
    EXPECT_CONTAINS(e, nowhere + ": cannot create a temporary file");
    EXPECT_CONTAINS(e, "directory exists");

    fs::create_directories(dir_ / "sub");
    const std::string into_dir = error_of<IoError>([&] { write_file_atomic(path("sub"), "x"); });
    EXPECT_CONTAINS(into_dir, path("sub") + ": cannot replace the file");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // f.txt, sub: temp removed

    EXPECT_CONTAINS(error_of<IoError>([&] { read_file_bytes(path("sub")); }), "is a directory");
}

}  // namespace
}  // namespace plexus
