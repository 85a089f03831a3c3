// `plexus evaluate`: a saved model's loss and metrics on labelled data, with
// per-class precision/recall/F1 and the confusion matrix (text or --json).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "options.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/metrics/confidence.hpp"

namespace plexus::cli {
namespace {

// Test sets up to this many rows get accuracy's confidence interval (beyond, it is within ~±0.03).
constexpr Index kIntervalRows = 1000;

struct EvaluateCli {
    std::string model;
    DataConfig data;
    std::uint64_t seed = 0;
    bool json = false;
    ModelLimits limits;
};

void run_evaluate(EvaluateCli& a) {
    ModelFile mf = open_model(a.model, "--model", {.model = a.limits});
    std::vector<Finding> findings;  // raw-table models: unseen categories, missing cells
    // An .npy of the model's dtype is mapped and evaluated in place (no copy unless standardized).
    const Dataset data = load_data_for_model(a.data, a.seed, mf, true, &findings, NpyLoad::map);
    const Matrix standardized = mf.standardizer ? mf.standardizer->transform(data.inputs().map()) : Matrix();
    const MatrixView inputs = mf.standardizer ? MatrixView(standardized) : data.inputs();
    Matrix y = encode_targets(data, mf.model().loss().name(), mf.model().output_dim());
    // A model trained on a standardized target: loss on that scale, metrics in the target's units.
    const Standardizer* target = mf.target_standardizer && !mf.classification() ? &*mf.target_standardizer : nullptr;
    if (target) y = target->transform(y);
    const std::vector<int> labels = data.is_classification() ? dataset_labels(data) : std::vector<int>{};
    nlohmann::json ev = evaluation_json(mf.model(), inputs.map(), y, labels, mf.metadata().class_names, target);
    ev["model"] = mf.path;
    ev["data"] = data.source;
    ev["task"] = mf.classification() ? "classification" : "regression";
    if (mf.classification()) ev["class_names"] = mf.metadata().class_names;
    // Accuracy's 95% Wilson interval: on small test sets the point estimate alone misleads.
    const bool interval = mf.classification() && ev["metrics"].contains("accuracy") && ev["metrics"]["accuracy"].is_number() &&
                          data.rows() <= kIntervalRows;
    if (interval) {
        const auto [lo, hi] = wilson_interval(ev["metrics"]["accuracy"].get<double>() * static_cast<double>(data.rows()), static_cast<double>(data.rows()));
        ev["accuracy_interval"] = {{"method", "wilson"}, {"level", 0.95}, {"low", lo}, {"high", hi}, {"rows", data.rows()}};
    }
    if (!findings.empty()) {
        ev["findings"] = nlohmann::json::array();
        for (const auto& f : findings) ev["findings"].push_back(to_json(f));
    }
    if (a.json) {
        std::cout << ev.dump(2) << '\n';
        return;
    }
    std::cout << fmt::format("Evaluated {} on {} ({} rows)\n", mf.path, data.source, data.rows());
    // loss first, then accuracy (or mse), then the rest in name order.
    std::vector<std::string> keys;
    for (const char* k : {"loss", "accuracy", "mse"})
        if (ev["metrics"].contains(k)) keys.push_back(k);
    for (auto it = ev["metrics"].begin(); it != ev["metrics"].end(); ++it)
        if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
    std::string line;
    for (const auto& k : keys) {
        const auto& v = ev["metrics"][k];
        line += fmt::format("  {} {}", k, v.is_number() ? fmt_num(v.get<double>()) : "nan");
    }
    std::cout << line << '\n';
    if (interval)
        std::cout << fmt::format("  accuracy 95% interval [{}, {}] (Wilson, {} rows)\n", fmt_num(ev["accuracy_interval"]["low"].get<double>()),
                                 fmt_num(ev["accuracy_interval"]["high"].get<double>()), data.rows());
    for (const auto& f : findings) std::cout << format_finding(f);
    if (!mf.classification()) return;
    const auto& names = mf.metadata().class_names;
    std::size_t w = 5;
    for (const auto& n : names) w = std::max(w, n.size());
    std::cout << fmt::format("\n  {:<{}}  {:>9}  {:>9}  {:>9}  {:>7}\n", "class", w, "precision", "recall", "f1", "support");
    for (const auto& pc : ev["per_class"])
        std::cout << fmt::format("  {:<{}}  {:>9}  {:>9}  {:>9}  {:>7}\n", pc["class"].get<std::string>(), w, fmt_num(pc["precision"].get<double>()),
                                 fmt_num(pc["recall"].get<double>()), fmt_num(pc["f1"].get<double>()), pc["support"].get<long>());
    std::cout << "\n  confusion matrix (rows: true class, columns: predicted class)\n";
    std::cout << fmt::format("  {:<{}}", "", w);
    for (const auto& n : names) std::cout << fmt::format("  {:>{}}", n, std::max<std::size_t>(w, 6));
    std::cout << '\n';
    for (std::size_t r = 0; r < names.size(); ++r) {
        std::cout << fmt::format("  {:<{}}", names[r], w);
        for (std::size_t c = 0; c < names.size(); ++c)
            std::cout << fmt::format("  {:>{}}", ev["confusion_matrix"][r][c].get<long>(), std::max<std::size_t>(w, 6));
        std::cout << '\n';
    }
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto a = std::make_shared<EvaluateCli>();
    CLI::App* cmd = app.add_subcommand("evaluate", "Loss, metrics, per-class report and confusion matrix of a model on labelled data");
    cmd->add_option("--model,-m", a->model, "A model file, or a run folder holding model.plexus")->required();
    add_limit_options(*cmd, a->limits);
    add_data_options(*cmd, a->data, true);
    cmd->add_option("--seed,-s", a->seed, "Seed for generating a built-in dataset (use another seed for fresh rows)")->capture_default_str()->check(in_range(at_least(0), "--seed 1"));
    cmd->add_flag("--json", a->json, "Print the result as JSON");
    cmd->footer(R"(Labels are matched to the model's classes by name; labels the model does not know are an error.

Examples:
  plexus evaluate --model runs/moons --data moons --seed 1
  plexus evaluate --model runs/iris/model.plexus --data iris_test.csv --target species --json
  plexus evaluate --model run --data X.npy --labels y.npy)");
    cmd->callback([a] { run_evaluate(*a); });
}

}  // namespace plexus::cli
