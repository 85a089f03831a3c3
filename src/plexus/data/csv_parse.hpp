// The steps of read_csv (rules in csv.hpp) shared by its two readers:
//  - the general reader (csv.cpp): any quoting, and every error with its
//    path:line:column message, in the documented order;
//  - the plain reader (csv_plain.cpp): one pass over the bytes for the common
//    case, a table without quotes whose feature cells are all finite numbers.
//    It parses each cell in place with std::from_chars into the preallocated
//    feature matrix (no per-cell allocation) and gives up (nullopt) at the
//    first thing it does not handle, so that the general reader, run next,
//    decides and words every error exactly as it always did.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/data/csv.hpp"

namespace plexus::csv_detail {

// Whether the first row is a header by the auto-detection rule of csv.hpp;
// `second` is the second row (same width), nullptr when the file has one row.
bool looks_like_header(const std::vector<std::string>& first, const std::vector<std::string>* second);
// The column names: the header's cells, "x<j+1>" without a header or for an empty header cell.
std::vector<std::string> column_names(const std::vector<std::string>& first, bool has_header);
// The target column: `target` as a name, else as a 0-based index; empty = the last column.
// nullopt when it matches no column (the caller words the ConfigError).
std::optional<std::size_t> find_target(const std::vector<std::string>& columns, const std::string& target);

// The target column as read, one entry per data row.
struct TargetCells {
    std::vector<double> numbers;  // parse_number's value; meaningful where the cell is numeric
    bool all_numeric = true, all_integer = true;
    std::function<std::string_view(Index)> text;  // data row i's (trimmed, unquoted) cell
    std::function<std::string(Index)> where;      // "path:line:column: " of that cell
};

// Sets d.y, d.class_names and d.target_name from the target column: the task
// (options.task, or the auto rule), then the labels or values. DataError for the
// target errors listed on read_csv (checked row by row, in file order).
void fill_target(Dataset& d, const std::string& path, const std::string& column, bool has_header,
                 const CsvOptions& options, TargetCells& cells);

// read_csv of a plain table (no '"' anywhere; every row as wide as the first;
// every feature cell a finite number within Scalar's range; no missing target),
// in one pass: nullopt as soon as the text is anything else. Throws only what
// fill_target throws (the same as the general reader for such a table).
std::optional<Dataset> parse_plain_csv(std::string_view text, const std::string& path, const CsvOptions& options);

}  // namespace plexus::csv_detail
