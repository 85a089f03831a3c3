// CSV table and test-split flags (table_options.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "plexus/run/config.hpp"

namespace plexus::cli {

using run::RunConfig;

// --categorical, --na-values, --impute, --missing-indicator, --min-frequency, --scale, --test-split.
void add_table_options(CLI::App& cmd, RunConfig& config);

}  // namespace plexus::cli
