// The training doctor's rules on synthetic TrainingRecords: each rule fires on
// a record built to show its problem and stays silent on a healthy one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "plexus/doctor/rules.hpp"

namespace plexus::doctor {
namespace {

// A healthy run: 2 balanced classes, 2 standardised features, a stratified
// 80/20 split, a 2-16-2 tanh/softmax model trained 50 epochs with adam, its
// loss falling smoothly from 0.69 to 0.02.
TrainingRecord healthy() {
    TrainingRecord r;
    auto& d = r.data;
    d.rows = 500;
    d.train_rows = 400;
    d.validation_rows = 100;
    d.split_method = "stratified";
    d.validation_split = 0.2;
    for (int j = 0; j < 2; ++j) {
        FeatureFacts f;
        f.name = "x" + std::to_string(j);
        f.train_min = -1.7;
        f.train_max = 1.7;
        f.train_mean = 0.0;
        f.train_std = 1.0;
        f.val_min = -1.6;
        f.val_max = 1.6;
        d.features.push_back(f);
    }
    d.validation_outside_support = 0.01;
    d.validation_rows_checked = 100;
    auto& l = r.labels;
    l.classification = true;
    l.num_classes = 2;
    l.class_names = {"0", "1"};
    l.class_counts = {250, 250};
    l.train_class_counts = {200, 200};
    l.validation_class_counts = {50, 50};
    l.label_runs = 251;
    l.same_label_adjacency = 0.5;
    r.target = {.columns = 1, .min = 0, .max = 1, .integer_valued = true, .binary = true, .one_hot = false};
    auto& c = r.config;
    c.loss = "sparse_categorical_crossentropy";
    c.output_activation = "softmax";
    c.output_units = 2;
    c.optimizer = "adam";
    c.learning_rate = 0.01;
    c.batch_size = 32;
    c.epochs = 50;
    c.metrics = {"accuracy"};
    c.baseline_loss = std::log(2.0);
    r.layers = {{.name = "dense", .type = "Dense", .activation = "tanh", .units = 16, .params = 48, .kernel_params = 32},
                {.name = "dense_1", .type = "Dense", .activation = "softmax", .units = 2, .params = 34, .kernel_params = 32,
                 .is_output = true}};
    for (int e = 0; e < 50; ++e) {
        EpochStats s;
        s.epoch = e;
        s.loss = 0.67 * std::exp(-e / 8.0) + 0.02;
        s.val_loss = s.loss * 1.1 + 0.01;
        s.logs = {{"loss", s.loss}, {"val_loss", s.val_loss}, {"accuracy", 0.98}, {"val_accuracy", 0.97}};
        LayerEpochStats hidden{.mean_abs_activation = 0.5,
                               .saturated_fraction = 0.05,
                               .saturated_units = 0.0,
                               .gradient_norm = 0.1,
                               .gradient_rms = 0.01,
                               .weight_norm = 3.0};
        LayerEpochStats output{.mean_abs_activation = 0.5, .gradient_norm = 0.2, .gradient_rms = 0.02, .weight_norm = 2.0};
        s.layers = {hidden, output};
        s.sampled_batches = 13;
        s.sampled_rows = 400;
        r.epochs.push_back(s);
    }
    return r;
}

// Sets the training loss of every epoch from f(epoch) (and the logs' copy).
template <typename F>
void set_loss(TrainingRecord& r, F f) {
    for (auto& e : r.epochs) {
        e.loss = f(e.epoch);
        e.logs["loss"] = e.loss;
    }
}

bool has(const std::vector<Finding>& found, const std::string& id, const std::string& severity = "") {
    return std::any_of(found.begin(), found.end(),
                       [&](const Finding& f) { return f.id == id && (severity.empty() || f.severity == severity); });
}

// --- the registry and the healthy run ---

TEST(DoctorRules, RegistryHoldsEveryIdOfTheIssueOnce) {
    const std::vector<std::pair<std::string, Phase>> expected = {
        {"split.label_shift", Phase::preflight},       {"split.covariate_shift", Phase::preflight},
        {"data.sorted_by_label", Phase::preflight},    {"data.unscaled", Phase::preflight},
        {"data.unscaled_target", Phase::preflight},
        {"data.class_imbalance", Phase::preflight},    {"data.duplicates_across_split", Phase::preflight},
        {"data.constant_feature", Phase::preflight},   {"config.loss_activation_mismatch", Phase::preflight},
        {"config.labels_mismatch", Phase::preflight},  {"train.nonfinite", Phase::epoch},
        {"train.diverging", Phase::epoch},             {"train.stalled", Phase::epoch},
        {"model.saturation", Phase::epoch},            {"model.dead_units", Phase::epoch},
        {"model.vanishing_gradients", Phase::epoch},   {"model.exploding_gradients", Phase::epoch},
        {"fit.overfitting", Phase::final},             {"fit.underfitting", Phase::final},
        {"fit.validation_gap", Phase::final},          {"predict.extrapolation", Phase::predict},
    };
    ASSERT_EQ(all_rules().size(), expected.size());
    std::set<std::string> seen;
    for (const auto& [id, phase] : expected) {
        const auto it = std::find_if(all_rules().begin(), all_rules().end(), [&](const Rule& r) { return r.id == id; });
        ASSERT_NE(it, all_rules().end()) << id;
        EXPECT_EQ(it->phase, phase) << id;
        EXPECT_TRUE(seen.insert(id).second) << id;
    }
}

TEST(DoctorRules, HealthyRecordHasNoFindings) {
    const TrainingRecord r = healthy();
    for (Phase phase : {Phase::preflight, Phase::epoch, Phase::final, Phase::predict})
        for (const auto& f : run_rules(r, phase)) ADD_FAILURE() << f.id << ": " << f.message;
}

// Every finding any rule produces on the records of this file is well-formed.
void expect_well_formed(const std::vector<Finding>& found) {
    for (const auto& f : found) {
        EXPECT_TRUE(f.severity == "info" || f.severity == "warning" || f.severity == "error") << f.id;
        EXPECT_FALSE(f.message.empty()) << f.id;
        EXPECT_FALSE(f.fix.empty()) << f.id;
        EXPECT_TRUE(f.evidence.is_object()) << f.id;
    }
}

// --- pre-flight ---

// The seed's tail split: the validation part is the last 103 rows, all class 1.
TrainingRecord seed_tail() {
    TrainingRecord r = healthy();
    r.data.rows = 512;
    r.data.train_rows = 409;
    r.data.validation_rows = 103;
    r.data.split_method = "tail";
    r.data.validation_is_tail = true;
    r.labels.class_counts = {256, 256};
    r.labels.train_class_counts = {256, 153};
    r.labels.validation_class_counts = {0, 103};
    r.labels.label_runs = 2;
    r.labels.same_label_adjacency = 511.0 / 511.0 - 1.0 / 511.0;
    r.labels.first_runs = {{0, 0, 256}, {1, 256, 256}};
    auto& x = r.data.features[0];
    x.name = "x";
    x.train_min = 0;
    x.train_max = 6.2832;
    x.val_min = 3.7699;
    x.val_max = 6.2832;
    x.train_class_min = {0, 0};
    x.train_class_max = {6.2832, 3.7453};
    x.val_class_min = {kNaN, 3.7699};
    x.val_class_max = {kNaN, 6.2832};
    x.val_class_outside_range = {0, 96};
    r.data.validation_outside_support = 0.88;
    r.data.validation_rows_checked = 103;
    return r;
}

TEST(DoctorRules, LabelShiftFiresOnTheSeedsTailSplit) {
    const auto found = split_label_shift(seed_tail());
    ASSERT_EQ(found.size(), 1u);
    const Finding& f = found[0];
    EXPECT_EQ(f.severity, "warning");
    EXPECT_NE(f.message.find("last 20%"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("all of class 1"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("x in [3.77, 6.28]"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("stratified"), std::string::npos) << f.message;
    EXPECT_NE(f.fix.find("Split::stratified"), std::string::npos);
    EXPECT_NE(f.fix.find("--split stratified"), std::string::npos);
    EXPECT_EQ(f.evidence["validation_class_counts"][0], 0);
    EXPECT_FALSE(f.epoch.has_value());
    expect_well_formed(found);
}

TEST(DoctorRules, LabelShiftIsAnErrorWhenTrainingLacksAClass) {
    TrainingRecord r = healthy();
    r.labels.train_class_counts = {400, 0};
    r.labels.validation_class_counts = {50, 50};
    EXPECT_TRUE(has(split_label_shift(r), "split.label_shift", "error"));
}

TEST(DoctorRules, LabelShiftIgnoresTheNoiseOfARandomSplit) {
    TrainingRecord r = healthy();
    r.data.split_method = "random";
    r.labels.train_class_counts = {205, 195};
    r.labels.validation_class_counts = {45, 55};  // 10 points off, well within chance for 100 rows
    EXPECT_TRUE(split_label_shift(r).empty());
    // A small class that a small validation part may simply not draw.
    r.labels.train_class_counts = {397, 3};
    r.labels.validation_class_counts = {100, 0};
    EXPECT_TRUE(split_label_shift(r).empty());
}

TEST(DoctorRules, CovariateShiftFiresWhenValidationLeavesTheSupport) {
    const auto found = split_covariate_shift(seed_tail());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].severity, "warning");
    EXPECT_NE(found[0].message.find("88%"), std::string::npos) << found[0].message;
    EXPECT_NE(found[0].message.find("[3.77, 6.28]"), std::string::npos) << found[0].message;
    EXPECT_NE(found[0].fix.find("--split stratified"), std::string::npos);
    expect_well_formed(found);
}

TEST(DoctorRules, CovariateShiftIgnoresAFewOutliers) {
    TrainingRecord r = healthy();
    r.data.validation_outside_support = 0.05;
    EXPECT_TRUE(split_covariate_shift(r).empty());
    r.data.validation_outside_support = 0.2;  // 20% of 10 rows: 2 rows
    r.data.validation_rows_checked = 10;
    EXPECT_TRUE(split_covariate_shift(r).empty());
    r.data.validation_rows_checked = 100;
    EXPECT_FALSE(split_covariate_shift(r).empty());
}

TEST(DoctorRules, SortedByLabelIsAWarningWithATailSplitAndInfoOtherwise) {
    TrainingRecord r = seed_tail();
    EXPECT_TRUE(has(data_sorted_by_label(r), "data.sorted_by_label", "warning"));
    r.data.split_method = "stratified";
    r.data.validation_is_tail = false;
    EXPECT_TRUE(has(data_sorted_by_label(r), "data.sorted_by_label", "info"));
    r.data.shuffle = false;
    EXPECT_TRUE(has(data_sorted_by_label(r), "data.sorted_by_label", "warning"));
    expect_well_formed(data_sorted_by_label(r));
}

TEST(DoctorRules, SortedByLabelIgnoresShuffledAndImbalancedOrders) {
    TrainingRecord r = healthy();  // adjacency 0.5 = chance for two balanced classes
    EXPECT_TRUE(data_sorted_by_label(r).empty());
    r.labels.class_counts = {490, 10};  // 98% one class: long runs by chance alone
    r.labels.same_label_adjacency = 0.96;
    EXPECT_TRUE(data_sorted_by_label(r).empty());
}

TEST(DoctorRules, UnscaledFiresOnLargeOrDisparateFeatures) {
    TrainingRecord r = healthy();
    r.data.features[0].train_mean = 3142;
    r.data.features[0].train_std = 1800;
    const auto found = data_unscaled(r);
    ASSERT_TRUE(has(found, "data.unscaled", "warning"));
    EXPECT_NE(found[0].fix.find("Standardizer"), std::string::npos);
    EXPECT_NE(found[0].fix.find("--standardize"), std::string::npos);
    expect_well_formed(found);

    r = healthy();
    r.data.features[1].train_std = 0.001;  // 1000x smaller spread than x0
    EXPECT_TRUE(has(data_unscaled(r), "data.unscaled"));
}

TEST(DoctorRules, UnscaledAcceptsModerateRanges) {
    TrainingRecord r = healthy();
    r.data.features[0].train_mean = 3.14;  // the seed's x in [0, 2pi]
    r.data.features[0].train_std = 1.8;
    r.data.features[1].train_std = 0.3;
    EXPECT_TRUE(data_unscaled(r).empty());
}

TEST(DoctorRules, ClassImbalanceFiresAboveTenToOne) {
    TrainingRecord r = healthy();
    r.labels.class_counts = {480, 20};
    auto found = data_class_imbalance(r);
    ASSERT_TRUE(has(found, "data.class_imbalance", "warning"));
    EXPECT_NE(found[0].fix.find("class_weight"), std::string::npos);
    expect_well_formed(found);
    r.config.class_weight = true;
    EXPECT_TRUE(has(data_class_imbalance(r), "data.class_imbalance", "info"));
    r.labels.class_counts = {300, 200};
    EXPECT_TRUE(data_class_imbalance(r).empty());
}

TEST(DoctorRules, DuplicatesAcrossSplitFiresOnLeakage) {
    TrainingRecord r = healthy();
    r.data.duplicate_rows = 12;
    r.data.duplicate_rows_same_target = 12;
    const auto found = data_duplicates_across_split(r);
    ASSERT_TRUE(has(found, "data.duplicates_across_split", "warning"));
    EXPECT_NE(found[0].message.find("12 of the 100"), std::string::npos);
    expect_well_formed(found);
    r.data.duplicate_rows = 0;
    EXPECT_TRUE(data_duplicates_across_split(r).empty());
}

TEST(DoctorRules, ConstantFeatureFires) {
    TrainingRecord r = healthy();
    r.data.features[1].train_min = r.data.features[1].train_max = 3.0;
    r.data.features[1].train_std = 0;
    const auto found = data_constant_feature(r);
    ASSERT_TRUE(has(found, "data.constant_feature", "warning"));
    EXPECT_NE(found[0].message.find("x1"), std::string::npos);
    expect_well_formed(found);
    EXPECT_TRUE(data_constant_feature(healthy()).empty());
}

TEST(DoctorRules, LossActivationMismatchCases) {
    TrainingRecord r = healthy();
    r.config.output_units = 1;  // softmax over one unit
    EXPECT_TRUE(has(config_loss_activation_mismatch(r), "config.loss_activation_mismatch", "error"));

    r = healthy();
    r.config.from_logits = true;  // on a softmax output
    EXPECT_TRUE(has(config_loss_activation_mismatch(r), "config.loss_activation_mismatch", "error"));

    r = healthy();
    r.config.output_activation = "sigmoid";  // categorical cross-entropy on sigmoid
    EXPECT_TRUE(has(config_loss_activation_mismatch(r), "config.loss_activation_mismatch", "warning"));

    r = healthy();
    r.config.output_activation = "linear";  // ... on a linear output without from_logits
    EXPECT_TRUE(has(config_loss_activation_mismatch(r), "config.loss_activation_mismatch", "error"));
    r.config.from_logits = true;  // the right way to use a linear output
    EXPECT_TRUE(config_loss_activation_mismatch(r).empty());

    r = healthy();
    r.config.loss = "binary_crossentropy";  // softmax with binary cross-entropy on 2 units
    EXPECT_TRUE(has(config_loss_activation_mismatch(r), "config.loss_activation_mismatch", "warning"));

    r = healthy();
    r.config.loss = "mse";  // mse on one-hot class targets
    r.target = {.columns = 2, .min = 0, .max = 1, .integer_valued = true, .binary = true, .one_hot = true};
    const auto found = config_loss_activation_mismatch(r);
    EXPECT_TRUE(has(found, "config.loss_activation_mismatch", "warning"));
    expect_well_formed(found);

    r = healthy();  // regression done right
    r.labels = {};
    r.config.loss = "mse";
    r.config.output_activation = "linear";
    r.config.output_units = 1;
    r.target = {.columns = 1, .min = -1.2, .max = 1.3};
    EXPECT_TRUE(config_loss_activation_mismatch(r).empty());
}

TEST(DoctorRules, LabelsMismatchCases) {
    TrainingRecord r = healthy();
    r.config.loss = "categorical_crossentropy";  // class indices given to a one-hot loss
    auto found = config_labels_mismatch(r);
    ASSERT_TRUE(has(found, "config.labels_mismatch", "error"));
    EXPECT_NE(found[0].fix.find("sparse_categorical_crossentropy"), std::string::npos);
    expect_well_formed(found);

    r = healthy();
    r.target.max = 3;  // 4 classes, 2 output units
    found = config_labels_mismatch(r);
    ASSERT_TRUE(has(found, "config.labels_mismatch", "error"));
    EXPECT_NE(found[0].fix.find(".units = 4"), std::string::npos) << found[0].fix;

    r = healthy();
    r.target = {.columns = 2, .min = 0, .max = 1, .integer_valued = true, .binary = true, .one_hot = true};
    EXPECT_TRUE(has(config_labels_mismatch(r), "config.labels_mismatch"));  // one-hot rows to a sparse loss

    r = healthy();
    r.config.loss = "binary_crossentropy";
    r.config.output_activation = "sigmoid";
    r.config.output_units = 1;
    r.target.min = -1;  // labels -1/1
    EXPECT_TRUE(has(config_labels_mismatch(r), "config.labels_mismatch"));
    r.target.min = 0;
    EXPECT_TRUE(config_labels_mismatch(r).empty());
}

// --- during training ---

TEST(DoctorRules, NonfiniteNamesTheFirstLayer) {
    TrainingRecord r = healthy();
    r.nonfinite = NonfiniteEvent{.epoch = 7, .batch = 3, .where = "activations", .layer = 0, .layer_name = "dense"};
    const auto found = train_nonfinite(r);
    ASSERT_TRUE(has(found, "train.nonfinite", "error"));
    EXPECT_NE(found[0].message.find("'dense'"), std::string::npos) << found[0].message;
    EXPECT_NE(found[0].message.find("epoch 8"), std::string::npos) << found[0].message;
    EXPECT_EQ(found[0].epoch, 7);
    expect_well_formed(found);
}

TEST(DoctorRules, DivergingFiresOnRisingLoss) {
    TrainingRecord r = healthy();
    set_loss(r, [](int e) { return 0.7 + 0.05 * e; });
    const auto found = train_diverging(r);
    ASSERT_TRUE(has(found, "train.diverging", "warning"));
    EXPECT_NE(found[0].fix.find("learning_rate = 0.001"), std::string::npos) << found[0].fix;
    EXPECT_NE(found[0].fix.find("--lr"), std::string::npos);
    expect_well_formed(found);
}

TEST(DoctorRules, DivergingFiresOnReboundAndOscillation) {
    TrainingRecord r = healthy();
    set_loss(r, [](int e) { return e < 20 ? 0.7 - 0.03 * e : 0.1 + 0.03 * (e - 20); });  // down to 0.1, back up to 0.97
    EXPECT_TRUE(has(train_diverging(r), "train.diverging"));
    set_loss(r, [](int e) { return e % 2 ? 0.6 : 0.4; });  // jumps of 0.2 = 33% of the start every other epoch
    EXPECT_TRUE(has(train_diverging(r), "train.diverging"));
}

TEST(DoctorRules, DivergingIgnoresNoiseAroundAFallingLoss) {
    TrainingRecord r = healthy();
    set_loss(r, [](int e) { return 0.67 * std::exp(-e / 8.0) + 0.02 + (e % 3 == 0 ? 0.02 : 0.0); });
    EXPECT_TRUE(train_diverging(r).empty());
    set_loss(r, [](int e) { return 0.02 + (e % 2 ? 0.01 : 0.0); });  // converged, tiny wiggles
    EXPECT_TRUE(train_diverging(r).empty());
}

TEST(DoctorRules, StalledFiresOnAFlatHighLoss) {
    TrainingRecord r = healthy();
    set_loss(r, [](int e) { return 0.693 - 0.0001 * e; });
    const auto found = train_stalled(r);
    ASSERT_TRUE(has(found, "train.stalled", "warning"));
    EXPECT_NE(found[0].fix.find("learning_rate = 0.1"), std::string::npos) << found[0].fix;
    expect_well_formed(found);
}

TEST(DoctorRules, StalledIgnoresAConvergedRun) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.02; });  // flat, but at 3% of the baseline: nothing left to learn
    EXPECT_TRUE(train_stalled(r).empty());
}

TEST(DoctorRules, SaturationIsAWarningWhileTheFitIsPoor) {
    TrainingRecord r = healthy();
    for (auto& e : r.epochs) e.layers[0].saturated_units = 0.9;
    EXPECT_TRUE(has(model_saturation(r), "model.saturation", "info"));  // converged: info only
    set_loss(r, [](int) { return 0.6; });
    const auto found = model_saturation(r);
    ASSERT_TRUE(has(found, "model.saturation", "warning"));
    EXPECT_NE(found[0].message.find("'dense'"), std::string::npos);
    expect_well_formed(found);
}

TEST(DoctorRules, SaturationIgnoresTheOutputLayerAndModerateLayers) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.6; });
    for (auto& e : r.epochs) e.layers[0].saturated_units = 0.4;
    EXPECT_TRUE(model_saturation(r).empty());
    r.layers[1].activation = "sigmoid";  // a saturated output is a confident one
    for (auto& e : r.epochs) e.layers[1].saturated_units = 1.0;
    EXPECT_TRUE(model_saturation(r).empty());
}

TEST(DoctorRules, DeadUnitsFireAboveHalfTheLayer) {
    TrainingRecord r = healthy();
    r.layers[0].activation = "relu";
    for (auto& e : r.epochs) e.layers[0].dead_fraction = 0.75;
    EXPECT_TRUE(has(model_dead_units(r), "model.dead_units", "info"));  // the rest suffice
    set_loss(r, [](int) { return 0.6; });
    const auto found = model_dead_units(r);
    EXPECT_TRUE(has(found, "model.dead_units", "warning"));
    expect_well_formed(found);
    for (auto& e : r.epochs) e.layers[0].dead_fraction = 0.25;
    EXPECT_TRUE(model_dead_units(r).empty());
}

TEST(DoctorRules, VanishingGradientsFireWhenTheFirstLayerGetsNothing) {
    TrainingRecord r = healthy();
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 1e-6;  // ratio 5e-6 next to the output's 0.2
    EXPECT_TRUE(model_vanishing_gradients(r).empty());          // converged: small gradients are expected
    set_loss(r, [](int) { return 0.6; });
    const auto found = model_vanishing_gradients(r);
    ASSERT_TRUE(has(found, "model.vanishing_gradients", "warning"));
    expect_well_formed(found);
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 0.05;
    EXPECT_TRUE(model_vanishing_gradients(r).empty());
}

TEST(DoctorRules, ExplodingGradientsFireAboveRatioSeventy) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.6; });
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 20.0;  // 100x the output layer's 0.2
    const auto found = model_exploding_gradients(r);
    ASSERT_TRUE(has(found, "model.exploding_gradients", "warning"));
    EXPECT_NE(found[0].fix.find("clipnorm"), std::string::npos);
    expect_well_formed(found);
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 5.0;  // 25x
    EXPECT_TRUE(model_exploding_gradients(r).empty());
}

// --- after training ---

TEST(DoctorRules, OverfittingSaysWhenEarlyStoppingWouldHaveStopped) {
    TrainingRecord r = healthy();
    for (auto& e : r.epochs) {
        e.loss = 0.5 * std::exp(-e.epoch / 10.0) + 0.01;
        e.val_loss = e.epoch <= 15 ? 0.6 - 0.02 * e.epoch : 0.3 + 0.02 * (e.epoch - 15);  // minimum at epoch index 15
    }
    const auto found = fit_overfitting(r);
    ASSERT_TRUE(has(found, "fit.overfitting", "warning"));
    // Keras EarlyStopping(patience=10): best at index 15 (epoch 16), stops 10 epochs later (epoch 26).
    EXPECT_NE(found[0].message.find("would have stopped at epoch 26"), std::string::npos) << found[0].message;
    EXPECT_NE(found[0].message.find("epoch 16"), std::string::npos) << found[0].message;
    EXPECT_EQ(found[0].evidence["early_stopping_epoch"], 26);
    EXPECT_NE(found[0].fix.find("EarlyStopping"), std::string::npos);
    EXPECT_NE(found[0].fix.find("--early-stopping"), std::string::npos);
    expect_well_formed(found);

    r.config.epochs = 100;  // a callback stopped the run at 50 of 100 epochs: already handled
    EXPECT_TRUE(fit_overfitting(r).empty());
}

TEST(DoctorRules, OverfittingIgnoresASmallRiseNearZero) {
    TrainingRecord r = healthy();
    for (auto& e : r.epochs) e.val_loss = e.epoch < 30 ? 0.05 : 0.05 + 0.001 * (e.epoch - 30);  // +0.02 of 0.69
    EXPECT_TRUE(fit_overfitting(r).empty());
}

TEST(DoctorRules, UnderfittingFiresOnAHighFinalLoss) {
    TrainingRecord r = healthy();
    set_loss(r, [](int e) { return 0.69 - 0.002 * e; });  // ends at 0.59, 85% of the baseline
    const auto found = fit_underfitting(r);
    ASSERT_TRUE(has(found, "fit.underfitting", "warning"));
    EXPECT_NE(found[0].fix.find("--epochs"), std::string::npos);
    expect_well_formed(found);
    EXPECT_TRUE(fit_underfitting(healthy()).empty());
}

TEST(DoctorRules, ValidationGapLinksTheSplitFindings) {
    TrainingRecord r = seed_tail();
    r.preflight_ids = {"split.label_shift", "split.covariate_shift", "data.sorted_by_label"};
    r.epochs.back().logs["accuracy"] = 1.0;
    r.epochs.back().logs["val_accuracy"] = 0.04;
    const auto found = fit_validation_gap(r);
    ASSERT_TRUE(has(found, "fit.validation_gap", "warning"));
    const auto& explained = found[0].evidence["explained_by"];
    EXPECT_NE(std::find(explained.begin(), explained.end(), "split.label_shift"), explained.end());
    EXPECT_NE(std::find(explained.begin(), explained.end(), "split.covariate_shift"), explained.end());
    EXPECT_NE(found[0].message.find("split.label_shift"), std::string::npos);
    EXPECT_NE(found[0].fix.find("stratified"), std::string::npos);
    expect_well_formed(found);
}

TEST(DoctorRules, ValidationGapNeedsAGapBeyondChance) {
    TrainingRecord r = healthy();
    r.epochs.back().logs["accuracy"] = 0.99;
    r.epochs.back().logs["val_accuracy"] = 0.95;  // 0.04 < AUTOTRAINER's 0.07
    EXPECT_TRUE(fit_validation_gap(r).empty());
    r.data.validation_rows = 10;  // a 0.09 gap on 10 rows is one row: chance
    r.epochs.back().logs["val_accuracy"] = 0.9;
    EXPECT_TRUE(fit_validation_gap(r).empty());
    r.data.validation_rows = 1000;
    EXPECT_TRUE(has(fit_validation_gap(r), "fit.validation_gap"));
}

// --- at prediction ---

TEST(DoctorRules, ExtrapolationReportsTheShareOutside) {
    TrainingRecord r;
    r.prediction = PredictionFacts{.rows = 100,
                                   .outside = 30,
                                   .outside_fraction = 0.3,
                                   .feature_names = {"x", "y"},
                                   .train_min = {0, -1},
                                   .train_max = {6.28, 1},
                                   .query_min = {0, -1},
                                   .query_max = {9.42, 1},
                                   .outside_range = {30, 0}};
    auto found = predict_extrapolation(r);
    ASSERT_TRUE(has(found, "predict.extrapolation", "warning"));
    EXPECT_NE(found[0].message.find("30%"), std::string::npos);
    EXPECT_DOUBLE_EQ(found[0].evidence["fraction"].get<double>(), 0.3);
    expect_well_formed(found);
    r.prediction->outside = 2;
    r.prediction->outside_fraction = 0.02;
    EXPECT_TRUE(has(predict_extrapolation(r), "predict.extrapolation", "info"));
    r.prediction->outside = 0;
    r.prediction->outside_fraction = 0;
    EXPECT_TRUE(predict_extrapolation(r).empty());
}

// --- each threshold, from just below and just above ---

TEST(DoctorThresholds, ExplodingGradientsRatioSeventy) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.6; });
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 0.2 * 70.5;  // output layer: 0.2
    EXPECT_TRUE(has(model_exploding_gradients(r), "model.exploding_gradients"));
    for (auto& e : r.epochs) e.layers[0].gradient_norm = 0.2 * 69.5;
    EXPECT_TRUE(model_exploding_gradients(r).empty());
}

// Persistence: at least half of the last quarter (12 of 50 epochs) must qualify.
TEST(DoctorThresholds, GradientRulesNeedHalfOfTheLastQuarter) {
    for (int hits : {6, 5}) {
        TrainingRecord r = healthy();
        set_loss(r, [](int) { return 0.6; });
        for (auto& e : r.epochs) e.layers[0].gradient_norm = e.epoch >= 50 - hits ? 20.0 : 0.2;
        EXPECT_EQ(model_exploding_gradients(r).empty(), hits == 5) << hits << " of 12 epochs";
    }
}

TEST(DoctorThresholds, VanishingGradientsRatioFirstNormAndRms) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.6; });
    auto set = [&](double first, double last) {
        for (auto& e : r.epochs) e.layers[0].gradient_norm = first, e.layers[1].gradient_norm = last;
    };
    set(0.99e-4, 0.2);  // ratio 5e-4 < 1e-3 and first < 1e-4
    EXPECT_TRUE(has(model_vanishing_gradients(r), "model.vanishing_gradients"));
    set(1.01e-4, 0.2);  // first norm just above 1e-4
    EXPECT_TRUE(model_vanishing_gradients(r).empty());
    set(0.99e-4, 0.0995);  // ratio 0.995e-3
    EXPECT_TRUE(has(model_vanishing_gradients(r), "model.vanishing_gradients"));
    set(0.99e-4, 0.0985);  // ratio 1.005e-3
    EXPECT_TRUE(model_vanishing_gradients(r).empty());
    set(0.1, 0.2);  // healthy norms, but every gradient element tiny (SageMaker's rms < 1e-7)
    for (auto& e : r.epochs) e.layers[0].gradient_rms = e.layers[1].gradient_rms = 0.99e-7;
    EXPECT_TRUE(has(model_vanishing_gradients(r), "model.vanishing_gradients"));
    for (auto& e : r.epochs) e.layers[0].gradient_rms = e.layers[1].gradient_rms = 1.01e-7;
    EXPECT_TRUE(model_vanishing_gradients(r).empty());
}

TEST(DoctorThresholds, SaturationAndDeadUnitsHalfTheLayer) {
    TrainingRecord r = healthy();
    set_loss(r, [](int) { return 0.6; });
    for (auto& e : r.epochs) e.layers[0].saturated_units = 0.51;
    EXPECT_TRUE(has(model_saturation(r), "model.saturation", "warning"));
    for (auto& e : r.epochs) e.layers[0].saturated_units = 0.49;
    EXPECT_TRUE(model_saturation(r).empty());
    r.layers[0].activation = "relu";
    for (auto& e : r.epochs) e.layers[0].dead_fraction = 0.51;
    EXPECT_TRUE(has(model_dead_units(r), "model.dead_units", "warning"));
    for (auto& e : r.epochs) e.layers[0].dead_fraction = 0.49;
    EXPECT_TRUE(model_dead_units(r).empty());
}

TEST(DoctorThresholds, ClassImbalanceTenToOne) {
    TrainingRecord r = healthy();
    r.labels.class_counts = {501, 50};  // 10.02 : 1
    EXPECT_TRUE(has(data_class_imbalance(r), "data.class_imbalance"));
    r.labels.class_counts = {500, 50};  // exactly 10 : 1 is allowed
    EXPECT_TRUE(data_class_imbalance(r).empty());
}

TEST(DoctorThresholds, UnscaledMagnitudeTenAndSpreadHundred) {
    TrainingRecord r = healthy();
    r.data.features[0].train_mean = 10.1;
    EXPECT_TRUE(has(data_unscaled(r), "data.unscaled"));
    r.data.features[0].train_mean = 9.9;
    EXPECT_TRUE(data_unscaled(r).empty());
    r = healthy();
    r.data.features[1].train_std = 1.0 / 101;
    EXPECT_TRUE(has(data_unscaled(r), "data.unscaled"));
    r.data.features[1].train_std = 1.0 / 99;
    EXPECT_TRUE(data_unscaled(r).empty());
}

TEST(DoctorThresholds, StalledFivePercentOfTheFirstLoss) {
    for (const double decrease : {0.049, 0.051}) {
        TrainingRecord r = healthy();
        set_loss(r, [&](int e) { return 0.693 * (1 - decrease * e / 49.0); });
        EXPECT_EQ(has(train_stalled(r), "train.stalled"), decrease < 0.05) << decrease;
    }
}

// Underfitting and the "fits poorly" gate of the epoch rules: final loss vs half the baseline.
TEST(DoctorThresholds, UnderfittingHalfTheBaselineLoss) {
    const double base = std::log(2.0);
    TrainingRecord r = healthy();
    set_loss(r, [&](int) { return 0.51 * base; });
    EXPECT_TRUE(has(fit_underfitting(r), "fit.underfitting"));
    set_loss(r, [&](int) { return 0.49 * base; });
    EXPECT_TRUE(fit_underfitting(r).empty());
}

// Overfitting: validation loss rising >= 10% above its (5-epoch mean) minimum and by >= 0.1 of
// the baseline, 10 epochs of patience.
TEST(DoctorThresholds, OverfittingRiseOfTenPercent) {
    for (const double rise : {0.12, 0.08}) {
        TrainingRecord r = healthy();
        for (auto& e : r.epochs) {
            e.loss = 0.5 * std::exp(-e.epoch / 10.0) + 0.01;
            e.val_loss = e.epoch <= 20 ? 1.0 : 1.0 + rise * (e.epoch - 20) / 29.0;  // ends rise·100% above 1.0
        }
        EXPECT_EQ(has(fit_overfitting(r), "fit.overfitting"), rise > 0.1) << rise;
    }
}

}  // namespace
}  // namespace plexus::doctor
