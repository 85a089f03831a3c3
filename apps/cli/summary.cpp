// `plexus summary`: what a model file holds - the layer table, the task and
// classes, the features and their training ranges, loss, optimizer state and
// how it was trained (or --json).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/run/table_source.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/optimizers/optimizer.hpp"

namespace plexus::cli {
namespace {

struct SummaryCli {
    std::string model;
    bool json = false;
    ModelLimits limits;
};

// Every part of a model file, described in a line each: nothing it holds goes unlisted
// (unknown metadata keys are listed by name).
std::vector<std::pair<std::string, std::string>> file_contents(ModelFile& mf) {
    Sequential& model = mf.model();
    const auto& meta = mf.metadata();
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t tensors = 0;
    for (std::size_t l = 0; l < model.layers().size(); ++l) tensors += model.get_weights(l).size();
    out.emplace_back("weights", fmt::format("{} parameters in {} tensors", model.count_params(), tensors));
    std::size_t slot_values = 0;
    for (const auto& s : model.optimizer().slots()) slot_values += s.size();
    out.emplace_back("optimizer state", fmt::format("{}: {} slot buffers ({} values), {} steps", model.optimizer().name(),
                                                    model.optimizer().slots().size(), slot_values, model.optimizer().iterations()));
    out.emplace_back("names", fmt::format("{} feature names, {} class names", meta.feature_names.size(), meta.class_names.size()));
    out.emplace_back("feature ranges", fmt::format("training minimum and maximum of each of {} features", meta.feature_ranges.size()));
    out.emplace_back("self-test", "a few synthetic inputs inside the feature ranges and their outputs (checked on load)");
    std::string rows = "none";
    for (const auto& [key, value] : meta.extra.items()) {
        if (key == "support_summary") {
            const auto s = support_from_extra(meta.extra, mf.path);
            out.emplace_back("support summary", fmt::format("ranges rounded outward and {} centroids of >= {} rows each ({} bytes); "
                                                            "no row", s ? s->clusters() : 0, SupportSummary::kMinClusterRows,
                                                            value.is_string() ? value.get<std::string>().size() : 0));
        } else if (key == "support_sample") {
            rows = fmt::format("{} raw training rows (support_sample, stored by --store-training-rows: anyone with the file can read them)",
                               value.is_array() ? value.size() : 0);
        } else if (key == "train_config") {
            out.emplace_back("training options", "the run's options (for --resume and plot), as in report.json's config");
        } else if (key == "standardizer" || key == "target_standardizer") {
            out.emplace_back(key == "standardizer" ? "standardizer" : "target standardizer", "mean and scale of the training rows");
        } else if (key == "preprocessor") {
            out.emplace_back("preprocessor", "column types, medians, frequent categories of the training rows");
        } else if (key == "source" || key == "target_name") {
            out.emplace_back(key == "source" ? "data source" : "target name", value.is_string() ? value.get<std::string>() : value.dump());
        } else {
            out.emplace_back("metadata", key);
        }
    }
    out.emplace_back("training rows", rows);
    return out;
}

void run_summary(SummaryCli& a) {
    ModelFile mf = open_model(a.model, "--model", {.model = a.limits});
    Sequential& model = mf.model();
    const auto& meta = mf.metadata();
    const auto names = feature_names_or_default(meta.feature_names, mf.input_dim());
    const nlohmann::json train = meta.extra.value("train_config", nlohmann::json());
    if (a.json) {
        nlohmann::json ranges = nlohmann::json::array();
        for (const auto& [lo, hi] : meta.feature_ranges) ranges.push_back({lo, hi});
        nlohmann::json j = {{"model", mf.path},
                            {"config", model.config()},
                            {"parameters", model.count_params()},
                            {"task", mf.classification() ? "classification" : "regression"},
                            {"class_names", meta.class_names},
                            {"feature_names", names},
                            {"feature_ranges", ranges},
                            {"epoch", meta.epoch},
                            {"optimizer_iterations", model.optimizer().iterations()},
                            {"standardizer", mf.standardizer ? to_json(*mf.standardizer) : nlohmann::json()},
                            {"train_config", train}};
        if (meta.extra.contains("preprocessor")) j["preprocessor"] = meta.extra["preprocessor"];
        nlohmann::json contents = nlohmann::json::object();
        for (const auto& [what, text] : file_contents(mf)) contents[what] = text;
        j["contents"] = contents;
        std::cout << j.dump(2) << '\n';
        return;
    }
    std::cout << "Model file: " << mf.path << "\n\n" << model.summary() << '\n';
    if (mf.classification())
        std::cout << fmt::format("Task:       classification, {} classes: {}\n", meta.class_names.size(), join(meta.class_names));
    else
        std::cout << fmt::format("Task:       regression, {} output(s)\n", model.output_dim());
    std::cout << fmt::format("Features:   {}\n", mf.input_dim());
    for (std::size_t j = 0; j < names.size(); ++j) {
        std::string range;
        if (j < meta.feature_ranges.size())
            range = fmt::format("training range [{:.4g}, {:.4g}]", meta.feature_ranges[j].first, meta.feature_ranges[j].second);
        std::cout << fmt::format("  {:<12} {}\n", names[j], range);
    }
    if (const auto p = run::preprocessor_from_extra(meta.extra))  // raw columns -> the inputs above (applied by predict and evaluate)
        std::cout << fmt::format("Preprocessing ({} columns -> {} inputs; statistics of the training rows):\n{}", p->columns().size(), p->output_dim(),
                                 p->describe());
    std::cout << fmt::format("Standardized inputs: {}\n", mf.standardizer ? "yes (mean/std of the training rows, applied by predict and evaluate)" : "no");
    const auto& co = model.compile_options();
    std::cout << fmt::format("Loss:       {}{}\n", model.loss().name(), co.from_logits ? " (from logits)" : "");
    std::cout << fmt::format("Metrics:    {}\n", co.metrics.empty() ? "-" : join(co.metrics));
    std::cout << fmt::format("Optimizer:  {} (learning rate {}, {} steps taken)\n", model.optimizer().name(), model.optimizer().base_learning_rate(),
                             model.optimizer().iterations());
    std::cout << fmt::format("Epochs:     {} completed\n", meta.epoch);
    if (train.is_object()) {
        const auto data = train.value("data", nlohmann::json::object());
        const auto fit = train.value("fit", nlohmann::json::object());
        std::cout << fmt::format("Trained on: {} (seed {}, validation split {} {}, batch size {})\n", data.value("data", std::string("?")),
                                 fit.value("seed", 0ULL), fit.value("validation_split", 0.0), fit.value("split", std::string("auto")),
                                 fit.value("batch_size", 0L));
    }
    std::cout << "\nWhat the file holds:\n";
    for (const auto& [what, text] : file_contents(mf)) std::cout << fmt::format("  {:<20} {}\n", what + ":", text);
}

}  // namespace

void add_summary_command(CLI::App& app) {
    auto a = std::make_shared<SummaryCli>();
    CLI::App* cmd = app.add_subcommand("summary", "Show what a model file holds: layers, parameters, classes, features, training");
    cmd->add_option("--model,-m", a->model, "A model file, or a run folder holding model.plexus")->required();
    add_limit_options(*cmd, a->limits);
    cmd->add_flag("--json", a->json, "Print as JSON");
    cmd->footer(R"(Examples:
  plexus summary --model runs/moons
  plexus summary --model runs/moons/best.plexus --json)");
    cmd->callback([a] { run_summary(*a); });
}

}  // namespace plexus::cli
