// NPY reader/writer; see npy.hpp.
#include "plexus/data/npy.hpp"
#include "plexus/data/task_rule.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <charconv>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv.hpp"

namespace plexus {
namespace {

static_assert(std::endian::native == std::endian::little, "the NPY code assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kMaxDimension = std::size_t{1} << 40;

enum class Kind { Float, Int, UInt, Bool };

struct DType {
    Kind kind;
    std::size_t size;
    std::string descr;  // normalised
};

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

std::string shape_text(const std::vector<Index>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() == 1) s += ",";
    return s + ")";
}

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

NpyArray read_npy(const std::string& path) { return parse_npy(read_file_bytes(path), path); }

NpyArray parse_npy(std::string_view bytes, const std::string& path) {
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
    if (h.fortran_order) {
        throw IoError(path + ": array is in Fortran (column-major) order; save it with "
                             "np.save(path, np.ascontiguousarray(arr))");
    }
    DType t{};
    if (!parse_dtype(h.descr, t)) {
        throw IoError(path + ": unsupported NPY dtype '" + excerpt(h.descr, 40) +
                      "'; expected little-endian float32/64, int8-64, uint8-64 or bool "
                      "(convert with arr.astype('<f4'))");
    }
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
    const std::size_t found = bytes.size() - data_start;
    if (found < expected) {
        throw IoError(path + ": truncated NPY data (shape " + shape_text(h.shape) + " of " + t.descr + " needs " +
                      std::to_string(expected) + " bytes, found " + std::to_string(found) +
                      "); the file was cut short: re-save or re-copy it");
    }
    if (found > expected) {
        throw IoError(path + ": " + std::to_string(found - expected) + " unexpected bytes after the NPY data (shape " +
                      shape_text(h.shape) + " of " + t.descr + "); the file is corrupt: re-save it");
    }
    NpyArray a;
    a.shape = h.shape;
    a.dtype = t.descr;
    a.data.resize(count);
    const char* p = bytes.data() + data_start;
    for (std::size_t i = 0; i < count; ++i, p += t.size) a.data[i] = decode(t, p);
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

Dataset read_npy_dataset(const std::string& x_path, const std::string& y_path, const std::string& task,
                         const std::vector<std::string>& class_names) {
    if (task != "auto" && task != "classification" && task != "regression") {
        throw ConfigError("NPY dataset option task = \"" + task +
                          "\" is invalid; use \"classification\", \"regression\" or \"auto\"");
    }
    if (task == "regression" && !class_names.empty()) {
        throw ConfigError("NPY dataset options conflict: task \"regression\" with " +
                          std::to_string(class_names.size()) +
                          " class names; class names imply classification (drop one of them)");
    }
    const NpyArray x = read_npy(x_path);
    const NpyArray y = read_npy(y_path);
    if (x.shape.size() != 2) {
        throw DataError(x_path + ": expected a 2-D feature array (samples, features), received shape " +
                        shape_text(x.shape) + "; reshape it, e.g. x.reshape(len(x), -1)");
    }
    const Index n = x.shape[0], features = x.shape[1];
    if (y.shape.size() != 1 && !(y.shape.size() == 2 && y.shape[1] == 1)) {
        throw DataError(y_path + ": expected targets of shape (n,) or (n, 1), received shape " + shape_text(y.shape) +
                        "; pass class indices or one target value per row (not one-hot)");
    }
    if (y.shape[0] != n) {
        throw DataError(y_path + ": has " + std::to_string(y.shape[0]) + " rows but " + x_path + " has " +
                        std::to_string(n) + "; give one target per feature row");
    }
    if (features < 1 || n < 1) {
        throw DataError(x_path + ": shape " + shape_text(x.shape) +
                        " has no samples or no features; expected at least one of each");
    }
    constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
    const char* scalar_name = sizeof(Scalar) == 4 ? "float" : "double";

    Dataset d;
    d.source = x_path;
    d.x.resize(n, features);
    for (std::size_t i = 0; i < x.data.size(); ++i) {
        const double v = x.data[i];
        if (!std::isfinite(v) || std::abs(v) > kScalarMax) {
            const auto row = static_cast<Index>(i) / features, col = static_cast<Index>(i) % features;
            throw DataError(x_path + ": " + (std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "a value too large for " + std::string(scalar_name)) +
                            " at flat index " + std::to_string(i) + " (row " + std::to_string(row) + ", column " +
                            std::to_string(col) + "); features must be finite: remove or impute the row");
        }
        d.x.data()[i] = static_cast<Scalar>(v);
    }
    for (Index j = 0; j < features; ++j) d.feature_names.push_back("x" + std::to_string(j + 1));

    bool all_integer = true;
    for (std::size_t i = 0; i < y.data.size(); ++i) {
        const double v = y.data[i];
        if (!std::isfinite(v) || std::abs(v) > kScalarMax) {
            throw DataError(y_path + ": " + (std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "a value too large for " + std::string(scalar_name)) +
                            " at flat index " + std::to_string(i) + " (row " + std::to_string(i) +
                            ", column 0); targets must be finite: remove or fix the row");
        }
        all_integer = all_integer && v == std::floor(v);
    }
    std::map<double, int> distinct;
    for (double v : y.data) distinct.emplace(v, 0);
    // --task auto: task_rule.hpp (an ambiguous integer target is refused).
    const TaskDecision guess = task == "auto" && class_names.empty() ? guess_task(y.data, kMaxAutoClasses) : TaskDecision{};
    if (guess.guess == TaskGuess::ambiguous) throw DataError(ambiguous_task_message(y_path + ": ", "(the targets)", guess));
    const bool classification = !class_names.empty() || task == "classification" ||
                                (task == "auto" && all_integer && guess.guess == TaskGuess::classification);
    d.y.resize(n, 1);
    if (!classification) {
        d.target_name = "target";
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(y.data[static_cast<std::size_t>(i)]);
        return d;
    }
    d.target_name = "label";

    if (!class_names.empty()) {
        d.class_names = class_names;
        std::vector<std::pair<double, int>> by_value;
        for (std::size_t k = 0; k < class_names.size(); ++k) {
            double v = 0;
            const std::string& s = class_names[k];
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec == std::errc() && ptr == s.data() + s.size()) by_value.emplace_back(v, static_cast<int>(k));
        }
        const bool as_index = by_value.empty();
        for (Index i = 0; i < n; ++i) {
            const double v = y.data[static_cast<std::size_t>(i)];
            int index = -1;
            if (as_index) {
                if (v == std::floor(v) && v >= 0 && v < static_cast<double>(class_names.size())) index = static_cast<int>(v);
            } else {
                for (const auto& [value, k] : by_value) {
                    if (value == v) index = k;
                }
            }
            if (index < 0) {
                std::string known;
                for (const auto& s : class_names) known += (known.empty() ? "\"" : ", \"") + s + "\"";
                throw DataError(y_path + ": unknown class label " + format_label(v) + " at row " + std::to_string(i) +
                                "; the known labels are " + known +
                                (as_index ? " (labels are read as class indices 0.." +
                                                std::to_string(class_names.size() - 1) + ")"
                                          : "") +
                                "; relabel or drop the row");
            }
            d.y(i, 0) = static_cast<Scalar>(index);
        }
        return d;
    }

    int k = 0;
    for (auto& [v, idx] : distinct) {
        idx = k++;
        d.class_names.push_back(format_label(v));
    }
    if (d.class_names.size() < 2) {
        throw DataError(y_path + ": only one class '" + d.class_names.front() +
                        "' in the targets; a classifier needs at least two (check the file, or use task regression)");
    }
    for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(distinct.at(y.data[static_cast<std::size_t>(i)]));
    return d;
}

}  // namespace plexus
