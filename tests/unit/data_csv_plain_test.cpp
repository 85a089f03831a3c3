// read_csv's one-pass reader for plain numeric tables (csv_parse.hpp) against
// the general reader: the same Dataset, bit for bit, on random tables in every
// number spelling; and the same errors, at the same line and column, when a
// table stops being plain far into the file.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "plexus/core/error.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/csv_parse.hpp"
#include "plexus/run/table_source.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

using testing::error_of;

// A random number in one of the spellings a CSV holds: integers, plain decimals of
// 1 to 22 digits, "-0", exponents, "+", "1." and ".5", with spaces around.
std::string random_number(std::mt19937& rng) {
    std::uniform_int_distribution<int> digit(0, 9), kind(0, 9), len(1, 22);
    std::string s = rng() % 3 == 0 ? "-" : "";
    const int n = len(rng);
    const int point = std::uniform_int_distribution<int>(0, n)(rng);
    for (int i = 0; i < n; ++i) {
        if (i == point && i > 0) s += '.';
        s += static_cast<char>('0' + digit(rng));
    }
    switch (kind(rng)) {
        case 0: return s + "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
        case 1: return "+" + s.substr(s[0] == '-' ? 1 : 0);
        case 2: return " " + s + "  ";
        case 3: return s.find('.') == std::string::npos ? s + "." : s;
        case 4: return "." + std::to_string(rng() % 1000);
        case 5: return "-0";
        default: return s;
    }
}

// The same table, with the first cell of its first line quoted: the general reader's.
std::string quoted_first_cell(const std::string& text, char delimiter) {
    const std::size_t end = text.find_first_of(std::string(1, delimiter) + "\r\n");
    const std::size_t first = text.find_first_not_of(' ');
    const std::size_t last = text.find_last_not_of(' ', end - 1) + 1;  // quotes around the trimmed cell
    return text.substr(0, first) + "\"" + text.substr(first, last - first) + "\"" + text.substr(last);
}

void expect_same(const Dataset& plain, const Dataset& general) {
    ASSERT_EQ(plain.x.rows(), general.x.rows());
    ASSERT_EQ(plain.x.cols(), general.x.cols());
    // Bit for bit (so -0 and 0 differ).
    EXPECT_EQ(std::memcmp(plain.x.data(), general.x.data(), sizeof(Scalar) * static_cast<std::size_t>(plain.x.size())), 0);
    EXPECT_EQ(plain.y, general.y);
    EXPECT_EQ(plain.class_names, general.class_names);
    EXPECT_EQ(plain.feature_names, general.feature_names);
    EXPECT_EQ(plain.target_name, general.target_name);
}

TEST(CsvPlain, RandomTablesReadAsTheGeneralReaderReadsThem) {
    std::mt19937 rng(11);
    for (int table = 0; table < 60; ++table) {
        const char delimiter = ",;\t"[table % 3];
        const bool header = table % 2 == 0;
        const bool string_labels = table % 5 == 0;
        const int cols = 2 + table % 4, rows = 2 + static_cast<int>(rng() % 40);
        const std::string eol = table % 4 == 1 ? "\r\n" : "\n";
        std::string text;
        if (header) {
            for (int j = 0; j < cols; ++j) text += (j ? std::string(1, delimiter) : "") + "c" + std::to_string(j);
            text += eol;
        }
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j + 1 < cols; ++j) text += random_number(rng) + delimiter;
            text += string_labels ? std::string(i % 2 ? "yes" : "no") : std::to_string(i % 3);
            text += eol;
            if (i % 7 == 3) text += "  " + eol;  // blank lines are skipped
        }
        SCOPED_TRACE(text);
        // The one-pass reader takes every such table, and leaves a quoted one to the general reader.
        ASSERT_TRUE(csv_detail::parse_plain_csv(text, "t.csv", {.task = "classification"}).has_value());
        ASSERT_FALSE(csv_detail::parse_plain_csv(quoted_first_cell(text, delimiter), "t.csv", {}).has_value());
        const Dataset plain = read_csv_text(text, "t.csv", {.task = "classification"});
        const Dataset general = read_csv_text(quoted_first_cell(text, delimiter), "t.csv", {.task = "classification"});
        expect_same(plain, general);
        // Every cell is the value from_chars reads, rounded to Scalar once.
        if (!header) {
            std::string first = text.substr(0, text.find(delimiter));
            first.erase(0, first.find_first_not_of(' '));
            first.erase(first.find_last_not_of(' ') + 1);
            if (first[0] == '+') first.erase(0, 1);
            double v = 0;
            const auto res = std::from_chars(first.data(), first.data() + first.size(), v);
            ASSERT_TRUE(res.ec == std::errc() && res.ptr == first.data() + first.size()) << first;
            EXPECT_EQ(plain.x(0, 0), static_cast<Scalar>(v)) << first;
        }
    }
}

// Plain decimals of 1 to 19 significant digits (the reader's own fast path) read
// exactly as std::from_chars reads them, then rounded to Scalar once.
TEST(CsvPlain, PlainDecimalsAreTheValuesFromCharsReads) {
    std::mt19937_64 rng(3);
    std::string text = "x,y\n";
    std::vector<std::string> cells;
    for (int i = 0; i < 50000; ++i) {
        const int digits = 1 + static_cast<int>(rng() % 19);
        std::string s;
        for (int k = 0; k < digits; ++k) s += static_cast<char>('0' + rng() % 10);
        if (const int point = static_cast<int>(rng() % static_cast<std::uint64_t>(digits)); point > 0)
            s.insert(static_cast<std::size_t>(point), ".");
        if (rng() % 2) s = "-" + s;
        cells.push_back(s);
        text += s + "," + std::to_string(i % 2) + "\n";
    }
    const auto d = csv_detail::parse_plain_csv(text, "d.csv", {});
    ASSERT_TRUE(d.has_value());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        double v = 0;
        std::from_chars(cells[i].data(), cells[i].data() + cells[i].size(), v);
        ASSERT_EQ(d->x(static_cast<Index>(i), 0), static_cast<Scalar>(v)) << cells[i];
    }
}

TEST(CsvPlain, RegressionTargetsAndKnownClassesMatchToo) {
    std::mt19937 rng(5);
    std::string text = "a,b,y\n";
    for (int i = 0; i < 200; ++i) text += random_number(rng) + "," + random_number(rng) + "," + random_number(rng) + "\n";
    expect_same(read_csv_text(text, "r.csv", {.task = "regression"}),
                read_csv_text(quoted_first_cell(text, ','), "r.csv", {.task = "regression"}));
    const std::string labels = "a,y\n1,2.0\n2,1\n3,cat\n";
    const CsvOptions known{.class_names = {"cat", "1", "2"}};
    expect_same(read_csv_text(labels, "k.csv", known), read_csv_text(quoted_first_cell(labels, ','), "k.csv", known));
}

// A table that stops being plain on line 400 (a feature cell) or whose target fails
// after the pass (regression on a word, an unknown class): the message names the
// same line and column as the general reader's.
TEST(CsvPlain, LateErrorsNameTheirLineAndColumn) {
    std::string text = "a,b,y\n";
    for (int i = 2; i < 400; ++i) text += std::to_string(i) + ".5,-1.25," + std::to_string(i % 2) + "\n";
    const std::string bad_feature = text + "1,x7,0\n" + "2,3,1\n";
    EXPECT_EQ(error_of<DataError>([&] { read_csv_text(bad_feature, "f.csv"); }),
              error_of<DataError>([&] { read_csv_text(quoted_first_cell(bad_feature, ','), "f.csv"); }));
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv_text(bad_feature, "f.csv"); }),
                    "f.csv:400:2: non-numeric feature value \"x7\" in column \"b\"");

    const std::string word = text + "\n\n1,2,three\n";
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv_text(word, "w.csv", {.task = "regression"}); }),
                    "w.csv:402:3: non-numeric target value \"three\" in column \"y\"");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv_text(text, "u.csv", {.class_names = {"1"}}); }),
                    "u.csv:2:3: unknown class label \"0\" in column \"y\"");
    EXPECT_CONTAINS(error_of<DataError>([&] { read_csv_text(text + "1,2,3,4\n", "g.csv"); }),
                    "g.csv:400: row has 4 fields, expected 3");
}

}  // namespace
}  // namespace plexus

namespace plexus {
namespace {

class CsvPlainFiles : public testing::TempDirTest {};

// read_plain_csv: the Dataset read_csv gives for a plain file, nothing for another table.
TEST_F(CsvPlainFiles, ReadPlainCsvTakesOnlyPlainTables) {
    const std::string plain = file("p.csv", "a,b,y\n1,2.5,0\n3,-4,1\n");
    const auto d = read_plain_csv(plain);
    ASSERT_TRUE(d.has_value());
    expect_same(*d, read_csv(plain));
    EXPECT_FALSE(read_plain_csv(file("m.csv", "a,b,y\n1,,0\n3,-4,1\n")).has_value());      // a missing cell
    EXPECT_FALSE(read_plain_csv(file("t.csv", "a,b,y\n1,red,0\n3,-4,1\n")).has_value());   // a category
    EXPECT_FALSE(read_plain_csv(file("q.csv", "a,b,y\n1,\"2\",0\n3,-4,1\n")).has_value()); // quotes
    EXPECT_THROW(read_plain_csv(path("none.csv")), IoError);
}

// plexus train's loading: a plain numeric CSV is read once, as load_dataset reads it (no
// preprocessing); a numeric --na-values, or a missing cell, still goes through the Preprocessor.
TEST_F(CsvPlainFiles, TrainingDataSkipsThePreprocessorOnlyWhenItCouldChangeNothing) {
    std::string text = "a,b,y\n";
    for (int i = 0; i < 40; ++i) text += std::to_string(i % 7 == 0 ? -999 : i) + "," + std::to_string(i * 0.5) + "," + std::to_string(i % 2) + "\n";
    run::RunConfig cfg;
    cfg.data.data = file("n.csv", text);
    const run::PreparedData plain = run::prepare_training_data(cfg, std::nullopt, {});
    EXPECT_FALSE(plain.preprocessor.has_value());
    expect_same(plain.data, read_csv(cfg.data.data));

    cfg.data.preprocess.na_values = {"-999"};
    const run::PreparedData na = run::prepare_training_data(cfg, std::nullopt, {});
    ASSERT_TRUE(na.preprocessor.has_value());
    EXPECT_TRUE(na.columns.is_array());

    cfg.data.preprocess = {};
    cfg.data.data = file("gap.csv", text + "1,,0\n");
    EXPECT_TRUE(run::prepare_training_data(cfg, std::nullopt, {}).preprocessor.has_value());
}

}  // namespace
}  // namespace plexus
