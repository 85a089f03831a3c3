// report.json's final.validation is the final model evaluated on every validation row,
// whether it comes from the last epoch's validation pass (FitOptions::keep_validation) or,
// when a callback restored other weights after it, from a pass of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "plexus/model/fit_options.hpp"
#include "plexus/model/split.hpp"
#include "plexus/run/evaluation.hpp"
#include "plexus/run/pipeline.hpp"

namespace plexus {
namespace {

using nlohmann::json;

// The returned model evaluated afresh on the run's validation rows, as the pipeline does.
json evaluate_afresh(run::TrainResult& r) {
    const Matrix& x = r.inputs.size() ? r.inputs : r.data.x;
    const Matrix x_val = take_rows(x, r.validation_rows);
    const Matrix y = run::encode_targets(r.data, r.model.compile_options().loss, r.model.output_dim());
    const Matrix y_val = take_rows(y, r.validation_rows);
    std::vector<int> labels;
    for (Index row : r.validation_rows) labels.push_back(r.data.label(row));
    return run::evaluation_json(r.model, x_val, y_val, labels, r.data.class_names);
}

void expect_same_evaluation(const json& reported, const json& afresh) {
    EXPECT_EQ(reported["rows"], afresh["rows"]);
    EXPECT_EQ(reported["confusion_matrix"], afresh["confusion_matrix"]);
    EXPECT_EQ(reported["per_class"], afresh["per_class"]);
    for (const auto& [name, value] : afresh["metrics"].items()) {
        ASSERT_TRUE(reported["metrics"].contains(name)) << name;
        // The loss may differ in its last digits: the passes sum different batches.
        EXPECT_NEAR(reported["metrics"][name].get<double>(), value.get<double>(), 1e-6) << name;
    }
}

run::TrainResult train(run::RunConfig c) {
    c.data.data = "moons";
    c.data.samples = 6000;  // 1500 validation rows: fit's passes sum batches of 256, a fresh one of 1024
    c.model.layers = "16,16";
    c.fit.epochs = 12;
    c.fit.validation_split = 0.25;
    c.fit.verbose = 0;
    c.fit.seed = 3;
    return run::run_training({.config = c, .write_files = false});
}

TEST(FinalEvaluation, TheLastEpochsValidationPassIsTheFinalModelsEvaluation) {
    run::TrainResult r = train({});
    ASSERT_EQ(r.history.epoch.size(), 12u);
    const json& reported = r.report["final"]["validation"];
    const json afresh = evaluate_afresh(r);
    expect_same_evaluation(reported, afresh);
    // It is the pass the last epoch logged, to the last digit (a fresh pass's loss differs in
    // its last digits here: 0.089966456702363543 against 0.089966456702363529).
    EXPECT_EQ(reported["metrics"]["accuracy"].get<double>(), r.history.last("val_accuracy"));
    EXPECT_EQ(reported["metrics"]["loss"].get<double>(), r.history.last("val_loss"));
}

TEST(FinalEvaluation, RestoredWeightsAreEvaluatedAgain) {
    // A learning rate that makes the validation loss worse after its first epochs: early
    // stopping ends the run and puts back an earlier epoch's weights.
    run::RunConfig c;
    c.fit.early_stopping = 2;
    c.fit.restore_best_weights = true;
    c.model.optimizer = "sgd";
    c.model.lr = 3.0;
    run::TrainResult r = train(c);
    const std::vector<double>& val_loss = r.history.history.at("val_loss");
    const auto best = std::min_element(val_loss.begin(), val_loss.end()) - val_loss.begin();
    ASSERT_LT(best + 1, static_cast<std::ptrdiff_t>(val_loss.size())) << "the run must restore an earlier epoch";
    const json& reported = r.report["final"]["validation"];
    expect_same_evaluation(reported, evaluate_afresh(r));
    EXPECT_NEAR(reported["metrics"]["loss"].get<double>(), val_loss[static_cast<std::size_t>(best)], 1e-6);
}

}  // namespace
}  // namespace plexus
