// NPY features used in place (read_npy_dataset with NpyLoad::map): a float32
// C-order file is memory-mapped, any other layout is converted once, and both
// train to the same history and weights bit for bit; a short file is an
// IoError (never a SIGBUS); the mapping lives as long as a copy of the Dataset.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plexus/core/error.hpp"
#include "plexus/data/mapped_file.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

class DataNpyMap : public testing::TempDirTest {};
using testing::error_of;

// An .npy file of `values` (given in C order) with dtype T, in C or Fortran order.
template <typename T>
std::string npy(const Matrix& m, const char* descr, bool fortran) {
    std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': " + (fortran ? "True" : "False") +
                         ", 'shape': (" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + "), }";
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xFF);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    const Index outer = fortran ? m.cols() : m.rows(), inner = fortran ? m.rows() : m.cols();
    for (Index a = 0; a < outer; ++a)
        for (Index b = 0; b < inner; ++b) {
            const T v = static_cast<T>(fortran ? m(b, a) : m(a, b));
            char buf[sizeof(T)];
            std::memcpy(buf, &v, sizeof(T));
            out.append(buf, sizeof(T));
        }
    return out;
}

struct Data {
    Matrix x, y;
};

Data make_data(Index n, Index d) {
    Data data{Matrix(n, d), Matrix(n, 1)};
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j)
            data.x(i, j) = static_cast<Scalar>(std::sin(0.37 * static_cast<double>(i * d + j)) * 2.0);
        data.y(i, 0) = static_cast<Scalar>((i * 7 + i / 3) % 3);
    }
    return data;
}

struct Trained {
    History history;
    std::vector<Scalar> weights;
};

Trained train(const Dataset& data) {
    Sequential model({Dense({.units = 16, .activation = "relu", .input_dim = data.features()}),
                      Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    Trained t;
    t.history = model.fit(data.inputs(), data.y, {.epochs = 3, .batch_size = 32, .validation_split = 0.2, .seed = 4});
    t.weights.assign(model.parameters().begin(), model.parameters().end());
    return t;
}

TEST_F(DataNpyMap, MappedAndConvertedFilesTrainIdentically) {
    const Data d = make_data(501, 7);
    const std::string y = file("y.npy", npy<std::int64_t>(d.y, "<i8", false));
    const Dataset mapped = read_npy_dataset(file("f4.npy", npy<Scalar>(d.x, "<f4", false)), y, "auto", {}, NpyLoad::map);
    ASSERT_TRUE(mapped.is_mapped());
    EXPECT_EQ(mapped.x.size(), 0);  // nothing copied into the Dataset's own matrix
    EXPECT_EQ(mapped.inputs().map(), d.x);
    const Trained reference = train(mapped);
    ASSERT_EQ(reference.history.history.at("val_loss").size(), 3u);
    // The conversion path: another dtype, Fortran order, and the plain read of the same float32 file.
    for (const auto& [name, bytes] : {std::pair{"f8.npy", npy<double>(d.x, "<f8", false)},
                                      std::pair{"fortran.npy", npy<Scalar>(d.x, "<f4", true)},
                                      std::pair{"read.npy", npy<Scalar>(d.x, "<f4", false)}}) {
        SCOPED_TRACE(name);
        const Dataset converted = read_npy_dataset(file(name, bytes), y, "auto", {},
                                                   std::string(name) == "read.npy" ? NpyLoad::read : NpyLoad::map);
        EXPECT_FALSE(converted.is_mapped());
        EXPECT_EQ(converted.x, d.x);
        const Trained t = train(converted);
        EXPECT_EQ(t.history.history, reference.history.history);  // bit for bit
        EXPECT_EQ(t.weights, reference.weights);
    }
}

TEST_F(DataNpyMap, TheMappingLivesAsLongAsACopy) {
    const Data d = make_data(64, 3);
    Dataset copy;
    {
        const Dataset original = read_npy_dataset(file("x.npy", npy<Scalar>(d.x, "<f4", false)),
                                                  file("y.npy", npy<std::int64_t>(d.y, "<i8", false)), "auto", {}, NpyLoad::map);
        ASSERT_TRUE(original.is_mapped());
        copy = original;
    }
    std::filesystem::remove(path("x.npy"));  // the mapping keeps the data even without the file's name
    EXPECT_EQ(copy.inputs().map(), d.x);
}

TEST_F(DataNpyMap, ShortFilesAndBadValuesAreErrorsBeforeAnyTouch) {
    const Data d = make_data(40, 4);
    const std::string y = file("y.npy", npy<std::int64_t>(d.y, "<i8", false));
    std::string bytes = npy<Scalar>(d.x, "<f4", false);
    const std::string cut = file("cut.npy", bytes.substr(0, bytes.size() - 4 * 4 * 10));  // 10 rows missing
    const std::string e = error_of<IoError>([&] { read_npy_dataset(cut, y, "auto", {}, NpyLoad::map); });
    EXPECT_NE(e.find("cut.npy"), std::string::npos) << e;
    Matrix bad = d.x;
    bad(13, 2) = std::nanf("");
    const std::string nan = file("nan.npy", npy<Scalar>(bad, "<f4", false));
    const std::string m = error_of<DataError>([&] { read_npy_dataset(nan, y, "auto", {}, NpyLoad::map); });
    EXPECT_NE(m.find("NaN at flat index 54 (row 13, column 2)"), std::string::npos) << m;
}

// The one file mapping (CSV text and .npy arrays both use it): the file's bytes in place,
// empty when there is nothing to map, and moved rather than mapped twice.
TEST(MappedFile, GivesTheFileBytesOrNothing) {
    const auto path = (std::filesystem::temp_directory_path() / "plexus_mapped_file_test.bin").string();
    std::string bytes;
    for (int i = 0; i < 70000; ++i) bytes.push_back(static_cast<char>(i * 7));
    std::ofstream(path, std::ios::binary) << bytes;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    MappedFile m = MappedFile::map(fd, bytes.size(), MappedFile::Access::sequential, /*populate=*/true);
    ::close(fd);  // the mapping outlives the descriptor
    ASSERT_TRUE(m);
    ASSERT_EQ(m.size(), bytes.size());
    EXPECT_EQ(std::memcmp(m.data(), bytes.data(), bytes.size()), 0);
    m.advise(MappedFile::Access::normal);
    MappedFile moved = std::move(m);
    EXPECT_FALSE(m);  // NOLINT(bugprone-use-after-move): the moved-from mapping is empty
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved.data()[69999], bytes[69999]);
    EXPECT_FALSE(MappedFile::map(-1, 10, MappedFile::Access::sequential));
    const int again = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_FALSE(MappedFile::map(again, 0, MappedFile::Access::sequential));
    ::close(again);
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace plexus
