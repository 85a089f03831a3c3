// Hostile CSV and NPY input and the text helpers (issue 16): invalid UTF-8 and
// duplicate column names are refused with file:line:column, errors never echo
// more than a short excerpt, and NPY shape arithmetic cannot overflow.
#include <gtest/gtest.h>

#include <cstring>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/npy.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

using testing::error_of;

TEST(Text, FindsInvalidUtf8) {
    EXPECT_FALSE(find_invalid_utf8("plain, \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
    EXPECT_EQ(find_invalid_utf8("\xC0\x80"), 0u);          // overlong NUL
    EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);      // UTF-16 surrogate
    EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8("\xE2\x82"), 0u);          // cut short
}

TEST(Text, ExcerptIsShortAndPrintable) {
    EXPECT_EQ(excerpt("ab\n\xFF" "c"), "ab\\x0A\\xFFc");
    EXPECT_EQ(excerpt(std::string(100, 'a'), 5), "aaaaa... (100 bytes)");
    EXPECT_EQ(excerpt("\xE2\x82\xAC\xE2\x82\xAC", 4), "\xE2\x82\xAC\xE2\x82\xAC");  // never cuts inside a character
}

TEST(UntrustedCsv, InvalidUtf8InHeaderOrCellIsRefusedWithLineAndColumn) {
    EXPECT_CONTAINS(error_of<DataError>([] { read_csv_text("a\xFF,b\n1,2\n3,4\n", "f.csv"); }),
                    "f.csv:1:1: invalid UTF-8 (byte 0xFF at byte 2 of the field \"a\\xFF\")");
    EXPECT_CONTAINS(error_of<DataError>([] { read_csv_text("x,label\n1,cat\n2,d\xC3og\n", "f.csv"); }), "f.csv:3:2: invalid UTF-8");
}

TEST(UntrustedCsv, DuplicateColumnNamesAreRefused) {
    EXPECT_CONTAINS(error_of<DataError>([] { read_csv_text("label,x,label\n0,1,0\n1,2,1\n", "f.csv", {.target = "label"}); }),
                    "f.csv:1:3: duplicate column name \"label\" (columns 1 and 3); fix: rename one of them");
    // Without a header the generated names are unique.
    EXPECT_NO_THROW(read_csv_text("0,1,0\n1,2,1\n", "f.csv"));
}

TEST(UntrustedCsv, LongCellsAreExcerpted) {
    const auto e = error_of<DataError>([] { read_csv_text("a,b\n" + std::string(100000, 'z') + ",1\n2,1\n", "f.csv"); });
    EXPECT_CONTAINS(e, "f.csv:2:1: non-numeric feature value");
    EXPECT_LT(e.size(), 400u);
}

std::string npy(const std::string& dict, std::size_t data_bytes) {
    std::string header = dict;
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    const auto len = static_cast<std::uint16_t>(header.size());
    out.append(reinterpret_cast<const char*>(&len), 2);
    return out + header + std::string(data_bytes, '\0');
}

TEST(UntrustedNpy, ShapeArithmeticCannotOverflow) {
    const auto e = error_of<IoError>([] { parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", 8), "a.npy"); });
    EXPECT_CONTAINS(e, "a.npy: NPY shape (1099511627776, 1099511627776) is too large");
    EXPECT_CONTAINS(error_of<IoError>([] { parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }", 8), "a.npy"); }),
                    "bad dimension");
    EXPECT_CONTAINS(error_of<IoError>([] { parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4), }", 8), "a.npy"); }),
                    "truncated NPY data");
    const auto descr = error_of<IoError>([] { parse_npy(npy("{'descr': '" + std::string(5000, 'q') + "', 'fortran_order': False, 'shape': (1,), }", 8), "a.npy"); });
    EXPECT_LT(descr.size(), 300u);
    const auto ok = parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 16), "a.npy");
    EXPECT_EQ(ok.data.size(), 2u);
}

}  // namespace
}  // namespace plexus
