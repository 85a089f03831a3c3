#include "plexus/data/csv_fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"

namespace plexus::csv_detail {
namespace {

bool is_space(char c, char delimiter) { return c == ' ' || (c == '\t' && delimiter != '\t'); }

// Counts `c` outside double quotes.
std::size_t count_unquoted(std::string_view line, char c) {
    std::size_t n = 0;
    bool quoted = false;
    for (char ch : line) {
        if (ch == '"') quoted = !quoted;
        else if (ch == c && !quoted) ++n;
    }
    return n;
}

// Whether `s` equals the lower-case `word` in any case (ASCII).
bool equals_lower(std::string_view s, std::string_view word) {
    return s.size() == word.size() && std::equal(s.begin(), s.end(), word.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

std::string where(const std::string& path, std::size_t line_no, std::size_t field) {
    return path + ":" + std::to_string(line_no) + ":" + std::to_string(field) + ": ";
}

// Reads a quoted field starting at line[i] == '"'; leaves i after the closing quote.
std::string quoted_field(const std::string& path, std::size_t line_no, std::size_t field_no, std::string_view line,
                         std::size_t& i) {
    std::string field;
    const std::size_t n = line.size();
    ++i;
    while (i < n) {
        if (line[i] != '"') {
            field += line[i++];
        } else if (i + 1 < n && line[i + 1] == '"') {
            field += '"';
            i += 2;
        } else {
            ++i;
            return field;
        }
    }
    throw DataError(where(path, line_no, field_no) + "unterminated quoted field; close the quote (a field cannot span lines)");
}

}  // namespace

std::string delimiter_name(char d) {
    if (d == '\t') return "tab";
    return std::string("'") + d + "'";
}

char detect_delimiter(std::string_view first_line) {
    char best = ',';
    std::size_t best_count = 0;
    for (char c : {',', ';', '\t'}) {
        const std::size_t n = count_unquoted(first_line, c);
        if (n > best_count) {
            best = c;
            best_count = n;
        }
    }
    return best;
}

std::vector<std::string> split_fields(const std::string& path, std::size_t line_no, std::string_view line,
                                      char delimiter) {
    std::vector<std::string> fields;
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (true) {
        while (i < n && is_space(line[i], delimiter)) ++i;
        std::string field;
        if (i < n && line[i] == '"') {
            field = quoted_field(path, line_no, fields.size() + 1, line, i);
            while (i < n && is_space(line[i], delimiter)) ++i;
            if (i < n && line[i] != delimiter) {
                throw DataError(where(path, line_no, fields.size() + 1) + "unexpected character '" +
                                excerpt(line.substr(i, 1)) + "' after a closing quote; expected the delimiter " +
                                delimiter_name(delimiter) + " (write a quote inside quotes as \"\")");
            }
        } else {
            const std::size_t start = i;
            while (i < n && line[i] != delimiter) ++i;
            std::size_t end = i;
            while (end > start && is_space(line[end - 1], delimiter)) --end;
            field.assign(line.substr(start, end - start));
        }
        fields.push_back(std::move(field));
        if (i >= n) break;
        ++i;  // skip the delimiter; a trailing delimiter yields a final empty field
    }
    return fields;
}

bool parse_number(std::string_view s, double& out) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == ' ') return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ptr != s.data() + s.size()) return false;
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves `out` unset on overflow/underflow; strtod gives
        // +-HUGE_VAL or a tiny value, which the callers' range checks then judge.
        const std::string copy(s);
        out = std::strtod(copy.c_str(), nullptr);
        return true;
    }
    return ec == std::errc();
}

bool is_missing_target(std::string_view s) {
    if (s.size() > 4) return false;
    return s.empty() || equals_lower(s, "na") || equals_lower(s, "n/a") || equals_lower(s, "null") ||
           equals_lower(s, "nan");
}

bool is_missing_marker(std::string_view s) {
    return is_missing_target(s) || equals_lower(s, "none") || s == "?";
}

}  // namespace plexus::csv_detail
