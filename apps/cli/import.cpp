// `plexus import`: a Keras model file (Keras 1/2 HDF5, Keras 3 .keras, or a
// TensorFlow.js model.json) becomes a Plexus model file with the same weights
// and predictions. What maps and what is refused: docs/interop.md.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/interop/keras_import.hpp"

namespace plexus::cli {
namespace {

struct ImportCli {
    std::string file, out, loss, optimizer;
    std::optional<double> lr;
};

void run_import(ImportCli& a) {
    interop::ImportedKerasModel imported = interop::import_keras(a.file);
    if (!a.loss.empty() || !a.optimizer.empty() || a.lr) {
        CompileOptions c = imported.model.compile_options();
        if (!a.loss.empty()) c.loss = a.loss;
        if (!a.optimizer.empty()) c.optimizer = OptimizerOptions{.name = a.optimizer};
        if (a.lr) c.optimizer.learning_rate = *a.lr;
        imported.model.compile(c);
    }
    save_model(imported.model, a.out, imported.metadata);
    const CompileOptions& c = imported.model.compile_options();
    std::cout << fmt::format("Imported {} ({}{}): {} layers, {} parameters, {} inputs -> {} outputs\n", a.file, imported.format,
                             imported.keras_version.empty() ? "" : ", Keras " + imported.keras_version, imported.model.layers().size(),
                             imported.model.count_params(), imported.model.input_dim(), imported.model.output_dim());
    std::cout << fmt::format("Compiled with loss {} and optimizer {} ({})\n", c.loss, c.optimizer.name,
                             imported.compile_from_file ? "from the file's training config" : "defaults");
    for (const auto& note : imported.notes) std::cout << "note: " << note << '\n';
    std::cout << "Wrote " << a.out << '\n';
}

}  // namespace

void add_import_command(CLI::App& app) {
    auto a = std::make_shared<ImportCli>();
    auto* cmd = app.add_subcommand("import", "Convert a Keras model (.h5, .keras, TensorFlow.js model.json) into a Plexus model file");
    cmd->add_option("file", a->file, "The Keras model file; its format is told from its first bytes")->required();
    cmd->add_option("--out,-o", a->out, "The Plexus model file to write")->required();
    cmd->add_option("--loss", a->loss, "Loss for further training (default: the file's training config, else from the output activation)");
    cmd->add_option("--optimizer", a->optimizer, "Optimizer for further training: sgd, adam, adamw, rmsprop or adagrad");
    cmd->add_option("--lr", a->lr, "Learning rate for further training");
    cmd->footer(R"(Examples:
  plexus import model.h5 --out model.plexus
  plexus import model.keras --out model.plexus --loss categorical_crossentropy
  plexus import tfjs/model.json --out model.plexus
  plexus predict --model model.plexus --data points.csv)");
    cmd->callback([a] { run_import(*a); });
}

}  // namespace plexus::cli
