// Reading NPY features into a Matrix: the direct path (float32, C order: one
// read into the matrix) and the conversion path (other dtypes, Fortran order)
// give the same Dataset and the same training; values and hostile files are
// refused with the messages of the old reader.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "plexus/core/error.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

class DataNpyRead : public testing::TempDirTest {
protected:
    // A v1 .npy file of `values` (given in C order, shape rows x cols) as dtype T.
    template <typename T>
    std::string save(const std::string& name, const std::string& descr, const std::vector<double>& values, Index rows,
                     Index cols, bool fortran) {
        std::string out;
        for (Index k = 0; k < rows * cols; ++k) {
            const Index i = fortran ? k % rows : k / cols, j = fortran ? k / rows : k % cols;
            const T v = static_cast<T>(values[static_cast<std::size_t>(i * cols + j)]);
            char buf[sizeof(T)];
            std::memcpy(buf, &v, sizeof(T));
            out.append(buf, sizeof(T));
        }
        return file(name, npy(descr, fortran, "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")", out));
    }
    // Magic, version 1.0, the header dict padded to 64 bytes, then `data`.
    static std::string npy(const std::string& descr, bool fortran, const std::string& shape, const std::string& data) {
        std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                             ", 'shape': " + shape + ", }";
        header.append(63 - (10 + header.size()) % 64, ' ');
        header += '\n';
        std::string out("\x93NUMPY\x01\x00", 8);
        out += static_cast<char>(header.size() & 0xFF);
        out += static_cast<char>(header.size() >> 8);
        return out + header + data;
    }
    std::string labels(Index rows) {
        std::vector<double> y;
        for (Index i = 0; i < rows; ++i) y.push_back(static_cast<double>((i * 7) % 3));
        write_npy(path("y.npy"), NpyArray{{rows}, y, "<i8"});
        return path("y.npy");
    }
};
using testing::error_of;

bool same_bits(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(Scalar)) == 0;
}

History train(const Dataset& d, std::vector<Scalar>& weights) {
    Sequential model({Dense({.units = 8, .activation = "relu", .input_dim = d.features()}), Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    const History h = model.fit(d.x, d.y, {.epochs = 3, .batch_size = 16, .validation_split = 0.25, .seed = 5});
    const auto p = model.parameters();
    weights.assign(p.begin(), p.end());
    return h;
}

TEST_F(DataNpyRead, DirectAndConvertedPathsGiveTheSameDatasetAndTraining) {
    const Index rows = 97, cols = 5;
    std::vector<double> real, whole;  // floats exact in float32; small integers
    for (Index k = 0; k < rows * cols; ++k) {
        real.push_back(static_cast<double>(static_cast<float>(std::sin(0.37 * static_cast<double>(k)) * 3.0)));
        whole.push_back(static_cast<double>((k * 13) % 41) - 20.0);
    }
    const std::string y = labels(rows);
    const Dataset direct = read_npy_dataset(save<float>("f4.npy", "<f4", real, rows, cols, false), y);
    EXPECT_EQ(direct.x(3, 4), static_cast<Scalar>(real[3 * cols + 4]));
    for (const auto& [name, d] : {std::pair{"<f8", read_npy_dataset(save<double>("f8.npy", "<f8", real, rows, cols, false), y)},
                                  std::pair{"<f4 F", read_npy_dataset(save<float>("f4f.npy", "<f4", real, rows, cols, true), y)},
                                  std::pair{"<f8 F", read_npy_dataset(save<double>("f8f.npy", "<f8", real, rows, cols, true), y)}}) {
        SCOPED_TRACE(name);
        EXPECT_TRUE(same_bits(direct.x, d.x));
        EXPECT_TRUE(same_bits(direct.y, d.y));
        EXPECT_EQ(direct.class_names, d.class_names);
    }
    std::vector<Scalar> w_direct, w_other;
    const History h_direct = train(direct, w_direct);
    const History h_other = train(read_npy_dataset(path("f8f.npy"), y), w_other);
    EXPECT_EQ(h_direct.history, h_other.history);
    EXPECT_EQ(w_direct, w_other);

    const Dataset ints = read_npy_dataset(save<float>("w4.npy", "<f4", whole, rows, cols, false), y);
    for (const auto& [name, d] : {std::pair{"<i2", read_npy_dataset(save<std::int16_t>("i2.npy", "<i2", whole, rows, cols, false), y)},
                                  std::pair{"<i4 F", read_npy_dataset(save<std::int32_t>("i4f.npy", "<i4", whole, rows, cols, true), y)},
                                  std::pair{"<i8", read_npy_dataset(save<std::int64_t>("i8.npy", "<i8", whole, rows, cols, false), y)}}) {
        SCOPED_TRACE(name);
        EXPECT_TRUE(same_bits(ints.x, d.x));
    }
    // read_npy (doubles) returns Fortran data in C order too.
    const NpyArray a = read_npy(path("i4f.npy"));
    EXPECT_EQ(a.data, whole);
    EXPECT_TRUE(same_bits(read_npy_matrix(path("f8f.npy")), direct.x));
}

TEST_F(DataNpyRead, BadValuesNameRowAndColumnOnBothPaths) {
    std::vector<double> v(12, 1.0);
    v[7] = std::nan("");  // row 1, column 3 of a 3 x 4 array
    const std::string y = labels(3);
    for (const auto& [descr, fortran] : {std::pair{"<f4", false}, std::pair{"<f8", false}, std::pair{"<f4", true}}) {
        SCOPED_TRACE(std::string(descr) + (fortran ? " F" : ""));
        const std::string p = std::string(descr) == "<f4" ? save<float>("nan.npy", descr, v, 3, 4, fortran)
                                                          : save<double>("nan.npy", descr, v, 3, 4, fortran);
        const std::string e = error_of<DataError>([&] { read_npy_dataset(p, y); });
        EXPECT_CONTAINS(e, "nan.npy: NaN at flat index 7 (row 1, column 3); features must be finite");
    }
    v[7] = 1.0;
    v[2] = -INFINITY;
    EXPECT_CONTAINS(error_of<DataError>([&] { read_npy_dataset(save<float>("inf.npy", "<f4", v, 3, 4, false), y); }),
                    "inf.npy: Inf at flat index 2 (row 0, column 2)");
    v[2] = 1e300;
    EXPECT_CONTAINS(error_of<DataError>([&] { read_npy_dataset(save<double>("big.npy", "<f8", v, 3, 4, false), y); }),
                    "big.npy: a value too large for float at flat index 2 (row 0, column 2)");
}

TEST_F(DataNpyRead, HostileFilesAreRefusedBeforeAllocating) {
    const std::string y = labels(2);
    const std::string good = npy("<f4", false, "(2, 2)", std::string(16, '\0'));
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_dataset(file("cut.npy", good.substr(0, good.size() - 3)), y); }),
                    "cut.npy: truncated NPY data (shape (2, 2) of <f4 needs 16 bytes, found 13)");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_dataset(file("trail.npy", good + "x"), y); }),
                    "trail.npy: 1 unexpected bytes after the NPY data");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_dataset(file("magic.npy", "PK\x03\x04 zip"), y); }),
                    "magic.npy: not an NPY file (bad magic");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_dataset(file("short.npy", good.substr(0, 30)), y); }),
                    "short.npy: truncated NPY header");
    // Headers that claim 4 TB (refused as truncated) or more than size_t holds, over 16 bytes.
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_matrix(file("huge.npy", npy("<f4", false, "(1000000, 1000000)", std::string(16, '\0')))); }),
                    "huge.npy: truncated NPY data (shape (1000000, 1000000) of <f4 needs 4000000000000 bytes, found 16)");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_matrix(file("over.npy", npy("<f8", true, "(1099511627776, 1099511627776, 1099511627776)", ""))); }),
                    "over.npy: NPY shape (1099511627776, 1099511627776, 1099511627776) is too large");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_matrix(path("absent.npy")); }), "absent.npy: cannot open file");
    EXPECT_CONTAINS(error_of<IoError>([&] { read_npy_matrix(dir_.string()); }), "is a directory");
}

}  // namespace
}  // namespace plexus
