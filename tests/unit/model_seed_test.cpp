// The seed experiment reproduced: Keras's tail split fails exactly as it did
// for the seed's author, and Plexus's default stratified split fixes it.
#include <gtest/gtest.h>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "seed.hpp"

namespace plexus {
namespace {

using testing::seed_model;

History fit_seed(Split split, std::uint64_t seed = 0) {
    const Dataset data = make_dataset("seed-curves");
    Sequential model = seed_model();
    return model.fit(data.x, to_categorical(data.y, 2),
                     {.epochs = 300, .batch_size = 8, .validation_split = 0.2, .split = split, .seed = seed, .verbose = 0});
}

TEST(SeedExperiment, SummaryCountsEightyTwoParameters) {
    const Sequential model = seed_model();
    EXPECT_EQ(model.count_params(), 82);
    EXPECT_NE(model.summary().find("Total params: 82"), std::string::npos);
    EXPECT_NE(model.summary().find("dense_4 (Dense)"), std::string::npos);
}

TEST(SeedExperiment, TailSplitReproducesKerasFailure) {
    const History h = fit_seed(Split::tail);
    EXPECT_EQ(h.split.method, "tail");
    EXPECT_EQ(h.split.train_rows, 409);
    EXPECT_EQ(h.split.validation_rows, 103);
    EXPECT_EQ(h.split.validation_class_counts, (std::vector<Index>{0, 103}));
    EXPECT_EQ(h.history.at("loss").size(), 300u);
    EXPECT_GE(h.last("accuracy"), 0.99);
    EXPECT_LE(h.last("val_accuracy"), 0.1);
}

TEST(SeedExperiment, DefaultStratifiedSplitFixesIt) {
    const History h = fit_seed(Split::automatic);
    EXPECT_EQ(h.split.method, "stratified");
    EXPECT_EQ(h.split.train_rows, 409);
    EXPECT_EQ(h.split.validation_rows, 103);
    EXPECT_EQ(h.split.validation_class_counts, (std::vector<Index>{52, 51}));
    EXPECT_GE(h.last("val_accuracy"), 0.95);
}

}  // namespace
}  // namespace plexus
