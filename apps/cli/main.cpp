// The `plexus` command: one subcommand per file (train.cpp, evaluate.cpp, ...),
// registered by one line in PLEXUS_CLI_COMMANDS below. This file turns every
// failure into one line on stderr - "plexus: error: <what, where, and the
// fix>" - and exit code 2 (bad input or usage), or 1 when a run fails on its
// own; it never lets an exception escape.
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <exception>
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "plexus/core/registry.hpp"
#include "terminal.hpp"

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
    X(doctor)                  \
    X(sweep)                   \
    X(import)                  \
    X(export)                   \
    X(cv)

namespace plexus::cli {
#define PLEXUS_DECLARE_COMMAND(name) void add_##name##_command(CLI::App& app);
PLEXUS_CLI_COMMANDS(PLEXUS_DECLARE_COMMAND)
#undef PLEXUS_DECLARE_COMMAND
}  // namespace plexus::cli

namespace {

int fail(const std::string& message, int code = plexus::cli::kExitUsage) {
    std::cout.flush();
    plexus::cli::write_styled(stderr, "plexus: error: " + plexus::cli::one_line(message) + "\n");
    return code;
}

// "; did you mean 'X'?" for the candidate nearest to `word`, if it is near enough.
std::string nearest_hint(std::string_view word, const std::vector<std::string>& candidates) {
    std::size_t best = std::string::npos;
    std::string nearest;
    for (const auto& c : candidates)
        if (const std::size_t d = plexus::edit_distance(word, c); d < best) {
            best = d;
            nearest = c;
        }
    if (nearest.empty() || best > std::max<std::size_t>(2, word.size() / 3)) return "";
    return "; did you mean '" + nearest + "'?";
}

// A word where a command was expected: "unknown command 'trian'; did you mean 'train'?".
std::string unknown_command_message(const CLI::App& app, const std::string& word) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return "unknown command '" + word + "'" + nearest_hint(word, names) + "; valid: " + plexus::join(names) +
           "; see `plexus --help`";
}

// The first unexpected argument of `command` that looks like an option, with the
// nearest option of that command: "unknown option '--dat'; did you mean '--data'?".
// Empty if none of the leftovers looks like an option.
std::string unknown_option_message(const CLI::App& command, const std::string& help) {
    for (std::string word : command.remaining()) {
        if (!word.starts_with("-") || word == "-") continue;
        if (const auto eq = word.find('='); eq != std::string::npos) word.resize(eq);
        std::vector<std::string> names;
        for (const CLI::Option* opt : command.get_options()) {
            for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
            for (const auto& s : opt->get_snames()) names.push_back("-" + s);
        }
        return "unknown option '" + word + "'" + nearest_hint(word, names) + "; see `" + help + "`";
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
    // Blocks over 128 KB come from mmap and go back to the system when freed. glibc
    // otherwise raises that threshold to the largest block freed so far, after which
    // the transient buffers of a run (the support summary's blocks, a split's copies)
    // stay resident until exit and add to the peak RSS (issue 11's memory bound). The
    // training step allocates nothing per batch, so this costs no page faults there.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
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
        if (selected.empty() && argv[1][0] != '-') return fail(unknown_command_message(app, argv[1]));
        const CLI::App& command = selected.empty() ? app : *selected.front();
        const std::string help = selected.empty() ? "plexus --help" : "plexus " + command.get_name() + " --help";
        // An unknown option explains the error even when CLI11 first noticed its effect
        // (e.g. "--model is required" after `--modle run`).
        if (std::string message = unknown_option_message(command, help); !message.empty()) return fail(message);
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
