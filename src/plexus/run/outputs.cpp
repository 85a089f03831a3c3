// What a run writes; see outputs.hpp.
#include "plexus/run/outputs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv_writer.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/run/config.hpp"

namespace plexus::run {
namespace fs = std::filesystem;

std::string csv_num(double v) {
    if (std::isnan(v)) return "";
    return csv_number(v);
}

std::string csv_num(float v) {
    if (std::isnan(v)) return "";
    return csv_number(v);
}

std::string csv_field(const std::string& s) { return plexus::csv_field(s); }

OutputDir::OutputDir(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    existed_ = fs::exists(dir_, ec);
}

OutputDir::~OutputDir() {
    if (committed_) return;
    std::error_code ec;
    for (const auto& f : new_files_) fs::remove(f, ec);
    if (created_ && !existed_) fs::remove_all(dir_, ec);
}

void OutputDir::create() {
    std::error_code ec;
    if (fs::is_directory(dir_, ec)) return;
    if (fs::exists(dir_, ec))
        throw UsageError("--out " + dir_.string() + ": exists and is not a folder; fix: give a folder path (it is created if missing)");
    fs::create_directories(dir_, ec);
    if (ec) throw IoError(dir_.string() + ": cannot create the folder (" + ec.message() + "); fix: choose a writable --out path");
    created_ = true;
}

std::string OutputDir::file(const std::string& name) {
    const fs::path p = dir_ / name;
    std::error_code ec;
    if (!fs::exists(p, ec) && std::find(new_files_.begin(), new_files_.end(), p) == new_files_.end()) new_files_.push_back(p);
    return p.string();
}

std::string OutputDir::write(const std::string& name, const std::string& text) {
    const std::string p = file(name);
    write_file_atomic(p, text);
    return p;
}

std::vector<std::string> feature_names_or_default(const std::vector<std::string>& names, Index features) {
    if (static_cast<Index>(names.size()) == features) return names;
    std::vector<std::string> out;
    for (Index j = 0; j < features; ++j) out.push_back("x" + std::to_string(j + 1));
    return out;
}

std::string predictions_csv(const std::vector<std::string>& feature_names, const Matrix& x, const Matrix& outputs,
                            const std::vector<std::string>& class_names) {
    std::string out;
    for (const auto& n : feature_names) out += csv_field(n) + ",";
    const bool cls = !class_names.empty();
    if (cls) {
        for (const auto& c : class_names) out += csv_field("p_" + c) + ",";
        out += "class\n";
    } else if (outputs.cols() == 1) {
        out += "prediction\n";
    } else {
        for (Index j = 0; j < outputs.cols(); ++j) out += "prediction_" + std::to_string(j + 1) + (j + 1 < outputs.cols() ? "," : "\n");
    }
    const std::vector<int> predicted = cls ? predicted_classes(outputs) : std::vector<int>{};
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index j = 0; j < x.cols(); ++j) out += csv_num(x(i, j)) + ",";
        if (cls) {
            if (outputs.cols() == 1) {
                const Scalar p = outputs(i, 0);
                out += csv_num(Scalar(1) - p) + "," + csv_num(p) + ",";
            } else {
                for (Index j = 0; j < outputs.cols(); ++j) out += csv_num(outputs(i, j)) + ",";
            }
            out += csv_field(class_names[static_cast<std::size_t>(predicted[static_cast<std::size_t>(i)])]) + "\n";
        } else {
            for (Index j = 0; j < outputs.cols(); ++j)
                out += csv_num(outputs(i, j)) + (j + 1 < outputs.cols() ? "," : "\n");
        }
    }
    return out;
}


}  // namespace plexus::run
