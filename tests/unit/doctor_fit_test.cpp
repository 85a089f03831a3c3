// The training doctor inside real fits: the seed's tail split, the fixes that
// remove findings, pre-flight checks without training, prediction checks, the
// built-in datasets (no false alarms), and the Recorder's statistics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plexus/callbacks/callbacks.hpp"
#include "plexus/core/error.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/data/support.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/run/fit.hpp"
#include "plexus/layers/activation_layer.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"
#include "seed.hpp"

namespace plexus {
namespace {

using testing::seed_data;
using testing::seed_model;

FitOptions seed_options(Split split, int epochs = 300) {
    return {.epochs = epochs, .batch_size = 8, .validation_split = 0.2, .split = split, .seed = 0, .verbose = 0};
}

Matrix seed_grid() {  // 50x36 over [0, 3pi] x [-1, 1]
    Matrix grid(50 * 36, 2);
    for (int r = 0; r < 36; ++r)
        for (int c = 0; c < 50; ++c)
            grid.row(r * 50 + c) << static_cast<Scalar>(3 * std::numbers::pi * c / 49), static_cast<Scalar>(-1 + 2.0 * r / 35);
    return grid;
}

const Finding* find(const std::vector<Finding>& found, const std::string& id) {
    for (const auto& f : found)
        if (f.id == id) return &f;
    return nullptr;
}

std::string serious(const std::vector<Finding>& found) {
    std::string out;
    for (const auto& f : found)
        if (f.severity != "info") out += format_finding(f);
    return out;
}

TEST(DoctorFit, SeedTailSplitIsExplainedBeforeEpochOne) {
    auto [x, y] = seed_data();
    Sequential model = seed_model();
    std::string printed;
    FitOptions options = seed_options(Split::tail);
    options.verbose = 2;
    options.progress = [&](std::string_view s) { printed += s; };
    const DiagnosedFit h = fit_with_doctor(model, x, y, options);
    ASSERT_LE(h.history.last("val_accuracy"), 0.1);  // the seed's collapse is reproduced

    for (const char* id : {"split.label_shift", "split.covariate_shift", "data.sorted_by_label"}) {
        const Finding* f = find(h.findings, id);
        ASSERT_NE(f, nullptr) << id;
        EXPECT_EQ(f->severity, "warning") << id;
        EXPECT_FALSE(f->epoch.has_value()) << id << " is a pre-flight finding";
        EXPECT_NE(f->fix.find("--split stratified"), std::string::npos) << id;
        // Printed through the progress sink before the first epoch's line.
        const auto at = printed.find("doctor: [warning] " + std::string(id));
        ASSERT_NE(at, std::string::npos) << id;
        EXPECT_LT(at, printed.find("Epoch 1/300")) << id;
    }
    const std::string& message = find(h.findings, "split.label_shift")->message;
    EXPECT_NE(message.find("last 20%"), std::string::npos) << message;
    EXPECT_NE(message.find("all of class 1"), std::string::npos) << message;
    EXPECT_NE(message.find("in [3.77, 6.28]"), std::string::npos) << message;
    EXPECT_NE(message.find("stratified split fixes it"), std::string::npos) << message;
    EXPECT_NE(find(h.findings, "split.covariate_shift")->message.find("in [3.77, 6.28]"), std::string::npos);

    // The validation gap links the split findings that explain it.
    const Finding* gap = find(h.findings, "fit.validation_gap");
    ASSERT_NE(gap, nullptr);
    const auto& by = gap->evidence["explained_by"];
    EXPECT_NE(std::find(by.begin(), by.end(), "split.label_shift"), by.end());
    EXPECT_NE(std::find(by.begin(), by.end(), "split.covariate_shift"), by.end());
    // Every finding is printed once, with its fix: the pre-flight ones before epoch 1, the
    // rest after fit under the count line.
    EXPECT_NE(printed.rfind("        fix: "), std::string::npos);
    EXPECT_EQ(printed.find("doctor: [warning] split.label_shift"), printed.rfind("doctor: [warning] split.label_shift"));
    EXPECT_LT(printed.find("doctor: [warning] split.label_shift"), printed.find("Epoch 1/300"));
    EXPECT_GT(printed.find("doctor: [warning] fit.validation_gap"), printed.find("Epoch 300/300"));
    EXPECT_NE(printed.find("doctor: " + count_findings(h.findings) + " ("), std::string::npos) << printed;
}

TEST(DoctorFit, PreflightFindingsExistWhenTheFirstEpochBegins) {
    auto [x, y] = seed_data();
    Sequential model = seed_model();
    auto doctor = std::make_shared<Doctor>();
    std::vector<std::string> ids_at_epoch_1;
    auto probe = std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_epoch_begin = [&](Sequential&, int epoch) {
        if (epoch == 0)
            for (const auto& f : doctor->findings()) ids_at_epoch_1.push_back(f.id);
    }});
    FitOptions options = seed_options(Split::tail, 2);
    options.callbacks = {doctor, probe};
    const History h = model.fit(x, y, options);  // the explicit Doctor above instead of fit_with_doctor's
    for (const char* id : {"split.label_shift", "split.covariate_shift", "data.sorted_by_label"})
        EXPECT_NE(std::find(ids_at_epoch_1.begin(), ids_at_epoch_1.end(), id), ids_at_epoch_1.end()) << id;
}

TEST(DoctorFit, StratifiedSplitRemovesTheSplitFindings) {
    auto [x, y] = seed_data();
    Sequential model = seed_model();
    const DiagnosedFit h = fit_with_doctor(model, x, y, seed_options(Split::automatic));
    EXPECT_GE(h.history.last("val_accuracy"), 0.95);
    EXPECT_EQ(find(h.findings, "split.label_shift"), nullptr);
    EXPECT_EQ(find(h.findings, "split.covariate_shift"), nullptr);
    const Finding* sorted = find(h.findings, "data.sorted_by_label");
    ASSERT_NE(sorted, nullptr);  // still true of the data, but harmless now
    EXPECT_EQ(sorted->severity, "info");
    EXPECT_EQ(serious(h.findings), "");
}

TEST(DoctorFit, StandardizingRemovesUnscaled) {
    auto [x, y] = seed_data();
    const Matrix big = x * Scalar(1000);
    Sequential model = seed_model();
    const DiagnosedFit before = fit_with_doctor(model, big, y, seed_options(Split::automatic, 20));
    const Finding* unscaled = find(before.findings, "data.unscaled");
    ASSERT_NE(unscaled, nullptr);
    EXPECT_EQ(unscaled->severity, "warning");
    EXPECT_NE(unscaled->fix.find("Standardizer"), std::string::npos);

    EXPECT_EQ(unscaled->evidence["features"][0]["name"], "x0");  // the default names

    // Names given to the doctor reach its evidence.
    Sequential again = seed_model();
    const DiagnosedFit with_names = fit_with_doctor(again, big, y, seed_options(Split::automatic, 20),
                                                    {.feature_names = {"position", "height"}, .class_names = {"upper", "lower"}});
    const Finding* renamed = find(with_names.findings, "data.unscaled");
    ASSERT_NE(renamed, nullptr);
    EXPECT_EQ(renamed->evidence["features"][0]["name"], "position");

    Standardizer scaler;
    const Matrix scaled = scaler.fit_transform(big);
    Sequential fixed = seed_model();
    const DiagnosedFit after = fit_with_doctor(fixed, scaled, y, seed_options(Split::automatic, 20));
    EXPECT_EQ(find(after.findings, "data.unscaled"), nullptr);
}

TEST(DoctorFit, LowerLearningRateRemovesDiverging) {
    auto [x, y] = seed_data();
    Sequential model = seed_model(10.0);
    const DiagnosedFit before = fit_with_doctor(model, x, y, seed_options(Split::automatic));
    const Finding* diverging = find(before.findings, "train.diverging");
    ASSERT_NE(diverging, nullptr) << serious(before.findings);
    // 10 is 1000x SGD's default 0.01: the fix goes straight to 10x the default, not to 10 / 10.
    EXPECT_NE(diverging->fix.find("--lr 0.1)"), std::string::npos) << diverging->fix;
    EXPECT_EQ(diverging->fix_options, (nlohmann::json{{"model", {{"lr", 0.1}}}}));

    Sequential fixed = seed_model(0.01);
    const DiagnosedFit after = fit_with_doctor(fixed, x, y, seed_options(Split::automatic));
    EXPECT_EQ(find(after.findings, "train.diverging"), nullptr);
    EXPECT_EQ(serious(after.findings), "");
}

TEST(DoctorFit, SeedGridIsExtrapolation) {
    auto [x, y] = seed_data();
    const Support support = Support::fit(x.topRows(409));  // the tail split's training rows
    const auto found = check_prediction(support, seed_grid(), {"x", "y"});
    const Finding* f = find(found, "predict.extrapolation");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, "warning");
    const double fraction = f->evidence["fraction"].get<double>();
    EXPECT_GT(fraction, 0.3);  // x in (2pi, 3pi] is a third of the grid
    EXPECT_LT(fraction, 1.0);
    EXPECT_NE(f->message.find("x in [0, 9.42]"), std::string::npos) << f->message;
    EXPECT_TRUE(check_prediction(support, x.topRows(409)).empty());
}

// A saved model keeps its training support (at most 500 rows) and can still check extrapolation.
TEST(DoctorFit, SupportSurvivesJsonForPrediction) {
    auto [x, y] = seed_data();
    const Support support = Support::fit(x.topRows(409));
    const nlohmann::json j = nlohmann::json::parse(support.to_json().dump());
    EXPECT_LE(j["rows"].size(), static_cast<std::size_t>(Support::kMaxStoredRows));
    const Support loaded = Support::from_json(j);
    const Matrix grid = seed_grid();
    EXPECT_NEAR(loaded.fraction_outside(grid), support.fraction_outside(grid), 0.02);
    EXPECT_EQ(loaded.fraction_outside(x.topRows(409)), 0.0);
    EXPECT_NE(find(check_prediction(loaded, grid), "predict.extrapolation"), nullptr);
    EXPECT_THROW(Support::from_json(nlohmann::json::object()), ConfigError);
}

TEST(DoctorFit, PreflightRunsWithoutTraining) {
    auto [x, y] = seed_data();
    const Sequential model = seed_model();
    const auto found = preflight(x, y, seed_options(Split::tail), model);
    for (const char* id : {"split.label_shift", "split.covariate_shift", "data.sorted_by_label"})
        EXPECT_NE(find(found, id), nullptr) << id;
    EXPECT_FALSE(model.built());  // nothing was trained or even initialised

    // On the built-in dataset the messages use its feature names.
    Sequential sparse;
    sparse.add(Dense({.units = 8, .activation = "tanh", .input_dim = 2}));
    sparse.add(Dense({.units = 2, .activation = "softmax"}));
    sparse.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy"});
    const Dataset seed = make_dataset("seed-curves");
    const auto named = preflight(seed, seed_options(Split::tail), sparse);
    ASSERT_NE(find(named, "split.label_shift"), nullptr);
    EXPECT_NE(find(named, "split.label_shift")->message.find("with x in [3.77, 6.28]"), std::string::npos)
        << find(named, "split.label_shift")->message;
    EXPECT_TRUE(preflight(seed, seed_options(Split::stratified), sparse).size() == 1);  // sorted_by_label, info

    // What fit would throw for, preflight reports.
    Sequential wrong;
    wrong.add(Dense({.units = 2, .activation = "softmax", .input_dim = 2}));
    wrong.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
    const std::vector<Finding> wrong_findings = preflight(seed.x, seed.y, {}, wrong);
    const Finding* mismatch = find(wrong_findings, "config.labels_mismatch");
    ASSERT_NE(mismatch, nullptr);
    EXPECT_EQ(mismatch->severity, "error");
}

// Clean, well-configured runs of every built-in dataset with the default split
// raise no warning or error: false alarms are bugs.
TEST(DoctorFit, BuiltInDatasetsHaveNoFalseAlarms) {
    for (const auto& info : list_datasets()) {
        const Dataset d = make_dataset(info.name);
        const bool classification = d.is_classification();
        Sequential model;
        model.add(Dense({.units = 16, .activation = "tanh", .input_dim = d.features()}));
        model.add(Dense({.units = 16, .activation = "tanh"}));
        model.add(Dense({.units = classification ? d.num_classes() : 1, .activation = classification ? "softmax" : "linear"}));
        model.compile({.optimizer = {.name = "adam", .learning_rate = 0.01},
                       .loss = classification ? "sparse_categorical_crossentropy" : "mse",
                       .metrics = {classification ? "accuracy" : "r2"}});
        const DiagnosedFit h = fit_with_doctor(model, d.x, d.y, {.epochs = 200, .batch_size = 32, .validation_split = 0.2, .seed = 0, .verbose = 0});
        EXPECT_EQ(serious(h.findings), "") << info.name;
    }
}

TEST(DoctorFit, RecorderSamplesABoundedNumberOfBatches) {
    auto [x, y] = seed_data();
    Sequential model = seed_model();
    auto doctor = std::make_shared<Doctor>();
    FitOptions options = seed_options(Split::tail, 3);
    options.callbacks = {doctor};
    model.fit(x, y, options);
    const auto& record = doctor->record();
    ASSERT_EQ(record.epochs.size(), 3u);
    for (const auto& e : record.epochs) {
        EXPECT_EQ(e.sampled_batches, 8);  // 52 batches, every 7th
        EXPECT_EQ(e.sampled_rows, 64);
        ASSERT_EQ(e.layers.size(), 10u);
        EXPECT_TRUE(std::isfinite(e.layers[0].gradient_norm));      // Dense: gradients and weights
        EXPECT_TRUE(std::isfinite(e.layers[0].weight_norm));
        EXPECT_FALSE(std::isfinite(e.layers[0].saturated_fraction));  // linear: no saturation statistics
        EXPECT_TRUE(std::isfinite(e.layers[1].saturated_fraction));   // tanh
        EXPECT_FALSE(std::isfinite(e.layers[1].gradient_norm));       // no parameters
    }
    EXPECT_EQ(record.labels.train_class_counts, (std::vector<Index>{256, 153}));
    EXPECT_TRUE(record.data.validation_is_tail);

    // Long fits record layer statistics on evenly spaced epochs, and always on the last one.
    Sequential again = seed_model();
    auto sparse = std::make_shared<Doctor>(DoctorOptions{.max_sampled_epochs = 2});
    options = seed_options(Split::tail, 5);
    options.callbacks = {sparse};
    again.fit(x, y, options);
    std::vector<int> sampled;
    for (const auto& e : sparse->record().epochs) {
        EXPECT_TRUE(std::isfinite(e.loss));
        if (e.sampled_batches > 0) sampled.push_back(e.epoch);
        else EXPECT_TRUE(e.layers.empty());
    }
    EXPECT_EQ(sampled, (std::vector<int>{0, 3, 4}));
}

TEST(DoctorFit, DeadReluLayerIsReported) {
    const Dataset d = make_dataset("moons");
    Sequential model;
    model.add(Dense({.units = 8, .activation = "relu", .bias_initializer = {.name = "constant", .value = -100}, .input_dim = 2}));
    model.add(Dense({.units = 2, .activation = "softmax"}));
    model.compile({.optimizer = {.name = "sgd"}, .loss = "sparse_categorical_crossentropy"});
    const DiagnosedFit h = fit_with_doctor(model, d.x, d.y, {.epochs = 5, .validation_split = 0.2, .seed = 0, .verbose = 0});
    const Finding* dead = find(h.findings, "model.dead_units");
    ASSERT_NE(dead, nullptr) << serious(h.findings);
    EXPECT_EQ(dead->severity, "warning");
    EXPECT_NE(dead->message.find("100% dead"), std::string::npos) << dead->message;
}

TEST(DoctorFit, NonfiniteLossIsLocated) {
    const Dataset d = make_dataset("regression-2d");
    Matrix y = d.y * Scalar(1e25);  // squared errors overflow float
    Sequential model;
    model.add(Dense({.units = 4, .activation = "tanh", .input_dim = 2}));
    model.add(Dense({.units = 1}));
    model.compile({.optimizer = {.name = "sgd"}, .loss = "mse"});
    const DiagnosedFit h = fit_with_doctor(model, d.x, y, {.epochs = 2, .validation_split = 0.2, .seed = 0, .verbose = 0});
    const Finding* f = find(h.findings, "train.nonfinite");
    ASSERT_NE(f, nullptr) << serious(h.findings);
    EXPECT_EQ(f->severity, "error");
    EXPECT_EQ(f->epoch, 0);
    EXPECT_NE(f->fix.find("--lr"), std::string::npos);
}

TEST(DoctorFit, APlainFitRunsNoDoctor) {
    auto [x, y] = seed_data();
    Sequential model = seed_model();
    FitOptions options = seed_options(Split::tail, 1);
    std::string printed;
    options.verbose = 2;
    options.progress = [&](std::string_view s) { printed += s; };
    model.fit(x, y, options);
    EXPECT_NE(printed.find("Epoch 1/1"), std::string::npos);
    EXPECT_EQ(printed.find("doctor:"), std::string::npos) << printed;
    Sequential watched = seed_model();
    printed.clear();
    fit_with_doctor(watched, x, y, options);
    EXPECT_NE(printed.find("doctor: [warning] split.label_shift"), std::string::npos) << printed;
}

}  // namespace
}  // namespace plexus
