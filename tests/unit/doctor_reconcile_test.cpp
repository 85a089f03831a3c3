// The doctor's findings as one story (reconcile.hpp), the count line, the
// target-scale rule and the task rule for integer targets.
#include <gtest/gtest.h>

#include "plexus/data/task_rule.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/doctor/reconcile.hpp"
#include "plexus/doctor/rules.hpp"

namespace plexus::doctor {
namespace {

Finding finding(const std::string& id, nlohmann::json fix_options = nlohmann::json::object(), std::string severity = "warning") {
    return Finding{.id = id, .severity = std::move(severity), .message = id + " happened.", .fix = "fix of " + id,
                   .fix_options = std::move(fix_options)};
}

std::vector<std::string> ids(const std::vector<Finding>& found) {
    std::vector<std::string> out;
    for (const auto& f : found) out.push_back(f.id);
    return out;
}

TrainingRecord record() {
    TrainingRecord r;
    r.config.optimizer = "adam";
    r.config.learning_rate = 0.001;
    r.config.epochs = 100;
    r.data.split_method = "stratified";
    r.layers = {{.name = "dense", .type = "Dense", .activation = "tanh", .units = 16},
                {.name = "out", .type = "Dense", .activation = "softmax", .units = 2, .is_output = true}};
    return r;
}

TEST(DoctorReconcile, OverAndUnderfittingNeverTogether) {
    const auto out = reconcile({finding("fit.overfitting"), finding("fit.underfitting")}, record());
    EXPECT_EQ(ids(out), (std::vector<std::string>{"fit.underfitting"}));
}

TEST(DoctorReconcile, ADivergenceSuppressesItsSymptoms) {
    const auto out = reconcile({finding("data.sorted_by_label", {}, "info"), finding("train.diverging", {{"model", {{"lr", 0.01}}}}),
                                finding("model.vanishing_gradients"), finding("fit.underfitting"), finding("fit.overfitting")},
                               record());
    EXPECT_EQ(ids(out), (std::vector<std::string>{"data.sorted_by_label", "train.diverging"}));
    EXPECT_EQ(out[1].evidence["suppressed"],
              (nlohmann::json{"model.vanishing_gradients", "fit.underfitting", "fit.overfitting"}));
}

TEST(DoctorReconcile, EachFindingNamesItsRootAndRootsComeFirst) {
    const auto out = reconcile({finding("model.saturation", {{"model", {{"activation", "relu"}}}}),
                                finding("fit.underfitting", {{"fit", {{"epochs", 200}}}}),
                                finding("data.unscaled_target", {{"fit", {{"standardize_target", "on"}}}})},
                               record());
    ASSERT_EQ(ids(out), (std::vector<std::string>{"data.unscaled_target", "model.saturation", "fit.underfitting"}));
    for (const auto& f : out) EXPECT_EQ(f.cause, "data.unscaled_target") << f.id;
    // An effect's fix is its root's: applying it applies the root's option delta.
    EXPECT_EQ(out[2].fix_options, (nlohmann::json{{"fit", {{"standardize_target", "on"}}}}));
    EXPECT_NE(out[2].fix.find("fix data.unscaled_target first"), std::string::npos);
    EXPECT_NE(out[2].message.find("root cause is data.unscaled_target"), std::string::npos);
    EXPECT_EQ(to_json(out[0])["cause"], "data.unscaled_target");
}

TEST(DoctorReconcile, NeverASettingInForce) {
    TrainingRecord r = record();
    r.run.inputs_standardized = true;
    nlohmann::json delta = {{"fit", {{"standardize", true}, {"epochs", 50}, {"split", "stratified"}}},
                            {"model", {{"activation", "tanh"}, {"lr", 0.001}, {"optimizer", "sgd"}}}};
    drop_settings_in_force(delta, r);
    EXPECT_EQ(delta, (nlohmann::json{{"model", {{"optimizer", "sgd"}}}}));
}

TEST(DoctorReconcile, CountLine) {
    EXPECT_EQ(count_findings({}), "no findings");
    EXPECT_EQ(count_findings({finding("a", {}, "info")}), "1 finding: 1 info");
    EXPECT_EQ(count_findings({finding("a", {}, "error"), finding("b"), finding("c"), finding("d", {}, "info")}),
              "4 findings: 1 error, 2 warnings, 1 info");
}

TEST(DoctorReconcile, UnscaledTargetRule) {
    TrainingRecord r = record();
    r.config.loss = "mse";
    r.target.train_mean = 152;
    r.target.train_std = 77;
    r.target.min = 25;
    r.target.max = 346;
    const auto found = data_unscaled_target(r);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].fix_options, (nlohmann::json{{"fit", {{"standardize_target", "on"}}}}));
    r.run.target_standardized = true;  // in force: silent
    EXPECT_TRUE(data_unscaled_target(r).empty());
    r.run.target_standardized = false;
    r.target.train_mean = 0.5;
    r.target.train_std = 2;
    EXPECT_TRUE(data_unscaled_target(r).empty());
    r.labels.classification = true;
    r.target.train_mean = 152;
    EXPECT_TRUE(data_unscaled_target(r).empty());
    EXPECT_TRUE(target_needs_scaling(0, 0.01));
    EXPECT_FALSE(target_needs_scaling(3, 1.5));
}

TEST(DoctorReconcile, TaskRuleForIntegerTargets) {
    std::vector<double> classes, score, counts, reals = {0.5, 1, 2};
    for (int i = 0; i < 100; ++i) {
        classes.push_back(i % 3);
        score.push_back(i % 16);
        counts.push_back(i % 40);
    }
    EXPECT_EQ(guess_task(classes, 20).guess, TaskGuess::classification);
    const TaskDecision s = guess_task(score, 20);
    EXPECT_EQ(s.guess, TaskGuess::ambiguous);
    EXPECT_NE(s.rule.find("16 distinct integers (0 to 15)"), std::string::npos) << s.rule;
    EXPECT_EQ(guess_task(counts, 20).guess, TaskGuess::regression);
    EXPECT_EQ(guess_task(reals, 20).guess, TaskGuess::regression);
    EXPECT_NE(ambiguous_task_message("f.csv: ", "score", s).find("--task regression"), std::string::npos);
}

}  // namespace
}  // namespace plexus::doctor
