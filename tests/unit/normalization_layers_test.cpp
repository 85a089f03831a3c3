// BatchNormalization, LayerNormalization and GaussianNoise inside a model:
// non-trainable moving statistics (counted apart, untouched by the optimizer,
// weight decay included), saved and loaded with the model, configs round-trip.
#include <gtest/gtest.h>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

Sequential bn_model(const std::string& optimizer) {
    Sequential model({Dense({.units = 8, .activation = "relu", .input_dim = 2}), BatchNormalization(), GaussianNoise(0.05),
                      LayerNormalization(), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = optimizer, .learning_rate = 0.01}, .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"}, .seed = 3});
    return model;
}

TEST(NormalizationLayers, CountsMovingStatisticsAsNonTrainable) {
    Sequential model = bn_model("adam");
    model.build(2);
    // Dense 2*8+8, BN 4*8 (16 non-trainable), LN 2*8, Dense 8*2+2.
    EXPECT_EQ(model.count_params(), 24 + 32 + 16 + 18);
    EXPECT_EQ(model.count_non_trainable_params(), 16);
    const std::string s = model.summary();
    EXPECT_NE(s.find("Non-trainable params: 16"), std::string::npos) << s;
    EXPECT_NE(s.find("Trainable params: 74"), std::string::npos) << s;
    EXPECT_NE(s.find("batch_normalization (BatchNormalization)"), std::string::npos) << s;
}

TEST(NormalizationLayers, OneTrainingStepMovesTheStatisticsAsKerasAndTheOptimizerNot) {
    const Dataset d = make_dataset("moons", {.samples = 64, .seed = 1});
    Sequential model = bn_model("adamw");  // weight decay would shrink them if the optimizer touched them
    model.build(2);
    const Matrix hidden = model.layer_outputs(d.x)[0];  // the Dense output the step's BN sees
    model.train_on_batch(d.x, d.y);
    const auto w = model.get_weights(1);
    ASSERT_EQ(w.size(), 4u);
    const RowVector mean = hidden.colwise().mean();
    const RowVector var = (hidden.rowwise() - mean).array().square().colwise().mean();
    for (Index j = 0; j < 8; ++j) {
        EXPECT_NEAR(w[2](0, j), 0.01 * mean(j), 1e-6) << j;
        EXPECT_NEAR(w[3](0, j), 0.99 + 0.01 * var(j), 1e-6) << j;
    }
    EXPECT_NE(w[0], Matrix::Ones(1, 8)) << "gamma is trainable";
}

TEST(NormalizationLayers, FrozenSegmentsKeepTheirValuesThroughAnyOptimizer) {
    for (const std::string name : {"sgd", "adam", "adamw", "rmsprop", "adagrad"}) {
        auto optimizer = make_optimizer({.name = name, .learning_rate = 0.1, .momentum = name == "sgd" ? 0.9 : 0.0});
        optimizer->build({{0, 2}, {2, 2}}, 4, {{2, 2}});
        std::vector<Scalar> params = {1, 2, 3, 4}, grads = {1, 1, 1, 1};
        optimizer->step(params, grads);
        EXPECT_NE(params[0], 1) << name;
        EXPECT_EQ(params[2], 3) << name;
        EXPECT_EQ(params[3], 4) << name;
    }
}

class NormalizationFiles : public testing::TempDirTest {};

TEST_F(NormalizationFiles, SaveAndLoadKeepMovingStatisticsAndPredictions) {
    const Dataset d = make_dataset("moons", {.samples = 200, .seed = 2});
    Sequential model = bn_model("adam");
    model.fit(d.x, d.y, {.epochs = 3, .batch_size = 32, .seed = 3, .verbose = 0});
    const Matrix before = model.predict(d.x);
    save_model(model, path("bn.plexus"));
    LoadedModel loaded = load_model(path("bn.plexus"));
    EXPECT_EQ(loaded.model.get_weights(1)[2], model.get_weights(1)[2]);
    EXPECT_EQ(loaded.model.get_weights(1)[3], model.get_weights(1)[3]);
    EXPECT_EQ(loaded.model.predict(d.x), before);
    EXPECT_EQ(loaded.model.count_non_trainable_params(), 16);
}

TEST(NormalizationLayers, ConfigsRoundTripAndBadOptionsAreRefused) {
    Sequential model = bn_model("adam");
    const Sequential again = Sequential::from_config(model.config());
    EXPECT_EQ(again.config(), model.config());
    EXPECT_THROW(BatchNormalization({.momentum = 1.5}), ConfigError);
    EXPECT_THROW(BatchNormalization({.epsilon = 0}), ConfigError);
    EXPECT_THROW(LayerNormalization({.epsilon = -1}), ConfigError);
    EXPECT_THROW(GaussianNoise(-0.1), ConfigError);
    const auto layer = layer_from_config({{"type", "BatchNormalization"}, {"momentum", 0.9}});
    EXPECT_EQ(layer->config()["momentum"], 0.9);
    EXPECT_EQ(layer->config()["epsilon"], 1e-3);
}

}  // namespace
}  // namespace plexus
