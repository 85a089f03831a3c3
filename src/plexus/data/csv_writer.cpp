#include "plexus/data/csv_writer.hpp"

#include <charconv>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"

namespace plexus {
namespace {

template <typename T>
std::string shortest(T v) {
    if (std::isnan(v)) return "";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

}  // namespace

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",;\t\"\r\n") == std::string_view::npos && (s.empty() || (s.front() != ' ' && s.back() != ' ')))
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_number(double v) { return shortest(v); }
std::string csv_number(float v) { return shortest(v); }

void CsvWriter::separate() {
    if (row_open_) text_ += ',';
    row_open_ = true;
}

CsvWriter& CsvWriter::row(const std::vector<std::string>& fields) {
    for (const auto& f : fields) field(f);
    return end_row();
}

CsvWriter& CsvWriter::field(std::string_view text) {
    separate();
    text_ += csv_field(text);
    return *this;
}

CsvWriter& CsvWriter::number(double v) {
    separate();
    text_ += csv_number(v);
    return *this;
}

CsvWriter& CsvWriter::number(float v) {
    separate();
    text_ += csv_number(v);
    return *this;
}

CsvWriter& CsvWriter::integer(long long v) {
    separate();
    text_ += std::to_string(v);
    return *this;
}

CsvWriter& CsvWriter::empty() {
    separate();
    return *this;
}

CsvWriter& CsvWriter::end_row() {
    text_ += '\n';
    row_open_ = false;
    return *this;
}

void CsvWriter::assign(std::string text) {
    text_ = std::move(text);
    row_open_ = false;
}

void CsvWriter::clear() { assign({}); }

void CsvWriter::save(const std::string& path) const { write_file_atomic(path, text_); }

void write_csv(const std::string& path, const std::vector<std::string>& header, const Matrix& values) {
    if (!header.empty() && static_cast<Index>(header.size()) != values.cols()) {
        throw ShapeError(path + ": write_csv got " + std::to_string(header.size()) + " column names for values " +
                         shape_string(values) + "; pass one name per column (or none)");
    }
    CsvWriter w;
    w.reserve(static_cast<std::size_t>(values.size()) * 12 + 64);
    if (!header.empty()) w.row(header);
    for (Index i = 0; i < values.rows(); ++i) {
        for (Index j = 0; j < values.cols(); ++j) w.number(values(i, j));
        w.end_row();
    }
    w.save(path);
}

void write_dataset_csv(const std::string& path, const Dataset& dataset) {
    if (static_cast<Index>(dataset.feature_names.size()) != dataset.features()) {
        throw ShapeError(path + ": dataset has " + std::to_string(dataset.feature_names.size()) +
                         " feature names for x " + shape_string(dataset.x) + "; give one name per column");
    }
    if (dataset.y.rows() != dataset.rows()) {
        throw ShapeError(path + ": dataset y " + shape_string(dataset.y) + " does not match x " +
                         shape_string(dataset.x) + "; give one target row per feature row");
    }
    CsvWriter w;
    for (const auto& name : dataset.feature_names) w.field(name);
    const Index targets = dataset.is_classification() ? 1 : dataset.y.cols();
    for (Index t = 0; t < targets; ++t)
        w.field(targets == 1 ? dataset.target_name : dataset.target_name + "_" + std::to_string(t + 1));
    w.end_row();
    for (Index i = 0; i < dataset.rows(); ++i) {
        for (Index j = 0; j < dataset.features(); ++j) w.number(dataset.x(i, j));
        if (dataset.is_classification()) {
            const Scalar label = dataset.y(i, 0);
            if (!(label >= 0 && label < static_cast<Scalar>(dataset.num_classes())) || label != std::floor(label)) {
                throw DataError(path + ": row " + std::to_string(i) + " has label " + (std::isnan(label) ? std::string("nan") : csv_number(label)) +
                                ", expected a class index 0.." + std::to_string(dataset.num_classes() - 1) +
                                "; fix the dataset's labels");
            }
            w.field(dataset.class_names[static_cast<std::size_t>(label)]);
        } else {
            for (Index t = 0; t < targets; ++t) w.number(dataset.y(i, t));
        }
        w.end_row();
    }
    w.save(path);
}

}  // namespace plexus
