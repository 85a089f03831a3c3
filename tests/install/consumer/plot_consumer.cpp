// Links plexus::plot from the installed package and draws one picture.
#include <iostream>

#include <plexus/plexus.hpp>
#include <plexus/plot/model_plots.hpp>

int main() {
    using namespace plexus;
    Dataset data = make_dataset("moons", {.samples = 60});
    Sequential model({Dense({.units = 8, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy"});
    History h = model.fit(data.x, data.y, {.epochs = 3, .verbose = 0});
    plot::learning_curves(h, {}, "curves.png");
    std::cout << "plot ok\n";
}
