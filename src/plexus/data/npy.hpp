// NumPy .npy files: a reader for the common numeric dtypes, a writer, and a
// loader that pairs an x.npy with a y.npy into a Dataset.
//
// Format (numpy/lib/format.py): magic "\x93NUMPY", version 1.0 (uint16 header
// length) or 2.0/3.0 (uint32), then a Python-dict header
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), } padded with
// spaces to a 64-byte boundary and ended by '\n', then the raw data.
// Supported dtypes: <f4 <f8, <i1 <i2 <i4 <i8, <u1 <u2 <u4 <u8, |i1 |u1 |b1
// ('=' and '|' are accepted for the native little-endian order), in C or
// Fortran order (Fortran order is converted to C order on reading).
// read_npy converts values to double (int64 beyond 2^53 loses precision);
// read_npy_matrix and read_npy_dataset read features straight into the
// Matrix: float32 (the Scalar dtype) in C order with one read into its buffer,
// anything else converted once, in 1 MB chunks, without a double copy.
// The library assumes a little-endian host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/data/dataset.hpp"

namespace plexus {

struct NpyArray {
    std::vector<Index> shape;   // () for a scalar, (n,) for 1-D, (rows, cols) for 2-D, ...
    std::vector<double> data;   // C (row-major) order; size = product of shape
    std::string dtype;          // normalised descr: "<f4", "<f8", "<i8", "|u1", "|b1", ...
};

// Reads an .npy file.
// Throws IoError naming the file for: a missing/unreadable file, a bad magic
// string, an unsupported version, a malformed header, an unsupported dtype
// (big-endian, structured, object, complex, ...), and a truncated file or
// trailing bytes. Fortran-order data is returned in C order.
NpyArray read_npy(const std::string& path);
// read_npy on bytes already in memory; `path` names them in messages.
NpyArray parse_npy(std::string_view bytes, const std::string& path);

// A 2-D .npy file as a (rows, cols) Matrix, read in place (see above).
// Throws the read_npy IoErrors; DataError for an array that is not 2-D and for
// the first NaN, Inf or value too large for Scalar (naming the file, the
// C-order flat index, row and column).
Matrix read_npy_matrix(const std::string& path);

// Writes a 2-D .npy file of shape (rows, cols): dtype <f4 if Scalar is float,
// <f8 if double; version 1.0; atomically (write_file_atomic).
// Throws IoError if the file cannot be written.
void write_npy(const std::string& path, const Matrix& values);

// Writes `array` with its own dtype (any supported one; "|i1"/"<i1" and
// "|u1"/"<u1" are equivalent), converting each value from double.
// Throws ConfigError for an unsupported dtype, ShapeError if data.size() is
// not the product of shape, DataError if a value does not fit the dtype
// (non-integer or out of range for integer types, not 0/1 for |b1), IoError
// if the file cannot be written.
void write_npy(const std::string& path, const NpyArray& array);

// Pairs features x_path (2-D, (n, features)) with targets y_path ((n,) or
// (n, 1)) into a Dataset: feature_names x1..xd, target_name "label" or
// "target", source = x_path.
// task: "classification", "regression" or "auto" (classification if all
// targets are integers with at most kMaxAutoClasses distinct values, see csv.hpp).
// Classification labels are mapped in numeric order to 0..k-1, class_names
// being the values as text ("0", "1", "7"). With non-empty class_names (from a
// loaded model) each label maps to the numerically equal name, or - if no
// name is a number - is read as a class index 0..k-1.
// Throws the read_npy errors; DataError for x not 2-D, y not (n,) or (n, 1),
// row counts that differ, NaN/Inf in x or y (naming the file, flat index, row
// and column), fewer than two classes (without class_names) and unknown
// labels; ConfigError for an unknown task or "regression" with class_names.
// load: NpyLoad::map uses a features file of the Scalar dtype ("<f4") in C order in
// place: it is memory-mapped read-only (MAP_PRIVATE) and the Dataset owns the mapping
// (Dataset::storage; read the features through Dataset::inputs(), x stays empty). Any
// other layout is read (converted once) as with NpyLoad::read. The open file's size
// is checked against its header before mapping (IoError, never a SIGBUS).
enum class NpyLoad { read, map };
Dataset read_npy_dataset(const std::string& x_path, const std::string& y_path, const std::string& task = "auto",
                         const std::vector<std::string>& class_names = {}, NpyLoad load = NpyLoad::read);

}  // namespace plexus
