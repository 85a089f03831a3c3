// NPY reading and writing: round trips per dtype, hand-made headers in the
// styles numpy has written over the years, corrupt files, and x/y datasets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/npy.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

namespace fs = std::filesystem;

class DataNpy : public testing::TempDirTest {};
using testing::error_of;

// An NPY file assembled by hand: magic, version, little-endian header length.
std::string npy_bytes(int major, const std::string& header, const std::string& data) {
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    const auto len = static_cast<std::uint32_t>(header.size());
    out += static_cast<char>(len & 0xFF);
    out += static_cast<char>((len >> 8) & 0xFF);
    if (major >= 2) {
        out += static_cast<char>((len >> 16) & 0xFF);
        out += static_cast<char>((len >> 24) & 0xFF);
    }
    return out + header + data;
}

template <typename T>
std::string raw(std::initializer_list<T> values) {
    std::string out;
    for (T v : values) {
        char buf[sizeof(T)];
        std::memcpy(buf, &v, sizeof(T));
        out.append(buf, sizeof(T));
    }
    return out;
}

TEST_F(DataNpy, RoundTripPerDtype) {
    struct Case {
        std::string dtype;
        std::vector<Index> shape;
        std::vector<double> data;
    };
    const std::vector<Case> cases = {
        {"<f4", {2, 3}, {0.5, -1.25, 3e20, 1e-30, 0, -7}},
        {"<f8", {3, 2}, {0.1, -2.0 / 3.0, 1e300, -1e-300, 0, 42}},
        {"<i8", {4}, {-9007199254740992.0, -1, 0, 9007199254740992.0}},
        {"|u1", {2, 2}, {0, 1, 128, 255}},
        {"|i1", {3}, {-128, 0, 127}},
        {"<i2", {2}, {-32768, 32767}},
        {"<i4", {1, 1}, {-2147483648.0}},
        {"<u2", {2}, {0, 65535}},
        {"<u4", {2}, {0, 4294967295.0}},
        {"<u8", {1}, {18446744073709549568.0}},
        {"|b1", {3}, {1, 0, 1}},
        {"<f8", {}, {3.5}},
        {"<f8", {0, 3}, {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.dtype);
        const std::string p = path("a.npy");
        write_npy(p, NpyArray{c.shape, c.data, c.dtype});
        const std::string bytes = read_file_bytes(p);
        EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
        const std::size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        EXPECT_EQ((10 + header_len) % 64, 0u);
        EXPECT_EQ(bytes[10 + header_len - 1], '\n');
        EXPECT_CONTAINS(bytes.substr(10, header_len), "'descr': '" + c.dtype + "'");

        const NpyArray a = read_npy(p);
        EXPECT_EQ(a.dtype, c.dtype);
        EXPECT_EQ(a.shape, c.shape);
        ASSERT_EQ(a.data.size(), c.data.size());
        for (std::size_t i = 0; i < c.data.size(); ++i) {
            const double expected = c.dtype == "<f4" ? static_cast<double>(static_cast<float>(c.data[i])) : c.data[i];
            EXPECT_EQ(a.data[i], expected) << "index " << i;
        }
    }
    EXPECT_EQ(read_npy(path("a.npy")).shape, (std::vector<Index>{0, 3}));
}

TEST_F(DataNpy, HeaderTextMatchesNumpy) {
    const std::string p = path("m.npy");
    Matrix m(2, 3);
    m << 1, 2, 3, 4, 5, 6;
    write_npy(p, m);
    const std::string bytes = read_file_bytes(p);
    const std::string dtype = sizeof(Scalar) == 4 ? "<f4" : "<f8";
    const std::string dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (2, 3), }";
    EXPECT_EQ(bytes.substr(10, dict.size()), dict);
    EXPECT_EQ(bytes.size(), 128u + 6 * sizeof(Scalar));

    const NpyArray a = read_npy(p);
    EXPECT_EQ(a.dtype, dtype);
    EXPECT_EQ(a.shape, (std::vector<Index>{2, 3}));
    EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));  // C order
}

TEST_F(DataNpy, ReadsOtherHeaderStyles) {
    // Version 2.0 with a 4-byte length, no padding, double-quoted keys, Python 2 longs.
    const std::string v2 = file("v2.npy", npy_bytes(2, "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2L, 1L)}\n",
                                                    raw<std::int32_t>({-5, 7})));
    const NpyArray a = read_npy(v2);
    EXPECT_EQ(a.shape, (std::vector<Index>{2, 1}));
    EXPECT_EQ(a.data, (std::vector<double>{-5, 7}));
    EXPECT_EQ(a.dtype, "<i4");

    // Old numpy: 16-byte alignment, 1-D shape with trailing comma, '<u1' spelling.
    const std::string v1 = file("v1.npy", npy_bytes(1, "{'descr': '<u1', 'fortran_order': False, 'shape': (3,), }    \n",
                                                    std::string("\x01\x02\xff", 3)));
    const NpyArray b = read_npy(v1);
    EXPECT_EQ(b.dtype, "|u1");
    EXPECT_EQ(b.data, (std::vector<double>{1, 2, 255}));
}

TEST_F(DataNpy, CorruptFiles) {
    const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }\n";
    const std::string good = npy_bytes(1, header, raw<double>({1, 2, 3, 4}));

    const std::string truncated = file("trunc.npy", good.substr(0, good.size() - 3));
    const std::string e1 = error_of<IoError>([&] { read_npy(truncated); });
    EXPECT_CONTAINS(e1, truncated + ": truncated NPY data");
    EXPECT_CONTAINS(e1, "needs 32 bytes, found 29");

    const std::string short_header = file("short.npy", good.substr(0, 20));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(short_header); }), "short.npy: truncated NPY header");

    const std::string magic = file("magic.npy", "PK\x03\x04 this is a zip file, not npy");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(magic); }), "magic.npy: not an NPY file (bad magic");

    const std::string no_descr = file("nodescr.npy", npy_bytes(1, "{'fortran_order': False, 'shape': (1,), }\n", raw<double>({1})));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(no_descr); }), "nodescr.npy: bad NPY header: no 'descr' key");

    const std::string bad_shape = file("shape.npy", npy_bytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (a,), }\n", ""));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(bad_shape); }), "shape.npy: bad NPY header");

    const std::string fortran = file("f.npy", npy_bytes(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }\n",
                                                        raw<double>({1, 2, 3, 4})));
    EXPECT_EQ(read_npy(fortran).data, (std::vector<double>{1, 3, 2, 4}));  // Fortran order comes back in C order

    const std::string big = file("big.npy", npy_bytes(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }\n", raw<double>({1})));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(big); }), "big.npy: unsupported NPY dtype '>f8'");
    const std::string object = file("obj.npy", npy_bytes(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", "12345678"));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(object); }), "unsupported NPY dtype '|O'");

    const std::string trailing = file("trail.npy", good + "xx");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(trailing); }), "trail.npy: 2 unexpected bytes");

    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy(path("absent.npy")); }), "absent.npy: cannot open file");
}

TEST_F(DataNpy, WriteRejectsValuesThatDoNotFit) {
    EXPECT_CONTAINS(error_of<DataError>([&] { write_npy(path("u.npy"), NpyArray{{2}, {1, 256}, "|u1"}); }),
                    "value 256 at flat index 1 does not fit dtype |u1");
    EXPECT_THROW(write_npy(path("i.npy"), NpyArray{{1}, {0.5}, "<i8"}), DataError);
    EXPECT_THROW(write_npy(path("s.npy"), NpyArray{{3}, {1, 2}, "<f8"}), ShapeError);
    EXPECT_THROW(write_npy(path("c.npy"), NpyArray{{1}, {1}, "<c16"}), ConfigError);
    EXPECT_FALSE(fs::exists(path("u.npy")));
}

// --- datasets ------------------------------------------------------------------

class DataNpyDataset : public DataNpy {
protected:
    std::string x_path() {
        write_npy(path("x.npy"), NpyArray{{4, 2}, {0, 1, 2, 3, 4, 5, 6, 7}, "<f8"});
        return path("x.npy");
    }
    std::string y_path(std::vector<double> y, const std::string& dtype = "<i8", std::vector<Index> shape = {}) {
        if (shape.empty()) shape = {static_cast<Index>(y.size())};
        write_npy(path("y.npy"), NpyArray{shape, std::move(y), dtype});
        return path("y.npy");
    }
};

TEST_F(DataNpyDataset, ClassificationFromIntegerLabels) {
    const Dataset d = read_npy_dataset(x_path(), y_path({7, 3, 7, 3}));
    ASSERT_EQ(d.rows(), 4);
    EXPECT_EQ(d.features(), 2);
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x1", "x2"}));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"3", "7"}));
    EXPECT_EQ(d.target_name, "label");
    EXPECT_EQ(d.source, path("x.npy"));
    EXPECT_EQ(d.x(3, 1), Scalar(7));
    EXPECT_EQ(d.label(0), 1);
    EXPECT_EQ(d.label(1), 0);

    const Dataset column = read_npy_dataset(x_path(), y_path({0, 1, 1, 0}, "|u1", {4, 1}));
    EXPECT_EQ(column.class_names, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(column.label(2), 1);
}

TEST_F(DataNpyDataset, RegressionAndTaskRule) {
    const Dataset floats = read_npy_dataset(x_path(), y_path({0.5, 1, 2, 3}, "<f4"));
    EXPECT_FALSE(floats.is_classification());
    EXPECT_EQ(floats.target_name, "target");
    EXPECT_EQ(floats.y(0, 0), Scalar(0.5));
    const Dataset forced = read_npy_dataset(x_path(), y_path({0, 1, 1, 0}), "regression");
    EXPECT_FALSE(forced.is_classification());
    EXPECT_THROW(read_npy_dataset(x_path(), y_path({0, 1, 1, 0}), "regresion"), ConfigError);
}

TEST_F(DataNpyDataset, KnownClassNames) {
    const Dataset numeric = read_npy_dataset(x_path(), y_path({1, 1, 1, 1}), "auto", {"0", "1", "2"});
    EXPECT_EQ(numeric.class_names, (std::vector<std::string>{"0", "1", "2"}));
    EXPECT_EQ(numeric.label(0), 1);
    const Dataset words = read_npy_dataset(x_path(), y_path({2, 0, 1, 0}), "auto", {"cat", "dog", "eel"});
    EXPECT_EQ(words.label(0), 2);
    const std::string e = error_of<DataError>([&] { read_npy_dataset(x_path(), y_path({0, 5, 1, 0}), "auto", {"0", "1"}); });
    EXPECT_CONTAINS(e, "y.npy: unknown class label 5 at row 1");
}

TEST_F(DataNpyDataset, ShapeAndValueErrors) {
    const std::string e1 = error_of<DataError>([&] { read_npy_dataset(y_path({1, 2, 3, 4}), x_path()); });
    EXPECT_CONTAINS(e1, "y.npy: expected a 2-D feature array (samples, features), received shape (4,)");

    const std::string e2 = error_of<DataError>([&] { read_npy_dataset(x_path(), y_path({0, 1, 0, 1}, "<i8", {2, 2})); });
    EXPECT_CONTAINS(e2, "y.npy: expected targets of shape (n,) or (n, 1), received shape (2, 2)");

    const std::string e3 = error_of<DataError>([&] { read_npy_dataset(x_path(), y_path({0, 1, 0})); });
    EXPECT_CONTAINS(e3, "y.npy: has 3 rows but");
    EXPECT_CONTAINS(e3, "x.npy has 4");

    write_npy(path("nan.npy"), NpyArray{{3, 2}, {0, 1, 2, 3, 4, std::nan("")}, "<f8"});
    const std::string e4 = error_of<DataError>([&] { read_npy_dataset(path("nan.npy"), y_path({0, 1, 0})); });
    EXPECT_CONTAINS(e4, "nan.npy: NaN at flat index 5 (row 2, column 1)");
    EXPECT_CONTAINS(e4, "remove or impute the row");

    const std::string e5 = error_of<DataError>([&] { read_npy_dataset(x_path(), y_path({0.5, 1, INFINITY, 2}, "<f8")); });
    EXPECT_CONTAINS(e5, "y.npy: Inf at flat index 2 (row 2, column 0)");

    const std::string e6 = error_of<DataError>([&] { read_npy_dataset(x_path(), y_path({4, 4, 4, 4})); });
    EXPECT_CONTAINS(e6, "only one class '4'");
}

}  // namespace
}  // namespace plexus
