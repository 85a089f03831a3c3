// NPY reader/writer; see npy.hpp (read_npy_dataset is in npy_dataset.cpp).
#include "plexus/data/npy.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <charconv>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/npy_format.hpp"

namespace plexus {
namespace npy_detail {
namespace {

static_assert(std::endian::native == std::endian::little, "the NPY code assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kMaxDimension = std::size_t{1} << 40;

// Parses a descr like "<f8"; returns false if unsupported.
bool parse_dtype(const std::string& descr, DType& out) {
    if (descr.size() < 3) return false;
    const char order = descr[0];
    const char kind = descr[1];
    std::size_t size = 0;
    const auto [ptr, ec] = std::from_chars(descr.data() + 2, descr.data() + descr.size(), size);
    if (ec != std::errc() || ptr != descr.data() + descr.size()) return false;
    if (order != '<' && order != '|' && order != '=') return false;
    if (order == '|' && size != 1) return false;
    switch (kind) {
        case 'f':
            if (size != 4 && size != 8) return false;
            out = {Kind::Float, size, "<f" + std::to_string(size)};
            return true;
        case 'i':
        case 'u':
            if (size != 1 && size != 2 && size != 4 && size != 8) return false;
            out = {kind == 'i' ? Kind::Int : Kind::UInt, size,
                   std::string(size == 1 ? "|" : "<") + kind + std::to_string(size)};
            return true;
        case 'b':
            if (size != 1) return false;
            out = {Kind::Bool, 1, "|b1"};
            return true;
        default:
            return false;
    }
}

template <typename T>
T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}  // namespace

double decode(const DType& t, const char* p) {
    switch (t.kind) {
        case Kind::Float:
            return t.size == 4 ? static_cast<double>(load<float>(p)) : load<double>(p);
        case Kind::Int:
            switch (t.size) {
                case 1: return load<std::int8_t>(p);
                case 2: return load<std::int16_t>(p);
                case 4: return load<std::int32_t>(p);
                default: return static_cast<double>(load<std::int64_t>(p));
            }
        case Kind::UInt:
            switch (t.size) {
                case 1: return load<std::uint8_t>(p);
                case 2: return load<std::uint16_t>(p);
                case 4: return load<std::uint32_t>(p);
                default: return static_cast<double>(load<std::uint64_t>(p));
            }
        case Kind::Bool:
            return load<std::uint8_t>(p) != 0 ? 1.0 : 0.0;
    }
    return 0.0;
}

namespace {

template <typename T>
void store(std::string& out, T v) {
    char buf[sizeof v];
    std::memcpy(buf, &v, sizeof v);
    out.append(buf, sizeof v);
}

// Range of the integer dtype as doubles (inclusive; 2^63/2^64 bounds exclusive).
bool fits_integer(const DType& t, double v) {
    if (!std::isfinite(v) || v != std::floor(v)) return false;
    const double bits = static_cast<double>(8 * t.size);
    if (t.kind == Kind::UInt) return v >= 0 && v < std::exp2(bits);
    return v >= -std::exp2(bits - 1) && v < std::exp2(bits - 1);
}

void encode(std::string& out, const DType& t, double v) {
    switch (t.kind) {
        case Kind::Float:
            if (t.size == 4) store(out, static_cast<float>(v));
            else store(out, v);
            return;
        case Kind::Int:
            switch (t.size) {
                case 1: store(out, static_cast<std::int8_t>(v)); return;
                case 2: store(out, static_cast<std::int16_t>(v)); return;
                case 4: store(out, static_cast<std::int32_t>(v)); return;
                default: store(out, static_cast<std::int64_t>(v)); return;
            }
        case Kind::UInt:
            switch (t.size) {
                case 1: store(out, static_cast<std::uint8_t>(v)); return;
                case 2: store(out, static_cast<std::uint16_t>(v)); return;
                case 4: store(out, static_cast<std::uint32_t>(v)); return;
                default: store(out, static_cast<std::uint64_t>(v)); return;
            }
        case Kind::Bool:
            store(out, static_cast<std::uint8_t>(v != 0 ? 1 : 0));
            return;
    }
}

// --- header parsing ---------------------------------------------------------

[[noreturn]] void bad_header(const std::string& path, const std::string& what) {
    throw IoError(path + ": bad NPY header: " + what + "; re-save the array with numpy.save");
}

// Position just after `'key':` (single or double quotes), or npos.
std::size_t find_key(const std::string& header, const std::string& key) {
    for (const char q : {'\'', '"'}) {
        const std::string pattern = std::string(1, q) + key + q;
        std::size_t pos = header.find(pattern);
        if (pos == std::string::npos) continue;
        pos += pattern.size();
        while (pos < header.size() && header[pos] == ' ') ++pos;
        if (pos < header.size() && header[pos] == ':') return pos + 1;
    }
    return std::string::npos;
}

std::size_t skip_spaces(const std::string& s, std::size_t pos) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    return pos;
}

struct Header {
    std::string descr;
    bool fortran_order = false;
    std::vector<Index> shape;
};

Header parse_header(const std::string& path, const std::string& header) {
    Header h;
    std::size_t pos = find_key(header, "descr");
    if (pos == std::string::npos) bad_header(path, "no 'descr' key");
    pos = skip_spaces(header, pos);
    if (pos < header.size() && header[pos] == '[') {
        throw IoError(path + ": structured NPY dtypes are not supported; save a plain numeric array "
                             "(e.g. np.save(path, arr.astype(np.float32)))");
    }
    if (pos >= header.size() || (header[pos] != '\'' && header[pos] != '"')) bad_header(path, "'descr' is not a string");
    const char q = header[pos];
    const std::size_t end = header.find(q, pos + 1);
    if (end == std::string::npos) bad_header(path, "unterminated 'descr' string");
    h.descr = header.substr(pos + 1, end - pos - 1);

    pos = find_key(header, "fortran_order");
    if (pos == std::string::npos) bad_header(path, "no 'fortran_order' key");
    pos = skip_spaces(header, pos);
    if (header.compare(pos, 4, "True") == 0) h.fortran_order = true;
    else if (header.compare(pos, 5, "False") == 0) h.fortran_order = false;
    else bad_header(path, "'fortran_order' is neither True nor False");

    pos = find_key(header, "shape");
    if (pos == std::string::npos) bad_header(path, "no 'shape' key");
    pos = skip_spaces(header, pos);
    if (pos >= header.size() || header[pos] != '(') bad_header(path, "'shape' is not a tuple");
    const std::size_t close = header.find(')', pos);
    if (close == std::string::npos) bad_header(path, "unterminated 'shape' tuple");
    std::size_t i = pos + 1;
    while (true) {
        i = skip_spaces(header, i);
        if (i >= close) break;
        std::size_t dim = 0;
        const auto [ptr, ec] = std::from_chars(header.data() + i, header.data() + close, dim);
        if (ec != std::errc() || dim > kMaxDimension) bad_header(path, "bad dimension in 'shape'");
        h.shape.push_back(static_cast<Index>(dim));
        i = static_cast<std::size_t>(ptr - header.data());
        if (i < close && header[i] == 'L') ++i;  // Python 2 long suffix
        i = skip_spaces(header, i);
        if (i < close && header[i] == ',') ++i;
        else if (i < close) bad_header(path, "unexpected character in 'shape'");
    }
    return h;
}

}  // namespace

std::string shape_text(const std::vector<Index>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() == 1) s += ",";
    return s + ")";
}

namespace {

std::string header_bytes(const std::string& descr, const std::vector<Index>& shape) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
    // Pad so that magic + version + length + dict + '\n' is a multiple of 64.
    const std::size_t prefix = kMagicSize + 2 + 2;
    std::size_t total = prefix + dict.size() + 1;
    const std::size_t padded = (total + 63) / 64 * 64;
    dict.append(padded - total, ' ');
    dict += '\n';
    std::string out(kMagic, kMagicSize);
    out += '\x01';
    out += '\x00';
    store(out, static_cast<std::uint16_t>(dict.size()));
    return out + dict;
}

std::string format_label(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

}  // namespace

std::size_t header_end(std::string_view prefix) {
    if (prefix.size() < kMagicSize + 4 || prefix.compare(0, kMagicSize, kMagic, kMagicSize) != 0) return 0;
    const auto major = static_cast<unsigned char>(prefix[kMagicSize]);
    if (major == 1) return kMagicSize + 4 + load<std::uint16_t>(prefix.data() + kMagicSize + 2);
    if ((major == 2 || major == 3) && prefix.size() >= kMagicSize + 6)
        return kMagicSize + 6 + std::size_t{load<std::uint32_t>(prefix.data() + kMagicSize + 2)};
    return 0;
}

Layout parse_layout(std::string_view bytes, std::size_t file_size, const std::string& path) {
    if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
        throw IoError(path + ": not an NPY file (bad magic string, expected \"\\x93NUMPY\"); save arrays with "
                             "numpy.save, or pass a CSV file instead");
    }
    const auto major = static_cast<unsigned char>(bytes[kMagicSize]);
    std::size_t header_len = 0, header_start = 0;
    if (major == 1) {
        header_len = load<std::uint16_t>(bytes.data() + kMagicSize + 2);
        header_start = kMagicSize + 4;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < kMagicSize + 6) throw IoError(path + ": truncated NPY header; re-save the file");
        header_len = load<std::uint32_t>(bytes.data() + kMagicSize + 2);
        header_start = kMagicSize + 6;
    } else {
        throw IoError(path + ": unsupported NPY format version " + std::to_string(major) +
                      "; save with numpy.save (versions 1, 2 and 3 are read)");
    }
    if (bytes.size() < header_start + header_len) {
        throw IoError(path + ": truncated NPY header (expected " + std::to_string(header_len) + " bytes, found " +
                      std::to_string(bytes.size() - header_start) + "); re-save the file");
    }
    const Header h = parse_header(path, std::string(bytes.substr(header_start, header_len)));
    Layout out;
    if (!parse_dtype(h.descr, out.dtype)) {
        throw IoError(path + ": unsupported NPY dtype '" + excerpt(h.descr, 40) +
                      "'; expected little-endian float32/64, int8-64, uint8-64 or bool "
                      "(convert with arr.astype('<f4'))");
    }
    const DType& t = out.dtype;
    std::size_t count = 1;
    for (Index d : h.shape) {
        const auto dim = static_cast<std::size_t>(d);
        if (dim != 0 && count > (std::numeric_limits<std::size_t>::max() / t.size) / dim) {
            throw IoError(path + ": NPY shape " + shape_text(h.shape) + " is too large; re-save the file");
        }
        count *= dim;
    }
    const std::size_t data_start = header_start + header_len;
    const std::size_t expected = count * t.size;
    const std::size_t found = file_size - data_start;
    if (found < expected) {
        throw IoError(path + ": truncated NPY data (shape " + shape_text(h.shape) + " of " + t.descr + " needs " +
                      std::to_string(expected) + " bytes, found " + std::to_string(found) +
                      "); the file was cut short: re-save or re-copy it");
    }
    if (found > expected) {
        throw IoError(path + ": " + std::to_string(found - expected) + " unexpected bytes after the NPY data (shape " +
                      shape_text(h.shape) + " of " + t.descr + "); the file is corrupt: re-save it");
    }
    out.shape = h.shape;
    out.fortran_order = h.fortran_order;
    out.data_offset = data_start;
    out.count = count;
    return out;
}

}  // namespace npy_detail

using namespace npy_detail;

NpyArray read_npy(const std::string& path) { return parse_npy(read_file_bytes(path), path); }

NpyArray parse_npy(std::string_view bytes, const std::string& path) {
    const Layout l = parse_layout(bytes, bytes.size(), path);
    NpyArray a;
    a.shape = l.shape;
    a.dtype = l.dtype.descr;
    a.data.resize(l.count);
    const char* p = bytes.data() + l.data_offset;
    const std::size_t size = l.dtype.size;
    if (!l.fortran_order || l.shape.size() < 2) {
        for (std::size_t i = 0; i < l.count; ++i, p += size) a.data[i] = decode(l.dtype, p);
        return a;
    }
    // Fortran order: the first index varies fastest in the file; write each element
    // at its C-order position (strides of the C layout, walked like an odometer).
    const std::size_t dims = l.shape.size();
    std::vector<std::size_t> stride(dims, 1), at(dims, 0);
    for (std::size_t k = dims - 1; k > 0; --k) stride[k - 1] = stride[k] * static_cast<std::size_t>(l.shape[k]);
    std::size_t c_index = 0;
    for (std::size_t i = 0; i < l.count; ++i, p += size) {
        a.data[c_index] = decode(l.dtype, p);
        for (std::size_t k = 0; k < dims; ++k) {
            c_index += stride[k];
            if (++at[k] < static_cast<std::size_t>(l.shape[k])) break;
            c_index -= stride[k] * at[k];
            at[k] = 0;
        }
    }
    return a;
}

void write_npy(const std::string& path, const NpyArray& array) {
    DType t{};
    if (!parse_dtype(array.dtype, t)) {
        throw ConfigError(path + ": cannot write NPY dtype '" + array.dtype +
                          "'; use <f4, <f8, <i1-<i8, <u1-<u8 or |b1");
    }
    std::size_t count = 1;
    for (Index d : array.shape) {
        if (d < 0) throw ShapeError(path + ": negative dimension in shape " + shape_text(array.shape));
        count *= static_cast<std::size_t>(d);
    }
    if (count != array.data.size()) {
        throw ShapeError(path + ": shape " + shape_text(array.shape) + " holds " + std::to_string(count) +
                         " values but data has " + std::to_string(array.data.size()) + "; make them agree");
    }
    std::string out = header_bytes(t.descr, array.shape);
    out.reserve(out.size() + count * t.size);
    for (std::size_t i = 0; i < count; ++i) {
        const double v = array.data[i];
        if ((t.kind == Kind::Int || t.kind == Kind::UInt) && !fits_integer(t, v)) {
            throw DataError(path + ": value " + format_label(v) + " at flat index " + std::to_string(i) +
                            " does not fit dtype " + t.descr + "; use a wider or floating dtype");
        }
        if (t.kind == Kind::Bool && v != 0 && v != 1) {
            throw DataError(path + ": value " + format_label(v) + " at flat index " + std::to_string(i) +
                            " is not 0 or 1 for dtype |b1; use a numeric dtype");
        }
        encode(out, t, v);
    }
    write_file_atomic(path, out);
}

void write_npy(const std::string& path, const Matrix& values) {
    NpyArray a;
    a.shape = {values.rows(), values.cols()};
    a.dtype = sizeof(Scalar) == 4 ? "<f4" : "<f8";
    a.data.assign(values.data(), values.data() + values.size());  // row-major = C order
    write_npy(path, a);
}

}  // namespace plexus
