// Raw CSV tables: every cell kept as text, for the preprocessing path
// (categorical columns, missing cells). The same file rules as read_csv
// (csv.hpp): delimiter ',', ';' or tab auto-detected, "quoted" fields with ""
// escapes, trimmed cells, LF/CRLF, a UTF-8 BOM and blank lines accepted, and the
// same header rule (a text cell above a number, or an all-text first row);
// without a header the columns are x1, x2, ...
//
// Also here: the cell rules shared by the preprocessor (what is a number, what
// is missing) and the target column's labels.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct RawTable {
    std::vector<std::string> columns;            // header names (or x1, x2, ...)
    std::vector<std::vector<std::string>> rows;  // rows[i][j], trimmed, quotes removed
    std::vector<std::size_t> lines;              // 1-based file line of rows[i]
    std::string source;                          // the path

    Index row_count() const { return static_cast<Index>(rows.size()); }
    // Index of a column given by name, or by 0-based index as text ("2"); empty = the
    // last column. ConfigError listing the columns if there is none such.
    std::size_t column(const std::string& name_or_index) const;
    // "path:line:column: " for cell (i, j), 1-based as in an editor.
    std::string where(Index i, std::size_t j) const;
};

// Reads `path` keeping every cell. IoError if unreadable; DataError for no data
// rows, fewer than two columns, a ragged row (line, count, expected) or an
// unterminated quote; ConfigError for a delimiter other than , ; or tab.
RawTable read_csv_table(const std::string& path, std::optional<char> delimiter = {}, std::optional<bool> header = {});

// A whole cell as a finite or non-finite double ("+1.5", "-2e3", "nan").
bool parse_cell_number(const std::string& cell, double& out);
// Whether `cell` is one of `na_values` (exact match after trimming; the default
// markers "", "NA", "NaN", "?" also match case-insensitively, and a numeric NaN
// cell counts as missing).
bool is_na(const std::string& cell, const std::vector<std::string>& na_values);
// The default missing-value markers.
const std::vector<std::string>& default_na_values();

}  // namespace plexus
