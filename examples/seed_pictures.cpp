// Draws the seed experiment's decision regions for the tail split (Keras's
// validation_split) and Plexus's default stratified split, over the seed's
// grid range [0, 3π] × [-1, 2] widened to show both curves whole.
// Usage: seed_pictures [OUT_DIR]   (default: docs/images)
#include <filesystem>
#include <iostream>
#include <numbers>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "plexus/plot/model_plots.hpp"

int main(int argc, char** argv) {
    using namespace plexus;
    const std::string out = argc > 1 ? argv[1] : "docs/images";
    try {
        std::filesystem::create_directories(out);
        const Dataset data = make_dataset("seed-curves");
        for (const auto& [split, name] : {std::pair{Split::tail, "tail"}, std::pair{Split::stratified, "stratified"}}) {
            Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 4, .activation = "tanh"}),
                              Dense({.units = 4, .activation = "tanh"}), Dense({.units = 4, .activation = "tanh"}),
                              Dense({.units = 2, .activation = "softmax"})});
            model.compile({.optimizer = {.name = "sgd"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
            const History h = model.fit(data.x, data.y, {.epochs = 300, .batch_size = 8, .validation_split = 0.2, .split = split, .verbose = 0});
            const auto run = plot::run_data(data, h.split);
            char title[160];
            std::snprintf(title, sizeof title, "seed, %s split: accuracy %.2f, val_accuracy %.2f", name, h.last("accuracy"),
                          h.last("val_accuracy"));
            const std::string path = out + "/seed_" + name + ".png";
            plot::decision_regions(model, run, {.width = 640, .height = 420, .title = title}, path,
                                   plot::Range{0, 3 * std::numbers::pi, -1.2, 2.2});
            std::cout << "wrote " << path << '\n';
        }
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
