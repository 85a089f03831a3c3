// `plexus doctor`: the training doctor's pre-flight checks (data, split and
// configuration) alone, without training. It takes the data, model and fit
// flags of `plexus train` (registered by the same function, checked and
// resolved by the same pipeline), so `plexus train ARGS` can be replaced by
// `plexus doctor ARGS` to see what the doctor would report before epoch 1.
// The findings are a report, not a failure: exit 0 whatever they say, 2 on
// bad input.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/doctor/doctor.hpp"
#include "terminal.hpp"
#include "plexus/run/verify.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace {

struct DoctorCli {
    RunConfig config;
    bool no_shuffle = false;
    bool json = false;
    bool verify = false;
};

std::string metric_text(const run::TargetMetric& m) { return m.name + " " + fmt_num(m.value); }

std::string ids_text(const std::vector<Finding>& found) {
    std::string s;
    for (const auto& f : found) s += (s.empty() ? "" : ", ") + f.id + " (" + f.severity + ")";
    return s.empty() ? "none" : s;
}

// --verify: train, apply the root findings' fixes, train again, compare.
void run_verify(DoctorCli& a) {
    std::cout << "Training the configuration as given...\n" << std::flush;
    const run::VerifyResult v = run::verify_fixes(TrainRequest{.config = a.config});
    if (a.json) {
        nlohmann::json out = {{"applied", v.applied}, {"before", nlohmann::json::array()}, {"after", nlohmann::json::array()},
                              {"before_metric", {{"name", v.before_metric.name}, {"value", v.before_metric.value}}}};
        for (const auto& f : v.before) out["before"].push_back(to_json(f));
        for (const auto& f : v.after) out["after"].push_back(to_json(f));
        if (v.ran_after) out["after_metric"] = {{"name", v.after_metric.name}, {"value", v.after_metric.value}};
        std::cout << out.dump(2) << '\n';
        return;
    }
    std::cout << "  before:  " << metric_text(v.before_metric) << "; findings: " << ids_text(v.before) << '\n';
    if (!v.ran_after) {
        std::cout << "  no fix to apply (no finding has an option change as its fix)\n";
        return;
    }
    std::cout << "  applied: " << run::fix_options_as_flags(v.applied) << "  (" << v.applied.dump() << ")\n";
    std::cout << "  after:   " << metric_text(v.after_metric) << "; findings: " << ids_text(v.after) << '\n';
    for (const auto& f : v.before)
        if (f.severity != "info")
            std::cout << fmt::format("  {:<32} {}\n", f.id, v.still_found(f.id) ? "still found" : "cleared");
    const bool better = v.after_metric.value > v.before_metric.value;
    std::cout << fmt::format("  {}: {} -> {} ({})\n", v.after_metric.name, fmt_num(v.before_metric.value), fmt_num(v.after_metric.value),
                             better ? "improved" : "not improved");
}

void run_doctor(DoctorCli& a) {
    a.config.fit.shuffle = !a.no_shuffle;
    if (a.verify) return run_verify(a);
    a.config.fit.verbose = 0;
    TrainRequest request{.config = a.config, .preflight_only = true};
    const TrainResult r = run::run_training(request);
    const auto& found = r.findings;
    if (a.json) {
        nlohmann::json out = r.report;
        out["findings"] = nlohmann::json::array();
        for (const auto& f : found) out["findings"].push_back(to_json(f));
        std::cout << out.dump(2) << '\n';
        return;
    }
    const auto& sp = r.report["split"];
    std::string text = fmt::format("Pre-flight checks on {}: {} rows, {} features; {} split, validation {}: {} training rows, {} validation rows\n",
                                   r.data.source, r.data.rows(), r.data.features(), sp["method"].get<std::string>(),
                                   sp["validation_split"].get<double>(), sp["train_rows"].get<long>(), sp["validation_rows"].get<long>());
    if (found.empty()) {
        write_styled(stdout, text + "doctor: no findings\n");
        return;
    }
    for (const auto& f : found) text += format_finding(f);
    text += "doctor: " + count_findings(found) + "\n";
    write_styled(stdout, text);
}

}  // namespace

void add_doctor_command(CLI::App& app) {
    auto a = std::make_shared<DoctorCli>();
    CLI::App* cmd = app.add_subcommand("doctor", "Run the training doctor's pre-flight checks on a dataset and a config, without training");
    add_train_config_options(*cmd, a->config, a->no_shuffle);
    cmd->add_flag("--json", a->json, "Print the findings (id, severity, message, evidence, fix) and the resolved split as JSON");
    cmd->add_flag("--verify", a->verify,
                  "Train the configuration, apply the fixes of the root findings (their fix_options), train again, and "
                  "report before/after: which findings cleared and whether the validation metric improved. Writes no files");
    cmd->footer(R"(Takes the same data, model and fit options as `plexus train` (not --out, --resume, --verbose) and checks
the data, the split and the configuration exactly as training would before epoch 1: split.label_shift,
split.covariate_shift, data.sorted_by_label, data.unscaled, data.class_imbalance, data.duplicates_across_split,
data.constant_feature, config.loss_activation_mismatch, config.labels_mismatch (docs/doctor.md). Nothing
is trained or written. Exit code 0 whatever the findings (it is a report); 2 on bad input.

Examples:
  plexus doctor --data seed-curves --split tail           # the seed's split problems, before training
  plexus doctor --data moons --output sigmoid --loss categorical_crossentropy
  plexus doctor --data iris.csv --target species --json)");
    cmd->callback([a] { run_doctor(*a); });
}

}  // namespace plexus::cli
