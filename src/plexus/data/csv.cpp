// CSV reader; see csv.hpp for the rules (the tokenizer is in csv_fields.cpp,
// the writer in csv_writer.cpp).
#include "plexus/data/csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv_fields.hpp"

namespace plexus {
namespace {

using namespace csv_detail;

struct Row {
    std::size_t line = 0;             // 1-based line in the file
    std::vector<std::string> fields;  // trimmed, unquoted
};

// The file as rows of equal width, with its column names.
struct Table {
    std::vector<Row> rows;
    std::vector<std::string> columns;
    std::size_t width = 0;
    std::size_t first_data = 0;  // 1 with a header line, else 0
    bool has_header = false;
};

// What the target column holds, found while reading the features.
struct TargetScan {
    std::vector<double> numbers;  // the parsed target values (where numeric)
    bool all_numeric = true;
    bool all_integer = true;
};

constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
const char* scalar_name() { return sizeof(Scalar) == 4 ? "float" : "double"; }

std::string quote(const std::string& s) { return "\"" + s + "\""; }

bool is_integer(double v) { return std::isfinite(v) && v == std::floor(v); }

std::string format_number(double v) {
    if (is_integer(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string join_quoted(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote(n);
    return out;
}

std::string where(const std::string& path, const Row& r, std::size_t j) {
    return path + ":" + std::to_string(r.line) + ":" + std::to_string(j + 1) + ": ";
}

void check_options(const CsvOptions& options) {
    if (options.task != "auto" && options.task != "classification" && options.task != "regression") {
        throw ConfigError("CSV option task = " + quote(options.task) +
                          " is invalid; use \"classification\", \"regression\" or \"auto\"");
    }
    if (options.task == "regression" && !options.class_names.empty()) {
        throw ConfigError("CSV options conflict: task \"regression\" with " +
                          std::to_string(options.class_names.size()) +
                          " class names; class names imply classification (drop one of them)");
    }
    if (options.delimiter && *options.delimiter != ',' && *options.delimiter != ';' && *options.delimiter != '\t') {
        throw ConfigError("CSV option delimiter = '" + std::string(1, *options.delimiter) +
                          "' is not supported; use ',', ';' or tab");
    }
}

// The non-blank lines of `content` with their 1-based numbers (BOM and CR dropped).
std::vector<std::pair<std::size_t, std::string_view>> non_blank_lines(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    std::vector<std::pair<std::size_t, std::string_view>> lines;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        lines.emplace_back(line_no, line);
    }
    return lines;
}

// Splits the lines into rows and checks that they all have the first row's width (>= 2).
std::vector<Row> split_rows(const std::string& path, const std::vector<std::pair<std::size_t, std::string_view>>& lines,
                            char delimiter) {
    std::vector<Row> rows;
    rows.reserve(lines.size());
    for (const auto& [no, line] : lines) rows.push_back({no, split_fields(path, no, line, delimiter)});
    const std::size_t width = rows.front().fields.size();
    if (width < 2) {
        throw DataError(path + ":" + std::to_string(rows.front().line) + ": found a single column (delimiter " +
                        delimiter_name(delimiter) +
                        "); expected feature columns and a target column (check the delimiter)");
    }
    for (const Row& r : rows) {
        if (r.fields.size() != width) {
            throw DataError(path + ":" + std::to_string(r.line) + ": row has " + std::to_string(r.fields.size()) +
                            " fields, expected " + std::to_string(width) + " (as on line " +
                            std::to_string(rows.front().line) + "); fix the row or check the delimiter " +
                            delimiter_name(delimiter));
        }
    }
    return rows;
}

// Header auto-detection (csv.hpp): a text cell above a numeric one, or all cells text.
bool looks_like_header(const std::vector<Row>& rows) {
    double v = 0;
    const auto& first = rows.front().fields;
    // Empty cells are no evidence either way (pandas writes an empty index name).
    bool any_text = false, any_number = false, text_over_number = false;
    for (std::size_t j = 0; j < first.size(); ++j) {
        if (first[j].empty()) continue;
        if (parse_number(first[j], v)) {
            any_number = true;
        } else {
            any_text = true;
            if (rows.size() > 1 && parse_number(rows[1].fields[j], v)) text_over_number = true;
        }
    }
    const bool all_text = any_text && !any_number;
    return all_text || text_over_number;
}

Table read_table(const std::string& path, const CsvOptions& options) {
    const std::string content = read_file_bytes(path);
    const auto lines = non_blank_lines(content);
    if (lines.empty()) {
        throw DataError(path + ": file is empty (no rows); expected a header line and rows of comma-separated "
                               "values");
    }
    const char delimiter = options.delimiter.value_or(detect_delimiter(lines.front().second));
    Table t;
    t.rows = split_rows(path, lines, delimiter);
    t.width = t.rows.front().fields.size();
    t.has_header = options.header ? *options.header : looks_like_header(t.rows);
    t.columns.resize(t.width);
    for (std::size_t j = 0; j < t.width; ++j) {
        const std::string& name = t.rows.front().fields[j];
        t.columns[j] = t.has_header && !name.empty() ? name : "x" + std::to_string(j + 1);
    }
    t.first_data = t.has_header ? 1 : 0;
    if (t.rows.size() <= t.first_data) {
        throw DataError(path + ": no data rows after the header on line " + std::to_string(t.rows.front().line) +
                        "; add at least one row of values");
    }
    return t;
}

// The target column's index: a header name, else a 0-based index; default the last.
std::size_t find_target(const std::string& path, const Table& t, const std::string& target) {
    if (target.empty()) return t.width - 1;
    const auto it = std::find(t.columns.begin(), t.columns.end(), target);
    if (it != t.columns.end()) return static_cast<std::size_t>(it - t.columns.begin());
    const bool digits = std::all_of(target.begin(), target.end(), [](unsigned char c) { return std::isdigit(c); });
    std::size_t index = t.width;
    if (digits && target.size() < 10) index = std::stoul(target);
    if (index >= t.width) {
        throw ConfigError(path + ": target column " + quote(target) + " not found; columns are " +
                          join_quoted(t.columns) + "; set target to one of these names or to a 0-based index 0.." +
                          std::to_string(t.width - 1));
    }
    return index;
}

// One feature cell as a Scalar; DataError for missing, text, NaN/Inf or out-of-range values.
Scalar feature_value(const std::string& path, const Table& t, const Row& r, std::size_t j) {
    const std::string& cell = r.fields[j];
    double v = 0;
    if (!parse_number(cell, v)) {
        if (is_missing_marker(cell)) {
            throw DataError(where(path, r, j) + "missing feature value " + quote(cell) + " in column " +
                            quote(t.columns[j]) + "; remove or impute the row");
        }
        throw DataError(where(path, r, j) + "non-numeric feature value " + quote(cell) + " in column " +
                        quote(t.columns[j]) + "; features must be numbers (encode categories as numbers first)");
    }
    if (std::isnan(v) || std::isinf(v)) {
        throw DataError(where(path, r, j) + (std::isnan(v) ? "NaN" : "Inf") + " feature value " + quote(cell) +
                        " in column " + quote(t.columns[j]) + "; features must be finite: remove or impute the row");
    }
    if (std::abs(v) > kScalarMax) {
        throw DataError(where(path, r, j) + "feature value " + quote(cell) + " in column " + quote(t.columns[j]) +
                        " is too large for " + scalar_name() + "; rescale the column");
    }
    return static_cast<Scalar>(v);
}

// Fills d.x row by row and scans the target column (DataError for a missing target).
TargetScan read_features(const std::string& path, const Table& t, std::size_t target, Dataset& d) {
    const auto n = static_cast<Index>(t.rows.size() - t.first_data);
    d.x.resize(n, static_cast<Index>(t.width - 1));
    for (std::size_t j = 0; j < t.width; ++j) {
        if (j != target) d.feature_names.push_back(t.columns[j]);
    }
    TargetScan scan;
    scan.numbers.resize(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        const Row& r = t.rows[t.first_data + static_cast<std::size_t>(i)];
        Index col = 0;
        for (std::size_t j = 0; j < t.width; ++j) {
            if (j != target) {
                d.x(i, col++) = feature_value(path, t, r, j);
                continue;
            }
            const std::string& cell = r.fields[j];
            double v = 0;
            const bool numeric = parse_number(cell, v);
            if (is_missing_target(cell) || (numeric && std::isnan(v))) {
                throw DataError(where(path, r, j) + "missing target value " + quote(cell) + " in column " +
                                quote(t.columns[j]) + "; remove the row or fill in its target");
            }
            scan.numbers[static_cast<std::size_t>(i)] = v;
            scan.all_numeric = scan.all_numeric && numeric;
            scan.all_integer = scan.all_integer && numeric && is_integer(v);
        }
    }
    return scan;
}

bool is_classification(const CsvOptions& options, const TargetScan& scan) {
    if (!options.class_names.empty() || options.task == "classification") return true;
    if (options.task != "auto") return false;
    if (!scan.all_numeric) return true;
    if (!scan.all_integer) return false;
    std::vector<double> distinct(scan.numbers);
    std::sort(distinct.begin(), distinct.end());
    const auto count = static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
    return count <= kMaxAutoClasses;
}

void read_regression_targets(const std::string& path, const Table& t, std::size_t target, Dataset& d) {
    for (Index i = 0; i < d.y.rows(); ++i) {
        const Row& r = t.rows[t.first_data + static_cast<std::size_t>(i)];
        const std::string& cell = r.fields[target];
        double v = 0;
        if (!parse_number(cell, v)) {
            throw DataError(where(path, r, target) + "non-numeric target value " + quote(cell) + " in column " +
                            quote(t.columns[target]) +
                            "; regression targets must be numbers (use task classification for labels)");
        }
        if (!std::isfinite(v) || std::abs(v) > kScalarMax) {
            throw DataError(where(path, r, target) + "target value " + quote(cell) + " in column " +
                            quote(t.columns[target]) + " is not a finite " + scalar_name() + "; remove or fix the row");
        }
        d.y(i, 0) = static_cast<Scalar>(v);
    }
}

// Labels mapped onto given class names: by equal name, or numerically ("1.0" matches "1").
void map_known_classes(const std::string& path, const Table& t, std::size_t target, const CsvOptions& options,
                       TargetScan& scan, Dataset& d) {
    d.class_names = options.class_names;
    std::map<std::string, int> by_name;
    std::vector<std::pair<double, int>> by_value;
    for (std::size_t k = 0; k < d.class_names.size(); ++k) {
        by_name.emplace(d.class_names[k], static_cast<int>(k));
        double v = 0;
        if (parse_number(d.class_names[k], v)) by_value.emplace_back(v, static_cast<int>(k));
    }
    for (Index i = 0; i < d.y.rows(); ++i) {
        const Row& r = t.rows[t.first_data + static_cast<std::size_t>(i)];
        const std::string& cell = r.fields[target];
        double& number = scan.numbers[static_cast<std::size_t>(i)];
        int index = -1;
        if (const auto it = by_name.find(cell); it != by_name.end()) {
            index = it->second;
        } else if (scan.all_numeric || parse_number(cell, number)) {
            for (const auto& [v, k] : by_value) {
                if (v == number) index = k;
            }
        }
        if (index < 0) {
            throw DataError(where(path, r, target) + "unknown class label " + quote(cell) + " in column " +
                            quote(t.columns[target]) + "; the known labels are " + join_quoted(d.class_names) +
                            " (relabel or drop the row)");
        }
        d.y(i, 0) = static_cast<Scalar>(index);
    }
}

// Classes found in the data, sorted numerically if all numeric, else by bytes.
void map_found_classes(const std::string& path, const Table& t, std::size_t target, const TargetScan& scan,
                       Dataset& d) {
    const auto n = d.y.rows();
    auto label_text = [&](Index i) -> const std::string& {
        return t.rows[t.first_data + static_cast<std::size_t>(i)].fields[target];
    };
    if (scan.all_numeric) {
        std::map<double, int> index;
        for (double v : scan.numbers) index.emplace(v, 0);
        int k = 0;
        for (auto& [v, idx] : index) {
            idx = k++;
            d.class_names.push_back(format_number(v));
        }
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(index.at(scan.numbers[static_cast<std::size_t>(i)]));
    } else {
        std::map<std::string, int> index;
        for (Index i = 0; i < n; ++i) index.emplace(label_text(i), 0);
        int k = 0;
        for (auto& [name, idx] : index) {
            idx = k++;
            d.class_names.push_back(name);
        }
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(index.at(label_text(i)));
    }
    if (d.class_names.size() < 2) {
        throw DataError(path + ": only one class '" + d.class_names.front() + "' in column " +
                        quote(t.columns[target]) +
                        "; a classifier needs at least two (check the target column, or set task to regression)");
    }
}

}  // namespace

Dataset read_csv(const std::string& path, const CsvOptions& options) {
    check_options(options);
    const Table t = read_table(path, options);
    const std::size_t target = find_target(path, t, options.target);
    Dataset d;
    d.source = path;
    TargetScan scan = read_features(path, t, target, d);
    const bool classification = is_classification(options, scan);
    d.target_name = t.has_header ? t.columns[target] : (classification ? "label" : "target");
    d.y.resize(d.x.rows(), 1);
    if (!classification) read_regression_targets(path, t, target, d);
    else if (!options.class_names.empty()) map_known_classes(path, t, target, options, scan, d);
    else map_found_classes(path, t, target, scan, d);
    return d;
}

}  // namespace plexus
