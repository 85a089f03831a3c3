// Shared pieces of the `plexus` command; see common.hpp.
#include "common.hpp"

#include "options.hpp"

#include <cmath>

#include <fmt/format.h>

namespace plexus::cli {

std::string one_line(std::string message) {
    for (char& c : message)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    while (!message.empty() && message.back() == ' ') message.pop_back();
    return message;
}


void add_limit_options(CLI::App& command, ModelLimits& limits) {
    command.add_option("--max-layers", limits.max_layers, "Refuse models with more layers than this")
        ->capture_default_str()->check(in_range(int_range(1, 1L << 20), "--max-layers 4096"));
    command.add_option("--max-units", limits.max_units, "Refuse models with a layer (or an input) wider than this")
        ->capture_default_str()->check(in_range(int_range(1, kMaxLayerWidth), "--max-units 262144"));
    command.add_option("--max-parameters", limits.max_parameters, "Refuse models with more parameters than this")
        ->capture_default_str()->check(in_range(int_range(1, 1L << 40), "--max-parameters 1000000000"));
}

void add_data_options(CLI::App& command, DataConfig& args, bool required) {
    auto* data = command.add_option("--data,-d", args.data,
                                    "A built-in dataset (see `plexus datasets`), a .csv file, or an .npy file of features");
    if (required) data->required();
    command.add_option("--labels", args.labels, "The .npy file of targets that goes with --data X.npy");
    command.add_option("--target", args.target, "CSV target column: a header name or a 0-based index (default: the last column)");
    command.add_option("--task", args.task, "auto, classification or regression (auto: integer labels with few values, or strings, are classes)");
    command.add_option("--samples", args.samples, "Built-in datasets: number of rows")->check(in_range(at_least(1), "--samples 200"));
    command.add_option("--noise", args.noise, "Built-in datasets: standard deviation of the noise")->check(in_range(non_negative(), "--noise 0.1"));
    command.add_option("--classes", args.classes, "Built-in datasets: arms of `spirals`, blobs of `gaussians`")->check(in_range(at_least(2), "--classes 3"));
}


std::string fmt_num(double v) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{:.4f}", v);
}


namespace {
std::string& command_line_storage() {
    static std::string s;
    return s;
}
}  // namespace

std::string command_line() { return command_line_storage(); }

void set_command_line(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (i == 0) a = "plexus";
        if (a.find_first_of(" \t\"'") != std::string::npos) a = "'" + a + "'";
        s += (i ? " " : "") + a;
    }
    command_line_storage() = s;
}


}  // namespace plexus::cli
