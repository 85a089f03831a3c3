// `plexus export`: a Plexus model as a standard ONNX graph that computes what
// `plexus predict` computes from the raw input rows (see docs/interop.md).
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/interop/onnx_export.hpp"

namespace plexus::cli {
namespace {

struct ExportCli {
    std::string model, format = "onnx", out;
    ModelLimits limits;
};

void run_export(ExportCli& a) {
    if (a.format != "onnx")
        throw UsageError("--format " + a.format + ": unknown export format; fix: use --format onnx (the only format Plexus writes)");
    ModelFile mf = open_model(a.model, "--model", {.model = a.limits});
    const std::string bytes = interop::export_onnx(mf.model(), mf.metadata());
    write_file_atomic(a.out, bytes);
    const bool columns = mf.metadata().extra.contains("preprocessor");
    const std::string inputs = columns ? "one input per CSV column, preprocessing folded in (see metadata_props 'inputs')"
                                       : fmt::format("input 'input' ({})", mf.input_dim());
    std::cout << fmt::format("Wrote {} (ONNX opset 13, {}, output 'output' ({}){}{})\n", a.out, inputs, mf.model().output_dim(), mf.standardizer ? ", standardizer folded in" : "",
                             mf.model().compile_options().from_logits ? ", final softmax/sigmoid as predict applies" : "");
}

}  // namespace

void add_export_command(CLI::App& app) {
    auto a = std::make_shared<ExportCli>();
    auto* cmd = app.add_subcommand("export", "Write a Plexus model in another format (ONNX)");
    cmd->add_option("--model,-m", a->model, "The model file or run folder")->required();
    add_limit_options(*cmd, a->limits);
    cmd->add_option("--format", a->format, "Output format: onnx")->capture_default_str();
    cmd->add_option("--out,-o", a->out, "The file to write")->required();
    cmd->footer(R"X(Examples:
  plexus export --model runs/moons --format onnx --out moons.onnx
  python3 -c "import onnx; onnx.checker.check_model(onnx.load('moons.onnx'), full_check=True)")X");
    cmd->callback([a] { run_export(*a); });
}

}  // namespace plexus::cli
