// The `plexus` command: one subcommand per file (train.cpp, evaluate.cpp, ...),
// registered by one line in PLEXUS_CLI_COMMANDS below. This file turns every
// failure into one line on stderr - "plexus: error: <what, where, and the
// fix>" - and exit code 2 (bad input or usage), or 1 when a run fails on its
// own; it never lets an exception escape.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common.hpp"

// To add a subcommand: write apps/cli/<name>.cpp defining
// plexus::cli::add_<name>_command(CLI::App&), and add X(<name>) here.
#define PLEXUS_CLI_COMMANDS(X) \
    X(train)                   \
    X(evaluate)                \
    X(predict)                 \
    X(summary)                 \
    X(datasets)                \
    X(demo)                    \
    X(serve)                   \
    X(plot)                    \
    X(doctor)

namespace plexus::cli {
#define PLEXUS_DECLARE_COMMAND(name) void add_##name##_command(CLI::App& app);
PLEXUS_CLI_COMMANDS(PLEXUS_DECLARE_COMMAND)
#undef PLEXUS_DECLARE_COMMAND
}  // namespace plexus::cli

namespace {

int fail(const std::string& message, int code = plexus::cli::kExitUsage) {
    std::cout.flush();
    std::cerr << "plexus: error: " << plexus::cli::one_line(message) << '\n';
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    plexus::cli::set_command_line(argc, argv);
    CLI::App app{"Plexus " PLEXUS_VERSION ": train, evaluate and inspect dense neural networks", "plexus"};
    app.set_version_flag("--version", PLEXUS_VERSION);
    app.require_subcommand(1);
    app.footer(R"(Run `plexus <command> --help` for a command's options and examples.

Examples:
  plexus datasets
  plexus train --data moons --epochs 50 --out runs/moons
  plexus evaluate --model runs/moons --data moons --seed 1
  plexus predict --model runs/moons --grid -2:3:60,-1.5:2:40 --out grid.csv
  plexus plot boundary --model runs/moons --out moons.svg
  plexus doctor --data seed-curves --split tail
  plexus demo --out demo)");
#define PLEXUS_ADD_COMMAND(name) plexus::cli::add_##name##_command(app);
    PLEXUS_CLI_COMMANDS(PLEXUS_ADD_COMMAND)
#undef PLEXUS_ADD_COMMAND

    if (argc < 2) {
        std::cout << app.help();
        return plexus::cli::kExitUsage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        const auto selected = app.get_subcommands();
        const std::string help = selected.empty() ? "plexus --help" : "plexus " + selected.front()->get_name() + " --help";
        return fail(std::string(e.what()) + "; see `" + help + "`");
    } catch (const plexus::cli::ExitRequest& e) {
        return e.code;
    } catch (const plexus::Error& e) {
        return fail(e.what());
    } catch (const std::bad_alloc&) {
        return fail("out of memory; fix: use fewer rows (--samples) or a smaller --batch-size", plexus::cli::kExitFailure);
    } catch (const std::exception& e) {
        return fail(std::string("internal error: ") + e.what() + "; please report this bug", plexus::cli::kExitFailure);
    }
    return 0;
}
