// A run stopped after epoch k and resumed from its saved model (initial_epoch
// = k) ends bit for bit where the uninterrupted run ends: the shuffle order
// and dropout stream of the epochs before k are replayed, the optimizer state
// travels in the model file.
#include <gtest/gtest.h>

#include <filesystem>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

Sequential dropout_model() {
    Sequential model({Dense({.units = 16, .activation = "relu", .input_dim = 2}), Dropout({.rate = 0.3}),
                      Dense({.units = 16, .activation = "tanh"}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 0.01}, .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"}, .seed = 4});
    return model;
}

class Resume : public testing::TempDirTest {};

TEST_F(Resume, ContinuesBitForBit) {
    const Dataset d = make_dataset("moons", {.samples = 300, .seed = 2});
    const FitOptions all{.epochs = 9, .batch_size = 16, .validation_split = 0.2, .seed = 4, .verbose = 0};
    Sequential whole = dropout_model();
    const History h_whole = whole.fit(d.x, d.y, all);

    for (const int k : {1, 4, 8}) {
        Sequential first = dropout_model();
        FitOptions part = all;
        part.epochs = k;
        first.fit(d.x, d.y, part);
        const std::string path = this->path("model.plexus");
        save_model(first, path, {.epoch = k});
        LoadedModel loaded = load_model(path);
        FitOptions rest = all;
        rest.initial_epoch = k;
        const History h_rest = loaded.model.fit(d.x, d.y, rest);
        const auto want = whole.parameters(), got = loaded.model.parameters();
        ASSERT_EQ(want.size(), got.size());
        for (std::size_t i = 0; i < want.size(); ++i) ASSERT_EQ(want[i], got[i]) << "resumed after epoch " << k << ", parameter " << i;
        EXPECT_EQ(h_rest.history.at("loss").back(), h_whole.history.at("loss").back());
    }
}

}  // namespace
}  // namespace plexus
