// A run's configuration: everything `plexus train` can say, as one struct
// with a JSON round trip (stored in the model file for --resume and in
// report.json). The Python package, the web playground and MPI training fill
// the same struct. Field names follow the command line's options
// (`--batch-size` is fit.batch_size), and so do the messages of validate().
//
//   RunConfig c;
//   c.data.data = "moons";
//   c.model.layers = "16,16";
//   c.fit.epochs = 50;
//   validate(c);                                 // UsageError naming the option and the fix
//   RunConfig same = run_config_from_json(to_json(c));
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/error.hpp"
#include "plexus/core/limits.hpp"
#include "plexus/core/tensor.hpp"
#include "plexus/data/preprocessor.hpp"

namespace plexus::run {

// A bad option or option combination (exit code 2 in the CLI, ValueError in Python).
class UsageError : public Error {
public:
    using Error::Error;
};

struct DataConfig {
    std::string data;                // a built-in dataset name, or a .csv/.npy file
    std::string labels;              // .npy targets (with data = X.npy)
    std::string target;              // CSV target column: name or 0-based index; default the last
    std::string task = "auto";       // auto, classification, regression
    std::optional<Index> samples;    // built-in datasets
    std::optional<double> noise;
    std::optional<int> classes;
    PreprocessOptions preprocess;    // CSV tables: categorical columns, missing cells (data/preprocessor.hpp)
};

struct ModelConfig {
    std::string layers = "16,16";  // hidden Dense widths; "" or "none" for none
    std::string activation = "tanh";
    std::string output;            // softmax, sigmoid, linear...; default from the task
    std::string model_spec;        // a JSON file: a list of layer configs (overrides the fields above)
    std::string loss;              // default from the task and output activation
    bool from_logits = false;
    std::string optimizer = "adam";
    std::optional<double> lr;      // default: the optimizer's Keras default
    double momentum = 0.0;         // sgd
    bool nesterov = false;         // sgd
    std::optional<double> clipnorm;   // clip each gradient tensor to this L2 norm
    std::optional<double> clipvalue;  // clip each gradient element to [-v, v]
    std::string metrics;           // comma list; default accuracy (classes) or mae (regression)
    // Caps on the model a run builds or reads (--max-layers, --max-units, --max-parameters):
    // a guard of this process against hostile specs and files, not part of the run's
    // recipe, so it is not written to report.json.
    ModelLimits limits;
};

struct FitConfig {
    int epochs = 100;
    Index batch_size = 32;
    double validation_split = 0.2;
    double test_split = 0.0;       // held out before anything else (stratified for classes); reported as "test"
    std::string split = "auto";    // auto (stratified for classes, random for regression), tail, random, stratified
    std::uint64_t seed = 0;        // data generation, weights, split, shuffle, dropout
    int early_stopping = 0;        // patience; 0 = off
    bool restore_best_weights = false;
    std::string monitor;           // default val_loss (loss without validation)
    int reduce_lr_on_plateau = 0;  // patience; 0 = off
    double reduce_lr_factor = 0.1;
    bool checkpoint = false;       // keep the best epoch's model in best.plexus
    // Also store a sample of raw training rows in the model file (metadata.extra.support_sample);
    // off: the file holds only a SupportSummary (coarse ranges, centroids of >= 20 rows), no row.
    bool store_training_rows = false;
    bool standardize = false;
    // Regression: standardize the target with the training rows' mean and std
    // (stored in the model, undone in predictions and reported metrics).
    // auto: on when its scale is far from 1 (doctor::target_needs_scaling); on; off.
    std::string standardize_target = "auto";
    bool shuffle = true;
    // report.json's final.train evaluates at most this many training rows: a sample drawn
    // with the seed when there are more (one pass over every row can cost as much as an
    // epoch). 0: every training row. final.validation always uses every validation row.
    Index final_train_rows = 20000;
    std::string class_weight;      // "", "balanced", or "name:weight,name:weight"
    int verbose = -1;              // 0, 1, 2; -1 = the front end's default
};

struct RunConfig {
    DataConfig data;
    ModelConfig model;
    FitConfig fit;
};

nlohmann::json to_json(const DataConfig& c);
DataConfig data_config_from_json(const nlohmann::json& j);
nlohmann::json to_json(const RunConfig& c);
RunConfig run_config_from_json(const nlohmann::json& j);

// Every check that needs no data (ranges, names of activations, losses,
// optimizers, metrics, the split). With `resuming`, the model options are
// not checked (they come from the stored run). Throws UsageError.
void validate(const RunConfig& c, bool resuming = false);

// Options that define the model, the data or the split: fixed for the life of a run.
const std::vector<std::string>& options_fixed_on_resume();

// The configuration of a resumed run: the stored one, with the options in
// `given_options` (command-line names such as "--epochs") taken from `given`.
// A fixed option (options_fixed_on_resume) given with a different value than
// the stored one is a UsageError; given with the same value it is accepted.
RunConfig resume_config(const RunConfig& stored, const RunConfig& given, const std::set<std::string>& given_options,
                        const std::string& run_name);

// `config` with one option set from text, by the option's name as on the command line
// with or without dashes ("lr", "--batch-size", "batch_size"): the value is read as the
// field's type (number, true/false, text). What sweeps vary. UsageError for an unknown
// option or a value of the wrong type.
RunConfig with_option(const RunConfig& config, const std::string& option, const std::string& value);

// "a, b,c" -> {"a", "b", "c"} (empty items dropped).
std::vector<std::string> split_list(const std::string& s);

}  // namespace plexus::run
