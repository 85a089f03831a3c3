// What a page may ask the playground server to train, checked before any work:
// the request's JSON (a run::RunConfig as run_config_from_json reads it, with
// every key and type checked), the server's caps, and the `plexus train`
// command line that reproduces a run.
//
//   run::RunConfig c = config_from_request(body["config"]);   // UsageError naming the setting
//   check_caps(c, data, limits);                               // UsageError naming the cap
//   std::string cmd = train_command(c, "seed-curves");
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/run/config.hpp"

namespace plexus::web {

// The server's limits (docs/web.md). A run's memory is bounded by max_rows x
// features (the data), max_parameters (the model) and the fixed picture grids.
struct Limits {
    std::size_t max_body = 50u << 20;       // bytes of a request body or an upload (413 beyond)
    int max_runs = 2;                       // runs training or paused at once (429 beyond)
    int max_streams = 16;                   // open event streams (503 beyond)
    int max_uploads = 16;                   // uploaded files kept (the oldest is dropped)
    Index max_rows = 100'000;               // rows of a dataset (built-in samples or CSV rows)
    Index max_parameters = 1'000'000;       // weights and biases of the model
    int max_epochs = 10'000;
    std::chrono::seconds idle{600};         // a run nobody watched for this long is stopped and removed
};

// The RunConfig of a request's "config" object. Keys and value types are checked
// against RunConfig's JSON (run/config.hpp), then run::validate runs. A page
// cannot name files on the server: data.data must be a built-in dataset (an
// upload is set by the server), data.labels and model.model_spec must be empty.
// With `upload`, data.data may be empty. Throws run::UsageError naming the
// setting ("fit.epochs"), what was expected, what was received and the fix.
run::RunConfig config_from_request(const nlohmann::json& config, bool upload);

// Rejects what would exceed the caps before anything large is made: samples of a
// built-in dataset (before generating it), and after loading, the rows, the
// epochs and the parameter count of the model the config describes for `data`.
void check_caps_before_load(const run::RunConfig& config, const Limits& limits);
void check_caps(const run::RunConfig& config, const Dataset& data, const Limits& limits);

// Parameters of the Dense stack the config describes for `data` (hidden
// layers, then the output layer the recipe adds), computed without building it.
Index count_parameters(const run::RunConfig& config, const Dataset& data);

// `plexus train ...` reproducing the run: the options that differ from the
// defaults, plus data, layers, activation, optimizer, epochs, batch size,
// validation split, split and seed always; values shell-quoted when needed.
// `data_name` replaces config.data.data (an upload's original file name).
std::string train_command(const run::RunConfig& config, const std::string& data_name);

// A value for a POSIX shell: as is when it is plain, else in single quotes.
std::string shell_quote(const std::string& value);

}  // namespace plexus::web
