// Shared pieces of the `plexus` command: how errors become one line and exit
// code 2, the data options every subcommand takes (built-in dataset, CSV or
// NPY), opening model files (with the feature standardizer `train
// --standardize` stores in them), target encoding, and output files that are
// only ever written whole (write_file_atomic) and removed again if a command
// fails.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "plexus/core/error.hpp"
#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/metrics/metrics.hpp"

namespace plexus::cli {

// Exit codes: 0 success, 1 a run that failed on its own (e.g. training
// diverged), 2 bad input or usage.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A bad option or option combination; reported like any plexus::Error (exit 2).
class UsageError : public Error {
public:
    using Error::Error;
};

// Ends the command with `code` after it has printed its own explanation.
struct ExitRequest {
    int code = kExitFailure;
};

// `message` on one line: newlines and tabs become spaces.
std::string one_line(std::string message);

// ---- Data options -------------------------------------------------------

struct DataArgs {
    std::string data;                // a built-in dataset name, or a .csv/.npy file
    std::string labels;              // .npy targets (with --data X.npy)
    std::string target;              // CSV target column: name or 0-based index; default the last
    std::string task = "auto";       // auto, classification, regression
    std::optional<Index> samples;    // built-in datasets
    std::optional<double> noise;
    std::optional<int> classes;
};

nlohmann::json to_json(const DataArgs& args);
DataArgs data_args_from_json(const nlohmann::json& j);

// Adds --data, --labels, --target, --task, --samples, --noise, --classes.
void add_data_options(CLI::App& command, DataArgs& args, bool required);

bool is_builtin_dataset(const std::string& name);

// Training data: a built-in dataset generated from `seed`, a CSV or an NPY pair.
// Throws UsageError for a missing file/unknown name or a missing --labels, and
// the readers' DataError/IoError (which name the file, line and column).
Dataset load_dataset(const DataArgs& args, std::uint64_t seed);

// ---- Model files --------------------------------------------------------

struct ModelFile {
    std::string path;
    LoadedModel loaded;
    std::optional<Standardizer> standardizer;  // from metadata.extra["standardizer"]

    Sequential& model() { return loaded.model; }
    const ModelMetadata& metadata() const { return loaded.metadata; }
    bool classification() const { return !loaded.metadata.class_names.empty(); }
    Index input_dim() const { return loaded.model.input_dim(); }
};

// Loads `path` (or `path`/model.plexus when `path` is a run folder). IoError
// messages are prefixed with `option` and end with a fix.
ModelFile open_model(const std::string& path, const std::string& option = "--model");

// The standardizer as stored in metadata.extra, and back.
nlohmann::json to_json(const Standardizer& s);
std::optional<Standardizer> standardizer_from_extra(const nlohmann::json& extra);

// A sample of the training rows (raw features) for checking where later
// inputs lie (predict.extrapolation): every row up to a budget, else an even
// stride plus the rows holding each feature's minimum and maximum. Stored in
// metadata.extra["support_sample"].
nlohmann::json support_sample_json(const Matrix& x_train);
std::optional<Matrix> support_sample_from_extra(const nlohmann::json& extra);

// The model's input for raw features x: standardized when the model was trained so.
Matrix model_inputs(const ModelFile& model, const Matrix& x);

// Probabilities (or regression outputs) for model inputs: softmax/sigmoid is
// applied when the model was compiled with from_logits.
Matrix predict_outputs(Sequential& model, const Matrix& inputs);

// Data to run a loaded model on. Feature count is checked against the model;
// labels, when present, are mapped onto the model's class names (unknown
// labels are an error). Without labels (require_labels false and the file has
// only feature columns, or an .npy without --labels) y has no rows.
Dataset load_data_for_model(const DataArgs& args, std::uint64_t seed, ModelFile& model, bool require_labels);

// ---- Targets and evaluation --------------------------------------------

// y as the loss wants it: class indices for sparse_categorical_crossentropy and
// one-unit outputs, one-hot otherwise; regression targets unchanged.
Matrix encode_targets(const Dataset& data, const std::string& loss, Index output_units);

// Loss and metrics of `inputs` against encoded targets, plus (classification)
// macro precision/recall/F1, per-class precision/recall/F1/support and the
// confusion matrix (rows true class, columns predicted class).
nlohmann::json evaluation_json(Sequential& model, const Matrix& inputs, const Matrix& y_encoded,
                               const std::vector<int>& labels, const std::vector<std::string>& class_names);

// The class index of every row of a classification Dataset.
std::vector<int> dataset_labels(const Dataset& data);

// ---- Output -------------------------------------------------------------

// A number for humans: 4 decimals, "nan" for NaN.
std::string fmt_num(double v);
// A number for files: the shortest text that reads back to the same double; "" for NaN.
std::string csv_num(double v);
std::string csv_num(float v);
// A CSV field, quoted if it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

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

// The command line as typed, for reports.
std::string command_line();
void set_command_line(int argc, char** argv);

// Predictions as CSV: feature columns, then p_<class> per class and `class`
// (the predicted class name), or `prediction` for regression.
std::string predictions_csv(const std::vector<std::string>& feature_names, const Matrix& x, const Matrix& outputs,
                            const std::vector<std::string>& class_names);

// Names for the feature columns: the model's, or x1..xd.
std::vector<std::string> feature_names_or_default(const std::vector<std::string>& names, Index features);

}  // namespace plexus::cli
