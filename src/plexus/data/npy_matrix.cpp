// Reading an .npy feature array straight into a Matrix; see npy_format.hpp.
#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "plexus/core/error.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/data/npy_format.hpp"

namespace plexus {
namespace npy_detail {
namespace {

constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;  // conversion buffer
const char* scalar_dtype() { return sizeof(Scalar) == 4 ? "<f4" : "<f8"; }
const char* scalar_name() { return sizeof(Scalar) == 4 ? "float" : "double"; }

[[noreturn]] void cannot(const std::string& path, const std::string& what, int err, const std::string& fix) {
    throw IoError(path + ": cannot " + what + " (" + std::strerror(err) + "); " + fix);
}

[[noreturn]] void bad_value(const std::string& path, double v, Index flat, Index cols, const std::string& what) {
    const std::string kind =
        std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "a value too large for " + std::string(scalar_name());
    throw DataError(path + ": " + kind + " at flat index " + std::to_string(flat) + " (row " + std::to_string(flat / cols) +
                    ", column " + std::to_string(flat % cols) + "); " + what);
}

}  // namespace

MatrixFile::MatrixFile(const std::string& path) : path_(path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) cannot(path, "open file", errno, "check the path");
    if (S_ISDIR(info.st_mode)) throw IoError(path + ": is a directory, expected a file; give the path of a file inside it");
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) cannot(path, "open file", errno, "check the path and its read permission");
    const auto size = static_cast<std::size_t>(info.st_size);
    std::string head(std::min<std::size_t>(size, 12), '\0');
    read_bytes(head.data(), head.size());
    const std::size_t end = std::min(size, header_end(head));
    if (end > head.size()) {
        const std::size_t have = head.size();
        head.resize(end);
        read_bytes(head.data() + have, end - have);
    }
    layout_ = parse_layout(head, size, path);
    if (std::fseek(file_, static_cast<long>(layout_.data_offset), SEEK_SET) != 0)
        cannot(path, "seek to the NPY data", errno, "check that the file is readable");
}

MatrixFile::~MatrixFile() {
    if (file_) std::fclose(file_);
}

void MatrixFile::read_bytes(char* out, std::size_t bytes) {
    if (bytes > 0 && std::fread(out, 1, bytes, file_) != bytes)
        throw IoError(path_ + ": read error or file cut short while reading (shape " + shape_text(layout_.shape) +
                      "); check that the file is readable and not being written");
}

void MatrixFile::read_into(Matrix& x, const std::string& what) {
    const Index rows = layout_.shape.at(0), cols = layout_.shape.at(1);
    x.resize(rows, cols);
    if (layout_.dtype.descr != scalar_dtype() || (layout_.fortran_order && rows > 1 && cols > 1)) {
        read_converted(x, what);
        return;
    }
    // The file's bytes are the matrix's: one read, then one pass for NaN/Inf.
    read_bytes(reinterpret_cast<char*>(x.data()), layout_.count * sizeof(Scalar));
    if (all_finite(x)) return;
    const Scalar* p = x.data();
    for (Index i = 0; i < x.size(); ++i)
        if (!std::isfinite(p[i])) bad_value(path_, static_cast<double>(p[i]), i, cols, what);
}

// One pass in chunks of kChunkBytes: decode, check, store at the C-order position
// (Fortran order: the row index varies fastest in the file).
void MatrixFile::read_converted(Matrix& x, const std::string& what) {
    const Index rows = x.rows(), cols = x.cols();
    const std::size_t item = layout_.dtype.size;
    std::vector<char> buffer(std::max<std::size_t>(item, kChunkBytes / item * item));
    const bool fortran = layout_.fortran_order;
    Scalar* out = x.data();
    Index row = 0, col = 0;  // Fortran order: the position of the next element
    for (std::size_t done = 0; done < layout_.count;) {
        const std::size_t n = std::min(layout_.count - done, buffer.size() / item);
        read_bytes(buffer.data(), n * item);
        for (std::size_t k = 0; k < n; ++k) {
            const Index flat = fortran ? row * cols + col : static_cast<Index>(done + k);
            const double v = decode(layout_.dtype, buffer.data() + k * item);
            if (!std::isfinite(v) || std::abs(v) > kScalarMax) bad_value(path_, v, flat, cols, what);
            out[flat] = static_cast<Scalar>(v);
            if (fortran && ++row == rows) {
                row = 0;
                ++col;
            }
        }
        done += n;
    }
}

}  // namespace npy_detail

Matrix read_npy_matrix(const std::string& path) {
    npy_detail::MatrixFile file(path);
    if (file.layout().shape.size() != 2)
        throw DataError(path + ": expected a 2-D array (rows, columns), received shape " +
                        npy_detail::shape_text(file.layout().shape) + "; reshape it, e.g. x.reshape(len(x), -1)");
    Matrix x;
    file.read_into(x, "values must be finite: remove or impute the row");
    return x;
}

}  // namespace plexus
