// CSV tables in and out: read_csv turns a delimited text file into a Dataset;
// writing (write_csv, write_dataset_csv, CsvWriter) is in csv_writer.hpp, included here.
//
// Reading rules:
//  - delimiter ',', ';' or tab, detected from the first non-blank line (the one
//    that occurs most often outside quotes; ',' if none) unless given;
//  - "quoted" fields may contain the delimiter; "" inside quotes is a quote;
//    fields are trimmed of surrounding spaces; a field cannot span lines;
//  - LF or CRLF line endings, a UTF-8 byte-order mark, blank lines (anywhere)
//    and a missing final newline are all accepted;
//  - header auto-detection: the first row is a header if it has a non-numeric
//    cell above a numeric cell of the second row, or if all its cells are
//    non-numeric (so a header-less file with string labels is not mistaken
//    for one). Without a header the columns are named x1, x2, ... (1-based);
//  - every feature cell must be a finite number; the target column may hold
//    numbers or strings;
//  - every cell must be valid UTF-8, and header names must be unique.
// Error messages name `path:line:column` (1-based line of the file, 1-based
// field index), what was expected and received, and how to fix it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/data/csv_writer.hpp"
#include "plexus/data/dataset.hpp"

namespace plexus {

// Auto classification/regression rule shared by the CSV and NPY readers: a
// target is a classification label if any value is non-numeric, or if all
// values are integers with at most this many distinct values.
inline constexpr std::size_t kMaxAutoClasses = 20;

struct CsvOptions {
    // Target column: a header name, or a 0-based column index as text ("2").
    // A name that matches a header wins over the index reading. Empty = last column.
    std::string target{};
    // Field delimiter; unset = auto-detect ',', ';' or '\t' from the first line.
    std::optional<char> delimiter{};
    // Whether the first non-blank line is a header; unset = auto-detect (see above).
    std::optional<bool> header{};
    // "classification", "regression" or "auto" (kMaxAutoClasses rule above).
    std::string task = "auto";
    // Known classes (e.g. from a loaded model). When non-empty the task is
    // classification, each label is mapped to the index of the equal name (or, for
    // numeric labels, the numerically equal name: "1.0" matches "1"), and the
    // Dataset keeps exactly these class_names, even if some do not occur.
    std::vector<std::string> class_names{};
};

// Reads `path` into a Dataset: x = the other columns in file order, y = (n, 1),
// feature_names = their header names, target_name = the target's header name
// ("label"/"target" without a header), source = path.
// Classification: labels are mapped to 0..k-1 in sorted order - numerically if
// every label is a number (names then written as integers, e.g. "-1", "3"),
// otherwise lexicographically by bytes - and recorded as class_names.
// Throws:
//  - IoError: the file is missing or unreadable;
//  - DataError: no rows / no data rows after the header; a single column; a row
//    with a different number of fields (line L has M, expected N); a
//    non-numeric, missing, NaN/Inf or out-of-range feature cell (line:col); a
//    missing or NaN target; a non-numeric regression target; fewer than two
//    classes for classification (without class_names); a label not among
//    class_names; an unterminated quote; invalid UTF-8 in a cell (line:col);
//    a duplicate column name in the header (both columns named);
//  - ConfigError: target not found (lists the columns); an unknown task; task
//    "regression" together with class_names; a delimiter other than , ; or tab.
Dataset read_csv(const std::string& path, const CsvOptions& options = {});

// read_csv's one pass alone: the Dataset read_csv gives when `path` is a plain table
// (no quotes, every feature cell a finite number), nullopt for any other table, which
// it does not read through (so a caller can take those elsewhere, e.g. through the
// Preprocessor). Throws what read_csv throws for a plain table (IoError; target errors).
std::optional<Dataset> read_plain_csv(const std::string& path, const CsvOptions& options = {});

// read_csv on text already in memory; `source` names it in messages (and in Dataset::source).
Dataset read_csv_text(std::string_view content, const std::string& source, const CsvOptions& options = {});
}  // namespace plexus
