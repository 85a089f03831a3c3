// CSV reader and writer; see csv.hpp for the rules.
#include "plexus/data/csv.hpp"
#include "plexus/data/task_rule.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/file_text.hpp"
#include "plexus/data/csv_fields.hpp"
#include "plexus/data/csv_parse.hpp"

namespace plexus {
namespace {

struct Row {
    std::size_t line = 0;             // 1-based line in the file
    std::vector<std::string> fields;  // trimmed, unquoted
};

std::string quote(const std::string& s) { return "\"" + excerpt(s, 60) + "\""; }

// The tokenizer (delimiter, fields, numbers, missing markers) is csv_fields'.
using csv_detail::delimiter_name;
using csv_detail::detect_delimiter;
using csv_detail::is_missing_marker;
using csv_detail::is_missing_target;
using csv_detail::parse_number;
using csv_detail::split_fields;

bool is_integer(double v) { return std::isfinite(v) && v == std::floor(v); }

std::string format_number(double v) {
    if (is_integer(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

template <typename T>
std::string shortest(T v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string join_quoted(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote(n);
    return out;
}

// Every cell must be UTF-8: names and labels end up in JSON (model files, reports).
void check_utf8(const std::string& path, const Row& r) {
    for (std::size_t j = 0; j < r.fields.size(); ++j)
        if (const auto bad = find_invalid_utf8(r.fields[j]))
            throw DataError(path + ":" + std::to_string(r.line) + ":" + std::to_string(j + 1) + ": invalid UTF-8 (byte 0x" +
                            excerpt(r.fields[j].substr(*bad, 1)).substr(2) + " at byte " + std::to_string(*bad + 1) +
                            " of the field \"" + excerpt(r.fields[j], 40) + "\"); fix: save the file as UTF-8");
}

void check_unique_columns(const std::string& path, std::size_t line, const std::vector<std::string>& columns) {
    std::map<std::string, std::size_t> seen;
    for (std::size_t j = 0; j < columns.size(); ++j)
        if (const auto [it, fresh] = seen.emplace(columns[j], j); !fresh)
            throw DataError(path + ":" + std::to_string(line) + ":" + std::to_string(j + 1) + ": duplicate column name " +
                            quote(columns[j]) + " (columns " + std::to_string(it->second + 1) + " and " + std::to_string(j + 1) +
                            "); fix: rename one of them");
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

// The steps of the general reader: non-blank lines with their 1-based numbers, split into fields.
std::vector<Row> split_rows(std::string_view text, const std::string& path, const CsvOptions& options, char& delimiter) {
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
    if (lines.empty()) {
        throw DataError(path + ": file is empty (no rows); expected a header line and rows of comma-separated "
                               "values");
    }
    delimiter = options.delimiter.value_or(detect_delimiter(lines.front().second));
    std::vector<Row> rows;
    rows.reserve(lines.size());
    for (const auto& [no, line] : lines) rows.push_back({no, split_fields(path, no, line, delimiter)});
    return rows;
}

void check_widths(const std::string& path, const std::vector<Row>& rows, char delimiter) {
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
}

// One feature cell as a Scalar: a finite number within range, else the DataError naming it.
Scalar feature_value(const std::string& where, const std::string& cell, const std::string& column) {
    constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
    double v = 0;
    if (!parse_number(cell, v)) {
        if (is_missing_marker(cell)) {
            throw DataError(where + "missing feature value " + quote(cell) + " in column " + quote(column) +
                            "; remove or impute the row");
        }
        throw DataError(where + "non-numeric feature value " + quote(cell) + " in column " + quote(column) +
                        "; features must be numbers (encode categories as numbers first)");
    }
    if (std::isnan(v) || std::isinf(v)) {
        throw DataError(where + (std::isnan(v) ? "NaN" : "Inf") + " feature value " + quote(cell) + " in column " +
                        quote(column) + "; features must be finite: remove or impute the row");
    }
    if (std::abs(v) > kScalarMax) {
        throw DataError(where + "feature value " + quote(cell) + " in column " + quote(column) + " is too large for " +
                        (sizeof(Scalar) == 4 ? "float" : "double") + "; rescale the column");
    }
    return static_cast<Scalar>(v);
}

// The general reader, after the options were checked; `path` names the source in messages.
Dataset parse_csv(std::string_view text, const std::string& path, const CsvOptions& options) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    char delimiter = ',';
    const std::vector<Row> rows = split_rows(text, path, options, delimiter);
    for (const Row& r : rows) check_utf8(path, r);
    check_widths(path, rows, delimiter);
    const std::size_t width = rows.front().fields.size();

    const bool has_header = options.header.value_or(
        csv_detail::looks_like_header(rows.front().fields, rows.size() > 1 ? &rows[1].fields : nullptr));
    const std::vector<std::string> columns = csv_detail::column_names(rows.front().fields, has_header);
    if (has_header) check_unique_columns(path, rows.front().line, columns);
    const std::size_t first_data = has_header ? 1 : 0;
    if (rows.size() <= first_data) {
        throw DataError(path + ": no data rows after the header on line " + std::to_string(rows.front().line) +
                        "; add at least one row of values");
    }
    const std::optional<std::size_t> found = csv_detail::find_target(columns, options.target);
    if (!found) {
        throw ConfigError(path + ": target column " + quote(options.target) + " not found; columns are " +
                          join_quoted(columns) + "; set target to one of these names or to a 0-based index 0.." +
                          std::to_string(width - 1));
    }
    const std::size_t target = *found;

    Dataset d;
    d.source = path;
    const auto n = static_cast<Index>(rows.size() - first_data);
    d.x.resize(n, static_cast<Index>(width - 1));
    for (std::size_t j = 0; j < width; ++j) {
        if (j != target) d.feature_names.push_back(columns[j]);
    }
    auto row = [&](Index i) -> const Row& { return rows[first_data + static_cast<std::size_t>(i)]; };
    auto where = [&](const Row& r, std::size_t j) {
        return path + ":" + std::to_string(r.line) + ":" + std::to_string(j + 1) + ": ";
    };

    csv_detail::TargetCells cells;
    cells.numbers.resize(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        const Row& r = row(i);
        Index col = 0;
        for (std::size_t j = 0; j < width; ++j) {
            const std::string& cell = r.fields[j];
            if (j != target) {
                d.x(i, col++) = feature_value(where(r, j), cell, columns[j]);
                continue;
            }
            double v = 0;
            const bool numeric = parse_number(cell, v);
            if (is_missing_target(cell) || (numeric && std::isnan(v))) {
                throw DataError(where(r, j) + "missing target value " + quote(cell) + " in column " +
                                quote(columns[j]) + "; remove the row or fill in its target");
            }
            cells.numbers[static_cast<std::size_t>(i)] = v;
            cells.all_numeric = cells.all_numeric && numeric;
            cells.all_integer = cells.all_integer && numeric && is_integer(v);
        }
    }
    cells.text = [&](Index i) -> std::string_view { return row(i).fields[target]; };
    cells.where = [&](Index i) { return where(row(i), target); };
    csv_detail::fill_target(d, path, columns[target], has_header, options, cells);
    return d;
}

// Regression: every target cell a finite number within Scalar's range.
void regression_target(Dataset& d, const std::string& column, const csv_detail::TargetCells& cells) {
    constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
    for (Index i = 0; i < d.y.rows(); ++i) {
        const std::string_view cell = cells.text(i);
        double v = 0;
        if (!parse_number(cell, v)) {
            throw DataError(cells.where(i) + "non-numeric target value " + quote(std::string(cell)) + " in column " +
                            quote(column) + "; regression targets must be numbers (use task classification for labels)");
        }
        if (!std::isfinite(v) || std::abs(v) > kScalarMax) {
            throw DataError(cells.where(i) + "target value " + quote(std::string(cell)) + " in column " + quote(column) +
                            " is not a finite " + (sizeof(Scalar) == 4 ? "float" : "double") + "; remove or fix the row");
        }
        d.y(i, 0) = static_cast<Scalar>(v);
    }
}

// Classification with the classes given (a loaded model's): each label mapped to the
// equal name, or for numbers to the numerically equal name ("1.0" matches "1").
void known_classes(Dataset& d, const std::string& column, const std::vector<std::string>& class_names,
                   csv_detail::TargetCells& cells) {
    d.class_names = class_names;
    std::map<std::string, int, std::less<>> by_name;
    std::vector<std::pair<double, int>> by_value;
    for (std::size_t k = 0; k < d.class_names.size(); ++k) {
        by_name.emplace(d.class_names[k], static_cast<int>(k));
        double v = 0;
        if (parse_number(d.class_names[k], v)) by_value.emplace_back(v, static_cast<int>(k));
    }
    for (Index i = 0; i < d.y.rows(); ++i) {
        const std::string_view cell = cells.text(i);
        double& number = cells.numbers[static_cast<std::size_t>(i)];
        int index = -1;
        if (const auto it = by_name.find(cell); it != by_name.end()) {
            index = it->second;
        } else if (cells.all_numeric || parse_number(cell, number)) {
            for (const auto& [v, k] : by_value) {
                if (v == number) index = k;
            }
        }
        if (index < 0) {
            throw DataError(cells.where(i) + "unknown class label " + quote(std::string(cell)) + " in column " +
                            quote(column) + "; the known labels are " + join_quoted(d.class_names) +
                            " (relabel or drop the row)");
        }
        d.y(i, 0) = static_cast<Scalar>(index);
    }
}

// Classification with the classes found: sorted numerically if every label is a
// number (names written as integers), else by bytes; at least two.
void found_classes(Dataset& d, const std::string& path, const std::string& column, const csv_detail::TargetCells& cells) {
    const Index n = d.y.rows();
    if (cells.all_numeric) {
        std::map<double, int> index;
        for (double v : cells.numbers) index.emplace(v, 0);
        int k = 0;
        for (auto& [v, idx] : index) {
            idx = k++;
            d.class_names.push_back(format_number(v));
        }
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(index.at(cells.numbers[static_cast<std::size_t>(i)]));
    } else {
        std::map<std::string, int, std::less<>> index;
        for (Index i = 0; i < n; ++i) {
            const std::string_view label = cells.text(i);
            if (index.find(label) == index.end()) index.emplace(std::string(label), 0);
        }
        int k = 0;
        for (auto& [name, idx] : index) {
            idx = k++;
            d.class_names.push_back(name);
        }
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(index.find(cells.text(i))->second);
    }
    if (d.class_names.size() < 2) {
        throw DataError(path + ": only one class '" + d.class_names.front() + "' in column " + quote(column) +
                        "; a classifier needs at least two (check the target column, or set task to regression)");
    }
}

}  // namespace

namespace csv_detail {

bool looks_like_header(const std::vector<std::string>& first, const std::vector<std::string>* second) {
    double v = 0;
    // Empty cells are no evidence either way (pandas writes an empty index name).
    bool any_text = false, any_number = false, text_over_number = false;
    for (std::size_t j = 0; j < first.size(); ++j) {
        if (first[j].empty()) continue;
        if (parse_number(first[j], v)) {
            any_number = true;
        } else {
            any_text = true;
            if (second != nullptr && parse_number((*second)[j], v)) text_over_number = true;
        }
    }
    return (any_text && !any_number) || text_over_number;
}

std::vector<std::string> column_names(const std::vector<std::string>& first, bool has_header) {
    std::vector<std::string> columns(first.size());
    for (std::size_t j = 0; j < first.size(); ++j)
        columns[j] = has_header && !first[j].empty() ? first[j] : "x" + std::to_string(j + 1);
    return columns;
}

std::optional<std::size_t> find_target(const std::vector<std::string>& columns, const std::string& target) {
    if (target.empty()) return columns.size() - 1;
    if (const auto it = std::find(columns.begin(), columns.end(), target); it != columns.end())
        return static_cast<std::size_t>(it - columns.begin());
    const bool digits = std::all_of(target.begin(), target.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || target.size() >= 10) return std::nullopt;
    const std::size_t index = std::stoul(target);
    if (index >= columns.size()) return std::nullopt;
    return index;
}

void fill_target(Dataset& d, const std::string& path, const std::string& column, bool has_header,
                 const CsvOptions& options, TargetCells& cells) {
    const auto n = static_cast<Index>(cells.numbers.size());
    // --task auto on numbers: task_rule.hpp (an ambiguous integer target is refused).
    const TaskDecision guess = options.task == "auto" && cells.all_numeric && options.class_names.empty()
                                   ? guess_task(cells.numbers, kMaxAutoClasses) : TaskDecision{};
    if (guess.guess == TaskGuess::ambiguous) throw DataError(ambiguous_task_message(path + ": ", column, guess));
    const bool classification =
        !options.class_names.empty() || options.task == "classification" ||
        (options.task == "auto" && (!cells.all_numeric || guess.guess == TaskGuess::classification));
    d.target_name = has_header ? column : (classification ? "label" : "target");
    d.y.resize(n, 1);
    if (!classification) {
        regression_target(d, column, cells);
    } else if (!options.class_names.empty()) {
        known_classes(d, column, options.class_names, cells);
    } else {
        found_classes(d, path, column, cells);
    }
}

}  // namespace csv_detail

Dataset read_csv(const std::string& path, const CsvOptions& options) {
    check_options(options);
    const FileText text(path);  // mapped: parsed in place
    if (auto plain = csv_detail::parse_plain_csv(text.view(), path, options)) return std::move(*plain);
    return parse_csv(text.view(), path, options);
}

std::optional<Dataset> read_plain_csv(const std::string& path, const CsvOptions& options) {
    check_options(options);
    const FileText text(path);
    return csv_detail::parse_plain_csv(text.view(), path, options);
}

Dataset read_csv_text(std::string_view content, const std::string& source, const CsvOptions& options) {
    check_options(options);
    if (auto plain = csv_detail::parse_plain_csv(content, source, options)) return std::move(*plain);
    return parse_csv(content, source, options);
}



}  // namespace plexus
