// What a run writes: CSV text (one quoting rule, shortest round-trip
// numbers), predictions as CSV, and a folder whose new files are removed
// again if the command does not finish (OutputDir).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus::run {

// A number for files: the shortest text that reads back to the same value; "" for NaN.
std::string csv_num(double v);
std::string csv_num(float v);
// A CSV field, quoted if it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

// Predictions as CSV: feature columns, then p_<class> per class and `class`
// (the predicted class name), or `prediction` for regression.
std::string predictions_csv(const std::vector<std::string>& feature_names, const Matrix& x, const Matrix& outputs,
                            const std::vector<std::string>& class_names);

// Names for the feature columns: the model's, or x1..xd.
std::vector<std::string> feature_names_or_default(const std::vector<std::string>& names, Index features);

// Tracks the files a command writes into a folder. If the command does not
// reach commit(), the destructor removes every file it created that did not
// exist before, and the folder itself if the command created it.
class OutputDir {
public:
    explicit OutputDir(std::filesystem::path dir);
    ~OutputDir();
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    // Creates the folder (and parents) if needed; IoError naming it on failure.
    void create();
    // The path of `name` inside the folder, recorded for clean-up if it is new.
    std::string file(const std::string& name);
    // Writes `text` to `name` atomically and returns the path.
    std::string write(const std::string& name, const std::string& text);
    void commit() { committed_ = true; }
    const std::filesystem::path& path() const { return dir_; }

private:
    std::filesystem::path dir_;
    bool existed_ = false;
    bool created_ = false;
    bool committed_ = false;
    std::vector<std::filesystem::path> new_files_;
};

}  // namespace plexus::run
