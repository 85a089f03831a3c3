#include "plexus/data/table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/data/csv_fields.hpp"

namespace plexus {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

char detect_delimiter(const std::string& line) { return csv_detail::detect_delimiter(line); }  // read_csv's

std::vector<std::string> split_fields(const std::string& line, char delim, const std::string& where) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"' && trim(field).empty()) {
            quoted = was_quoted = true;
            field.clear();
        } else if (c == delim) {
            fields.push_back(was_quoted ? field : trim(field));
            field.clear();
            was_quoted = false;
        } else if (!(was_quoted && (c == ' ' || c == '\t'))) {
            field += c;
        }
    }
    if (quoted) throw DataError(where + "unterminated quote; fix: close the quoted field on the same line");
    fields.push_back(was_quoted ? field : trim(field));
    return fields;
}

bool is_text(const std::string& cell) {
    double v = 0;
    return !parse_cell_number(cell, v) && !is_na(cell, default_na_values());
}

}  // namespace

const std::vector<std::string>& default_na_values() {
    static const std::vector<std::string> values = {"", "NA", "NaN", "?"};
    return values;
}

bool parse_cell_number(const std::string& cell, double& out) {
    std::string_view s = cell;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == ' ') return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ptr != s.data() + s.size()) return false;
    if (ec == std::errc::result_out_of_range) out = std::strtod(std::string(s).c_str(), nullptr);
    return ec == std::errc() || ec == std::errc::result_out_of_range;
}

bool is_na(const std::string& cell, const std::vector<std::string>& na_values) {
    if (std::find(na_values.begin(), na_values.end(), cell) != na_values.end()) return true;
    std::string lower = cell;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "na" || lower == "nan" || lower == "n/a") return std::find(na_values.begin(), na_values.end(), "NA") != na_values.end() ||
                                                                   std::find(na_values.begin(), na_values.end(), "NaN") != na_values.end();
    return false;
}

std::size_t RawTable::column(const std::string& name) const {
    if (name.empty()) return columns.size() - 1;
    if (const auto it = std::find(columns.begin(), columns.end(), name); it != columns.end()) return static_cast<std::size_t>(it - columns.begin());
    std::size_t index = 0;
    const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
    if (ec == std::errc() && ptr == name.data() + name.size() && index < columns.size()) return index;
    throw ConfigError(source + ": no column '" + name + "' (columns: " + join(columns) + "); fix: give a column name or a 0-based index");
}

std::string RawTable::where(Index i, std::size_t j) const {
    return source + ":" + std::to_string(lines[static_cast<std::size_t>(i)]) + ":" + std::to_string(j + 1) + ": ";
}

RawTable read_csv_table(const std::string& path, std::optional<char> delimiter, std::optional<bool> header) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path + ": cannot open the file; fix: check the path and its permissions");
    if (delimiter && *delimiter != ',' && *delimiter != ';' && *delimiter != '\t')
        throw ConfigError(std::string("delimiter '") + *delimiter + "': expected ',', ';' or a tab");
    RawTable t;
    t.source = path;
    std::string line;
    std::size_t number = 0;
    char delim = delimiter.value_or(0);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
        ++number;
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (delim == 0) delim = detect_delimiter(line);
        rows.push_back(split_fields(line, delim, path + ":" + std::to_string(number) + ": "));
        t.lines.push_back(number);
        if (rows.size() > 1 && rows.back().size() != rows.front().size())
            throw DataError(path + ":" + std::to_string(number) + ": has " + std::to_string(rows.back().size()) + " fields, expected " +
                            std::to_string(rows.front().size()) + " (as on line " + std::to_string(t.lines.front()) +
                            "); fix: give every row the same columns");
    }
    if (rows.empty()) throw DataError(path + ": no rows; fix: give a CSV with a header and data rows");
    if (rows.front().size() < 2) throw DataError(path + ": a single column; fix: give feature columns and a target column");
    bool has_header = false;
    if (header) {
        has_header = *header;
    } else {
        bool text_over_number = false, all_text = true;
        for (std::size_t j = 0; j < rows[0].size(); ++j) {
            double v = 0;
            const bool text = is_text(rows[0][j]);
            all_text = all_text && text;
            if (text && rows.size() > 1 && parse_cell_number(rows[1][j], v)) text_over_number = true;
        }
        has_header = text_over_number || all_text;
    }
    if (has_header) {
        t.columns = rows.front();
        rows.erase(rows.begin());
        t.lines.erase(t.lines.begin());
    } else {
        for (std::size_t j = 0; j < rows.front().size(); ++j) t.columns.push_back("x" + std::to_string(j + 1));
    }
    if (rows.empty()) throw DataError(path + ": no data rows after the header; fix: add rows");
    t.rows = std::move(rows);
    return t;
}

}  // namespace plexus
