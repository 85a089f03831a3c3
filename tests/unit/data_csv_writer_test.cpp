// The one CSV writer (plexus/data/csv_writer.hpp): its quoting rule, its numbers,
// that read_csv reads back what it writes, and CSVLogger writing through it.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "plexus/callbacks/csv_logger.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/csv_writer.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {
namespace {

namespace fs = std::filesystem;

class CsvWriterFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("plexus_csv_writer_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    fs::path dir_;
};

TEST(CsvWriter, QuotesOnlyWhatTheRuleRequires) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field(""), "");
    EXPECT_EQ(csv_field("p_setosa"), "p_setosa");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("a;b"), "\"a;b\"");
    EXPECT_EQ(csv_field("a\tb"), "\"a\tb\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
    EXPECT_EQ(csv_field(" padded"), "\" padded\"");
    EXPECT_EQ(csv_field("padded "), "\"padded \"");
    EXPECT_EQ(csv_field("in side"), "in side");
}

TEST(CsvWriter, NumbersAreShortestRoundTripAndNaNIsEmpty) {
    EXPECT_EQ(csv_number(0.1), "0.1");
    EXPECT_EQ(csv_number(0.1f), "0.1");
    EXPECT_EQ(csv_number(static_cast<double>(0.1f)), "0.10000000149011612");
    EXPECT_EQ(csv_number(-2.5), "-2.5");
    EXPECT_EQ(csv_number(1e-7), "1e-07");
    EXPECT_EQ(csv_number(3.0), "3");
    EXPECT_EQ(csv_number(std::numeric_limits<double>::quiet_NaN()), "");
    EXPECT_EQ(csv_number(std::numeric_limits<float>::quiet_NaN()), "");
    EXPECT_EQ(csv_number(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(csv_number(-std::numeric_limits<float>::infinity()), "-inf");
    for (double v : {0.1, 1.0 / 3.0, 6.02214076e23, -1e-300}) EXPECT_EQ(std::stod(csv_number(v)), v);
}

TEST(CsvWriter, BuildsRowsWithSeparatorsAndLineEnds) {
    CsvWriter w;
    w.row({"epoch", "loss, total", "note"});
    w.integer(0).number(0.5).field("ok").end_row();
    w.integer(1).empty().field("a \"b\"").end_row();
    EXPECT_EQ(w.str(), "epoch,\"loss, total\",note\n0,0.5,ok\n1,,\"a \"\"b\"\"\"\n");
    w.assign("x\n");
    w.number(2.0).end_row();
    EXPECT_EQ(w.str(), "x\n2\n");
}

TEST_F(CsvWriterFiles, ReadCsvReadsBackAwkwardNames) {
    const std::vector<std::string> names = {"a,b", "semi;colon", " lead", "q\"uote", "target"};
    Matrix m(2, 5);
    m << 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    write_csv(path("names.csv"), names, m);
    const Dataset d = read_csv(path("names.csv"), {.task = "regression"});
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a,b", "semi;colon", " lead", "q\"uote"}));
    EXPECT_EQ(d.target_name, "target");
    EXPECT_TRUE(d.x == m.leftCols(4));
}

TEST_F(CsvWriterFiles, CsvLoggerWritesThroughTheWriterAndAppends) {
    Sequential model;
    const std::string file = path("log.csv");
    {
        CSVLogger logger(file);
        logger.on_train_begin(model);
        Logs logs{{"loss", 0.25}, {"val,odd", std::numeric_limits<double>::quiet_NaN()}};
        logger.on_epoch_end(model, 0, logs);
        Logs second{{"loss", 0.125}};
        logger.on_epoch_end(model, 1, second);
    }
    EXPECT_EQ(read_file_bytes(file), "epoch,loss,\"val,odd\"\n0,0.25,\n1,0.125,\n");
    CSVLogger again(file, /*append=*/true);
    again.on_train_begin(model);
    Logs third{{"loss", 0.1}, {"val,odd", 2.0}};
    again.on_epoch_end(model, 2, third);
    EXPECT_EQ(read_file_bytes(file), "epoch,loss,\"val,odd\"\n0,0.25,\n1,0.125,\n2,0.1,2\n");
}

}  // namespace
}  // namespace plexus
