// Shared pieces of the `plexus` command: how errors become one line and exit
// code 2, the data options every subcommand takes, and the command line as
// typed. The work itself (data sources, model files, evaluation, the run
// pipeline, output files) is the library's run layer (plexus/run/), used here
// through the names below.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/run/config.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/evaluation.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::cli {

using run::DataConfig;
using run::ModelFile;
using run::OutputDir;
using run::UsageError;
using run::csv_field;
using run::csv_num;
using run::dataset_labels;
using run::encode_targets;
using run::evaluation_json;
using run::feature_names_or_default;
using run::is_builtin_dataset;
using run::load_data_for_model;
using run::load_dataset;
using run::model_inputs;
using run::open_model;
using run::predict_outputs;
using run::predictions_csv;
using run::support_from_extra;
using run::to_json;

// Exit codes: 0 success, 1 a run that failed on its own (e.g. training
// diverged), 2 bad input or usage.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Ends the command with `code` after it has printed its own explanation.
struct ExitRequest {
    int code = kExitFailure;
};

// `message` on one line: newlines and tabs become spaces.
std::string one_line(std::string message);

// Adds --data, --labels, --target, --task, --samples, --noise, --classes.
void add_data_options(CLI::App& command, DataConfig& args, bool required);

// Adds --max-layers, --max-units and --max-parameters: the caps on a model that
// this command builds or reads (a model file or spec is untrusted input;
// docs/reliability.md lists the defaults).
void add_limit_options(CLI::App& command, ModelLimits& limits);

// A number for humans: 4 decimals, "nan" for NaN.
std::string fmt_num(double v);

// The command line as typed, for reports.
std::string command_line();
void set_command_line(int argc, char** argv);

}  // namespace plexus::cli
