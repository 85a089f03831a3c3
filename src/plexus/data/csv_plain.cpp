// read_csv's one-pass reader for plain numeric tables (see csv_parse.hpp).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>

#include "plexus/core/text.hpp"
#include "plexus/data/csv_fields.hpp"
#include "plexus/data/csv_parse.hpp"

namespace plexus::csv_detail {
namespace {

// Walks the non-blank lines of the text (LF or CRLF) as split_rows does, without copying.
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : rest_(text) {}
    // The next non-blank line (CR removed); false at the end.
    bool next(std::string_view& line) {
        while (!rest_.empty()) {
            const char* nl = static_cast<const char*>(std::memchr(rest_.data(), '\n', rest_.size()));
            const std::size_t len = nl == nullptr ? rest_.size() : static_cast<std::size_t>(nl - rest_.data());
            line = rest_.substr(0, len);
            rest_.remove_prefix(nl == nullptr ? len : len + 1);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.find_first_not_of(" \t\r") != std::string_view::npos) return true;
        }
        return false;
    }
    // The text from the next line on.
    std::string_view rest() const { return rest_; }

private:
    std::string_view rest_;
};

// A plain decimal at p ("-12.375": an optional minus, digits, optionally a point and
// digits; at most 19 digits, no exponent) as std::from_chars reads it, or nullptr for
// anything else. Exact by Clinger's fast path: the digits as an integer up to 2^53 and
// a power of ten up to 1e22 are both doubles, so one division rounds correctly.
const char* plain_decimal(const char* p, const char* end, double& out) {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t m = 0;
    const char* const first = p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    if (p == first) return nullptr;
    std::ptrdiff_t fraction = 0;
    if (p < end && *p == '.') {
        const char* const point = ++p;
        while (p < end && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
        fraction = p - point;
        if (fraction == 0) return nullptr;
    }
    if (p - first - (fraction > 0 ? 1 : 0) > 19 || m > (std::uint64_t{1} << 53)) return nullptr;
    const double v = static_cast<double>(m) / kPow10[fraction];
    out = negative ? -v : v;
    return p;
}

// One plain row parsed into x's row `i` and the target cells; false if the row is not plain.
class RowParser {
public:
    RowParser(char delimiter, std::size_t width, std::size_t target, Matrix& x, std::vector<double>& numbers,
              std::vector<std::string_view>& labels, TargetCells& cells)
        : delimiter_(delimiter), width_(width), target_(target), x_(x), numbers_(numbers), labels_(labels),
          cells_(cells) {}

    bool parse(std::string_view line, Index i) {
        const char* p = line.data();
        const char* const end = p + line.size();
        Scalar* out = x_.data() + i * x_.cols();
        for (std::size_t j = 0; j < width_; ++j) {
            while (p < end && is_space(*p)) ++p;
            if (j != target_) {
                // The common cell: a plain decimal, read where it stands.
                double v = 0;
                if (const char* q = plain_decimal(p, end, v)) {
                    while (q < end && is_space(*q)) ++q;
                    if (q == end || *q == delimiter_) {
                        if ((q == end) != (j + 1 == width_)) return false;  // too few or too many fields
                        *out++ = static_cast<Scalar>(v);  // below 1e19: within float's range
                        p = q + 1;
                        continue;
                    }
                }
            }
            // Any other cell: up to the delimiter (the last: up to the line's end), trimmed as split_fields trims.
            const char* const start = p;
            while (p < end && *p != delimiter_) {
                if (*p == '"') return false;
                ++p;
            }
            if ((p == end) != (j + 1 == width_)) return false;
            const char* stop = p;
            while (stop > start && is_space(stop[-1])) --stop;
            const std::string_view cell(start, static_cast<std::size_t>(stop - start));
            ++p;  // past the delimiter
            if (j == target_) {
                if (!target_cell(cell, i)) return false;
            } else {
                double v = 0;
                if (!parse_number(cell, v) || !std::isfinite(v) || std::abs(v) > kScalarMax) return false;
                *out++ = static_cast<Scalar>(v);
            }
        }
        return true;
    }

private:
    static constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());

    bool is_space(char c) const { return c == ' ' || (c == '\t' && delimiter_ != '\t'); }

    bool target_cell(std::string_view cell, Index i) {
        double v = 0;
        const bool numeric = parse_number(cell, v);
        if (is_missing_target(cell) || (numeric && std::isnan(v))) return false;
        if (!numeric && find_invalid_utf8(cell)) return false;  // a number is ASCII
        numbers_[static_cast<std::size_t>(i)] = v;
        labels_[static_cast<std::size_t>(i)] = cell;
        cells_.all_numeric = cells_.all_numeric && numeric;
        cells_.all_integer = cells_.all_integer && numeric && std::isfinite(v) && v == std::floor(v);
        return true;
    }

    char delimiter_;
    std::size_t width_, target_;
    Matrix& x_;
    std::vector<double>& numbers_;
    std::vector<std::string_view>& labels_;
    TargetCells& cells_;
};

// The first row, split; nullopt if it is not plain (quotes, invalid UTF-8, a single column,
// duplicate header names are the general reader's to report).
std::optional<std::vector<std::string>> plain_fields(std::string_view line, char delimiter) {
    if (line.find('"') != std::string_view::npos) return std::nullopt;
    std::vector<std::string> fields = split_fields("", 0, line, delimiter);
    for (const auto& f : fields)
        if (find_invalid_utf8(f)) return std::nullopt;
    return fields;
}

std::size_t count_lines(std::string_view text) {
    std::size_t n = 1;
    for (const char* p = text.data(), *end = p + text.size();
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; ++p)
        ++n;
    return n;
}

}  // namespace

std::optional<Dataset> parse_plain_csv(std::string_view text, const std::string& path, const CsvOptions& options) {
    const std::string_view whole = text;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    LineCursor lines(text);
    std::string_view first_line, second_line;
    if (!lines.next(first_line)) return std::nullopt;
    const std::string_view after_first = lines.rest();
    const char delimiter = options.delimiter.value_or(detect_delimiter(first_line));
    const auto first = plain_fields(first_line, delimiter);
    if (!first || first->size() < 2) return std::nullopt;
    std::optional<std::vector<std::string>> second;
    if (lines.next(second_line)) {
        second = plain_fields(second_line, delimiter);
        if (!second || second->size() != first->size()) return std::nullopt;
    }
    const bool has_header = options.header.value_or(looks_like_header(*first, second ? &*second : nullptr));
    const std::vector<std::string> columns = column_names(*first, has_header);
    if (std::set<std::string>(columns.begin(), columns.end()).size() != columns.size()) return std::nullopt;
    const std::optional<std::size_t> target = find_target(columns, options.target);
    if (!target) return std::nullopt;

    // Rows: at most one per remaining line, so x is allocated once and trimmed at the end.
    LineCursor data(has_header ? after_first : text);
    const std::size_t width = columns.size();
    const std::size_t capacity = count_lines(data.rest());
    Dataset d;
    d.source = path;
    d.x.resize(static_cast<Index>(capacity), static_cast<Index>(width - 1));
    TargetCells cells;
    cells.numbers.resize(capacity);
    std::vector<std::string_view> labels(capacity);
    RowParser parser(delimiter, width, *target, d.x, cells.numbers, labels, cells);
    Index n = 0;
    for (std::string_view line; data.next(line); ++n)
        if (!parser.parse(line, n)) return std::nullopt;
    if (n == 0) return std::nullopt;
    d.x.conservativeResize(n, d.x.cols());
    cells.numbers.resize(static_cast<std::size_t>(n));
    labels.resize(static_cast<std::size_t>(n));

    for (std::size_t j = 0; j < width; ++j)
        if (j != *target) d.feature_names.push_back(columns[j]);
    cells.text = [&](Index i) { return labels[static_cast<std::size_t>(i)]; };
    cells.where = [&](Index i) {  // the line number is counted only for a message
        const std::string_view cell = labels[static_cast<std::size_t>(i)];
        const auto before = static_cast<std::size_t>(cell.data() - whole.data());
        return path + ":" + std::to_string(count_lines(whole.substr(0, before))) + ":" + std::to_string(*target + 1) +
               ": ";
    };
    fill_target(d, path, columns[*target], has_header, options, cells);
    return d;
}

}  // namespace plexus::csv_detail
