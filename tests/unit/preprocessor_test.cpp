// The Preprocessor (column types, imputation, one-hot with "other", scaling),
// the raw table reader, and the proof that validation and test rows never reach
// its statistics.
#include <gtest/gtest.h>

#include <cmath>

#include "plexus/data/preprocessor.hpp"
#include "plexus/data/table.hpp"
#include "plexus/run/pipeline.hpp"
#include "plexus/run/table_source.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

RawTable table(std::vector<std::string> columns, std::vector<std::vector<std::string>> rows) {
    RawTable t{.columns = std::move(columns), .rows = std::move(rows), .lines = {}, .source = "t.csv"};
    for (std::size_t i = 0; i < t.rows.size(); ++i) t.lines.push_back(i + 2);
    return t;
}

RowList all_rows(const RawTable& t) {
    RowList r;
    for (Index i = 0; i < t.row_count(); ++i) r.push_back(i);
    return r;
}

TEST(Preprocessor, TypesImputesEncodesAndScalesLikeScikitLearn) {
    const RawTable t = table({"age", "city", "code", "y"}, {{"10", "Rome", "1", "a"},
                                                            {"20", "Oslo", "2", "b"},
                                                            {"", "Rome", "1", "a"},
                                                            {"30", "NA", "2", "b"},
                                                            {"40", "Rome", "?", "a"}});
    Preprocessor p({.categorical = {"code"}});
    p.fit(t, 3, all_rows(t));
    ASSERT_EQ(p.columns().size(), 3u);
    EXPECT_FALSE(p.columns()[0].categorical);
    EXPECT_TRUE(p.columns()[1].categorical);
    EXPECT_TRUE(p.columns()[2].categorical);  // --categorical integer codes
    EXPECT_EQ(p.columns()[0].median, 25.0);
    EXPECT_EQ(p.columns()[0].missing, 1);
    EXPECT_EQ(p.columns()[1].fill, "Rome");
    EXPECT_EQ(p.output_names(), (std::vector<std::string>{"age", "city=Oslo", "city=Rome", "code=1", "code=2"}));
    const Matrix x = p.transform(t);
    const double mean = 25.0, sd = std::sqrt(125.0);  // of 10, 20, 30, 40 (biased, as StandardScaler)
    EXPECT_NEAR(x(0, 0), (10 - mean) / sd, 1e-6);
    EXPECT_NEAR(x(2, 0), (25 - mean) / sd, 1e-6);  // imputed with the median
    EXPECT_EQ(x.row(3).tail(4), (RowVector(4) << 0, 1, 0, 1).finished());  // NA city -> most frequent
    EXPECT_EQ(x.row(4).tail(2), (RowVector(2) << 1, 0).finished());         // ? code -> most frequent ("1": tie, first sorted)
}

TEST(Preprocessor, RareCategoriesPoolIntoOtherAndUnseenOnesGoThereToo) {
    const RawTable train = table({"c", "y"}, {{"a", "0"}, {"a", "1"}, {"a", "0"}, {"b", "1"}, {"b", "0"}, {"z", "1"}});
    Preprocessor p({.min_frequency = 2});
    p.fit(train, 1, all_rows(train));
    EXPECT_EQ(p.output_names(), (std::vector<std::string>{"c=a", "c=b", "c=other"}));
    const RawTable later = table({"c"}, {{"z"}, {"new"}, {"a"}, {""}});
    TransformNotes notes;
    const Matrix x = p.transform(later, &notes);
    EXPECT_EQ(x.row(0), (RowVector(3) << 0, 0, 1).finished());  // rare in training: other, not unseen
    EXPECT_EQ(x.row(1), (RowVector(3) << 0, 0, 1).finished());  // unseen: other
    EXPECT_EQ(x.row(3), (RowVector(3) << 1, 0, 0).finished());  // missing: most frequent
    EXPECT_EQ(notes.unseen["c"], 1);
    EXPECT_EQ(notes.unseen_examples["c"], std::vector<std::string>{"new"});
    EXPECT_EQ(notes.missing["c"], 1);
    // Without pooling, an unseen category is all zeros (scikit-learn's handle_unknown="ignore").
    Preprocessor q;
    q.fit(train, 1, all_rows(train));
    EXPECT_EQ(q.transform(later).row(1).sum(), 0);
}

TEST(Preprocessor, MissingCategoryIndicatorAndNoneAndRoundTrip) {
    const RawTable t = table({"n", "c", "y"}, {{"1", "a", "0"}, {"", "", "1"}, {"3", "b", "0"}});
    Preprocessor p({.impute = "missing", .missing_indicator = true});
    p.fit(t, 2, all_rows(t));
    EXPECT_EQ(p.output_names(), (std::vector<std::string>{"n", "n_missing", "c=a", "c=b", "c=missing"}));
    const Matrix x = p.transform(t);
    EXPECT_EQ(x(1, 1), 1);
    EXPECT_EQ(x(1, 4), 1);
    const Preprocessor back = Preprocessor::from_json(p.to_json());
    EXPECT_EQ(back.to_json(), p.to_json());
    EXPECT_EQ(back.transform(t), x);
    Preprocessor none({.impute = "none"});
    try {
        none.fit(t, 2, all_rows(t));
        FAIL() << "missing cell accepted with impute none";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("t.csv:3:1"), std::string::npos) << e.what();
    }
    const RawTable text_in_number = table({"n", "c"}, {{"x", "a"}});
    EXPECT_THROW(p.transform(text_in_number), DataError);
    EXPECT_THROW(Preprocessor({.impute = "mean"}).fit(t, 2, all_rows(t)), ConfigError);
}

class Tables : public testing::TempDirTest {};

TEST_F(Tables, ReaderKeepsTextQuotesAndDetectsTheHeader) {
    const std::string f = file("t.csv", "\xEF\xBB\xBFx;\"c;1\";y\r\n1.5;\"a \"\"b\"\"\";yes\r\n\r\n;NA;no\n");
    const RawTable t = read_csv_table(f);
    EXPECT_EQ(t.columns, (std::vector<std::string>{"x", "c;1", "y"}));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][1], "a \"b\"");
    EXPECT_EQ(t.rows[1][0], "");
    EXPECT_EQ(t.lines[1], 4u);
    EXPECT_THROW(read_csv_table(file("r.csv", "a,b\n1,2\n3\n")), DataError);
}

// The done-when test for leaks: the stored statistics are those of fit's training rows,
// which exclude the validation and the test rows (given extreme values here).
TEST_F(Tables, ValidationAndTestRowsNeverReachTheStatistics) {
    std::string csv = "num,cat,label\n";
    for (int i = 0; i < 200; ++i) csv += std::to_string(i % 17) + "," + (i % 3 ? "p" : "q") + "," + (i % 2 ? "yes" : "no") + "\n";
    const std::string csv_path = file("t.csv", csv);
    run::RunConfig c;
    c.data.data = csv_path;
    c.fit.validation_split = 0.25;
    c.fit.test_split = 0.2;
    c.fit.epochs = 2;
    c.fit.seed = 5;
    const run::PreparedData prepared = run::prepare_training_data(c);
    ASSERT_TRUE(prepared.preprocessor && prepared.test);
    EXPECT_EQ(prepared.test->rows(), 40);
    EXPECT_EQ(prepared.data.rows(), 160);
    EXPECT_EQ(prepared.preprocessor_rows.size(), 120u);
    // Recompute the numeric column's median from exactly those rows of the non-test data.
    const RawTable raw = read_csv_table(csv_path);
    RowList dev;
    for (Index i = 0; i < 200; ++i)
        if (std::find(prepared.test_rows.begin(), prepared.test_rows.end(), i) == prepared.test_rows.end()) dev.push_back(i);
    std::vector<double> values;
    double sum = 0;
    for (const Index r : prepared.preprocessor_rows) {
        values.push_back(std::stod(raw.rows[static_cast<std::size_t>(dev[static_cast<std::size_t>(r)])][0]));
        sum += values.back();
    }
    EXPECT_NEAR(prepared.preprocessor->columns()[0].mean, sum / static_cast<double>(values.size()), 1e-9);

    // And the run: the model stores these statistics, and the rows fit trained on are the same.
    run::TrainRequest request{.config = c, .out_dir = path("run")};
    const run::TrainResult result = run::run_training(request);
    EXPECT_EQ(result.train_rows, prepared.preprocessor_rows);
    EXPECT_EQ(result.metadata.extra["preprocessor"], prepared.preprocessor->to_json());
    EXPECT_EQ(result.report["test"]["rows"], 40);
    EXPECT_TRUE(result.report["test"]["evaluation"]["metrics"].contains("accuracy"));
    EXPECT_EQ(result.report["columns"][1]["type"], "categorical");
    EXPECT_EQ(result.report["columns"][2]["type"], "target");

    // Changing a validation row's value changes nothing stored; changing a training row's does.
    std::string changed = "num,cat,label\n";
    const Index validation_row = dev[static_cast<std::size_t>(result.validation_rows.front())];
    for (int i = 0; i < 200; ++i)
        changed += (i == validation_row ? std::string("100000") : std::to_string(i % 17)) + "," + (i % 3 ? "p" : "q") + "," + (i % 2 ? "yes" : "no") + "\n";
    c.data.data = file("t2.csv", changed);
    EXPECT_EQ(run::prepare_training_data(c).preprocessor->to_json(), prepared.preprocessor->to_json());
}

}  // namespace
}  // namespace plexus
