// The one CSV writer: every CSV file Plexus writes (write_csv, write_dataset_csv,
// CSVLogger, and the CLI's history.csv and predictions) goes through these rules,
// so that read_csv reads back exactly what was written.
//
// Rules (RFC 4180, plus what read_csv's delimiter detection and trimming need):
//  - fields are separated by ',' and records end with "\n";
//  - a text field is quoted if it contains ',', ';', a tab, '"', '\r' or '\n', or
//    starts or ends with a space; inside quotes a '"' is written as "";
//  - numbers are written in their shortest round-trip form (std::to_chars: a float
//    as the shortest text that reads back as the same float, a double likewise);
//    NaN is written as an empty field (a missing value), infinities as inf / -inf.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/data/dataset.hpp"

namespace plexus {

// `text` as one CSV field, quoted only if the rules above require it.
std::string csv_field(std::string_view text);
// `v` in its shortest round-trip form; "" for NaN.
std::string csv_number(double v);
std::string csv_number(float v);

// Builds a CSV document row by row in memory; save() writes it atomically.
//   CsvWriter w;  w.row({"epoch", "loss"});  w.number(1).number(0.5).end_row();  w.save(path);
class CsvWriter {
public:
    // A whole row of text fields (a header, typically), ended.
    CsvWriter& row(const std::vector<std::string>& fields);
    CsvWriter& field(std::string_view text);  // one quoted-if-needed text field
    CsvWriter& number(double v);              // one number field (see csv_number)
    CsvWriter& number(float v);
    CsvWriter& integer(long long v);          // one integer field, e.g. an epoch
    CsvWriter& empty();                       // one empty field
    CsvWriter& end_row();                     // "\n"; the next field starts a new row

    const std::string& str() const { return text_; }
    // Replaces the document with `text` (e.g. an existing file to append to).
    void assign(std::string text);
    void clear();
    void reserve(std::size_t bytes) { text_.reserve(bytes); }
    // write_file_atomic(path, str()); IoError if the file cannot be written.
    void save(const std::string& path) const;

private:
    void separate();
    std::string text_;
    bool row_open_ = false;
};

// Writes `values` (rows x cols) with a header line (omitted if `header` is
// empty), atomically, by the rules above.
// Throws ShapeError if header is non-empty and header.size() != values.cols();
// IoError if the file cannot be written.
void write_csv(const std::string& path, const std::vector<std::string>& header, const Matrix& values);

// Writes a Dataset so that read_csv reads it back: the feature columns, then the
// target column(s) named target_name (several regression targets: target_name_1,
// target_name_2, ...), with class names (not indices) for classification.
// Throws ShapeError if feature_names does not match x, DataError if a label is
// outside class_names, IoError if the file cannot be written.
void write_dataset_csv(const std::string& path, const Dataset& dataset);

}  // namespace plexus
