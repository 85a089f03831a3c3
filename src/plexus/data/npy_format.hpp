// Internal to the NPY code (npy.cpp, npy_matrix.cpp): the parsed layout of an
// .npy file and the element decoder, shared by the in-memory parser
// (parse_npy) and the file reader that fills a Matrix in place
// (read_npy_matrix). Not part of the public interface.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus::npy_detail {

enum class Kind { Float, Int, UInt, Bool };

struct DType {
    Kind kind = Kind::Float;
    std::size_t size = 0;
    std::string descr;  // normalised ("<f4", "|u1", ...)
};

// Everything the header says, checked against the total size of the file.
struct Layout {
    std::vector<Index> shape;
    DType dtype;
    bool fortran_order = false;
    std::size_t data_offset = 0;  // first data byte
    std::size_t count = 0;        // number of elements (product of shape)
};

// Bytes needed to hold the whole header given the first bytes `prefix` of a
// file (at least 12, or the whole file when shorter); 0 when the prefix alone
// is already invalid (parse_layout then reports why).
std::size_t header_end(std::string_view prefix);

// Parses and checks the header at the start of `head` (which holds at least
// header_end(head) bytes, or the whole file) for a file of `file_size` bytes:
// the magic string, the version, the header dict, the dtype, the shape's
// overflow, a truncated file and trailing bytes. Throws IoError naming `path`.
// Fortran order is accepted (the caller converts).
Layout parse_layout(std::string_view head, std::size_t file_size, const std::string& path);

// The element at p (dtype t) as a double.
double decode(const DType& t, const char* p);

// "(2, 3)" / "(4,)" as numpy prints a shape.
std::string shape_text(const std::vector<Index>& shape);

}  // namespace plexus::npy_detail

namespace plexus::npy_detail {

// An open .npy file whose header has been read and checked; read_into then
// fills a row-major Matrix from the data in place, or map uses the file's
// bytes as the matrix (npy_map.cpp).
class MatrixFile {
public:
    // Opens `path` and checks its header (parse_layout's IoErrors; the
    // read_file_bytes messages for a missing file or a directory).
    explicit MatrixFile(const std::string& path);
    ~MatrixFile();
    MatrixFile(const MatrixFile&) = delete;
    MatrixFile& operator=(const MatrixFile&) = delete;

    const Layout& layout() const { return layout_; }

    // Resizes x to the 2-D shape (rows, cols) and reads the data into it: the
    // Scalar dtype in C order with one read into x's buffer, any other dtype or
    // Fortran order converted once, in chunks. Throws DataError naming the file,
    // the C-order flat index, row and column of the first NaN, Inf or value too
    // large for Scalar (`what` ends the message: what to do about it); IoError
    // if the file shrinks while read. The shape must be 2-D (checked by the caller).
    void read_into(Matrix& x, const std::string& what);

    // Whether the data is the Scalar dtype ("<f4" for float) in C order (or one row or
    // column), so that it can be used in place.
    bool mappable() const;
    // When mappable(): maps the file read-only (MAP_PRIVATE), points `view` at the data and
    // returns the owner of the mapping (unmapped when the last copy goes); nullptr when the
    // layout needs a conversion or the file system cannot map (then read_into). Checks the
    // open file's size against the header first (IoError: never a SIGBUS on a short file),
    // then every value (DataError for NaN/Inf as read_into, `what` ending the message).
    std::shared_ptr<const void> map(MatrixView& view, const std::string& what);

private:
    void read_bytes(char* out, std::size_t bytes);
    void read_converted(Matrix& x, const std::string& what);

    std::string path_;
    std::FILE* file_ = nullptr;
    Layout layout_;
};

}  // namespace plexus::npy_detail
