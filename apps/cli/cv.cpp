// `plexus cv`: K-fold cross-validation (run/cross_validation.hpp) with the
// options of `plexus train`; prints each fold's test metrics and the mean ± std.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "plexus/run/cross_validation.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace {

struct CvCli {
    run::CrossValidationRequest request;
    bool no_shuffle = false;
    bool json = false;
};

void run_cv(CvCli& a) {
    auto& r = a.request;
    r.config.fit.shuffle = !a.no_shuffle;
    r.command = command_line();
    if (!a.json) r.progress = [](std::string_view s) { std::cout << s << std::flush; };
    const run::CrossValidation cv = run::cross_validate(r);
    if (a.json) {
        std::cout << cv.summary.dump(2) << '\n';
        return;
    }
    std::cout << fmt::format("\n{}-fold cross-validation of {} ({} rows, {}, seed {}):\n", r.folds, cv.summary["source"].get<std::string>(),
                             cv.summary["rows"].get<long>(), cv.summary["stratified"].get<bool>() ? "stratified" : "random folds",
                             r.config.fit.seed);
    for (auto it = cv.summary["metrics"].begin(); it != cv.summary["metrics"].end(); ++it)
        std::cout << fmt::format("  {:<14} {:.4f} ± {:.4f}\n", it.key(), (*it)["mean"].get<double>(), (*it)["std"].get<double>());
    std::cout << fmt::format("  wrote {}/cv.json and a run folder per fold ({}/fold_1 ...)\n", r.out_dir, r.out_dir);
}

}  // namespace

void add_cv_command(CLI::App& app) {
    auto a = std::make_shared<CvCli>();
    CLI::App* cmd = app.add_subcommand("cv", "K-fold cross-validation: a full run per fold, mean ± std of every test metric");
    add_train_config_options(*cmd, a->request.config, a->no_shuffle);
    cmd->add_option("--folds,-k", a->request.folds, "Number of folds (stratified for classification)")->capture_default_str();
    cmd->add_option("--jobs,-j", a->request.jobs, "Folds trained at once, in threads (results do not depend on it)")->capture_default_str();
    cmd->add_option("--out,-o", a->request.out_dir, "Folder for cv.json and the fold_K run folders")->capture_default_str();
    cmd->add_flag("--overwrite", a->request.overwrite, "Replace fold runs already in --out");
    cmd->add_flag("--json", a->json, "Print the summary as JSON (as cv.json)");
    cmd->footer(R"(Each fold trains on the other folds (with --validation-split of them for early stopping) and is
tested on its own rows, which its training never sees; the doctor watches every fold.

Examples:
  plexus cv --data moons --folds 5 --epochs 50
  plexus cv --data adult.csv --target income --folds 10 --jobs 2 --early-stopping 10 --out cv/adult)");
    cmd->callback([a] { run_cv(*a); });
}

}  // namespace plexus::cli
