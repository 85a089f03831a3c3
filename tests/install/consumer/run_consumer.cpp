// Links plexus::run from the installed package: trains the built-in moons data
// through the run pipeline (as `plexus train --data moons ...` does) and writes a
// run folder (model.plexus, report.json, history.csv) in the current folder.
#include <iostream>

#include <plexus/run/pipeline.hpp>

int main() {
    using namespace plexus;
    run::RunConfig config;
    config.data.data = "moons";
    config.data.samples = 400;
    config.model.layers = "16,16";
    config.fit.epochs = 60;
    config.fit.seed = 7;
    config.fit.verbose = 0;
    run::TrainRequest request{.config = config, .out_dir = "moons-run"};
    request.command = "run_consumer";
    const run::TrainResult result = run::run_training(request);
    const auto& final = result.report.at("final");
    std::cout << "status " << result.report.at("status").get<std::string>() << '\n'
              << "accuracy " << final.at("train").at("metrics").at("accuracy").get<double>() << '\n'
              << "epochs " << result.history.epoch.size() << '\n'
              << "model " << result.model_path << '\n';
}
