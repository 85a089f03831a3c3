// `plexus datasets`: the built-in datasets, one line each.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/data/datasets.hpp"

namespace plexus::cli {

void add_datasets_command(CLI::App& app) {
    CLI::App* cmd = app.add_subcommand("datasets", "List the built-in datasets (use them with --data NAME)");
    cmd->footer(R"(Each takes --samples, --noise and --seed (spirals and gaussians also --classes).
Rows come grouped by class, in class order, as generated (not shuffled).

Example:
  plexus train --data spirals --classes 3 --samples 600 --noise 0.05)");
    cmd->callback([] {
        for (const auto& d : list_datasets()) {
            const std::string classes = d.task == "classification" ? fmt::format("{} classes", d.default_classes) : "regression";
            std::cout << fmt::format("{:<14} {:<11} {:>5} rows, noise {:<5} {}\n", d.name, classes, d.default_samples, d.default_noise,
                                     d.description);
        }
    });
}

}  // namespace plexus::cli
