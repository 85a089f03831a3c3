// The C++ example of README.md, shown there verbatim (tests/install checks that they
// match, and builds and runs this file against the installed library).
#include <iostream>
#include <vector>

#include <plexus/plexus.hpp>
using namespace plexus;

int main() {
    Dataset data = make_dataset("seed-curves");  // x (512, 2): two cosine curves, labels 0 and 1
    std::vector<int> y = data.labels();

    Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}),
                      Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd", .learning_rate = 0.01},
                   .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    std::cout << model.summary();
    History h = model.fit(data.x, to_categorical(y, 2),
                          {.epochs = 300, .batch_size = 8, .validation_split = 0.2,  // split: stratified by default
                           .seed = 42, .verbose = 2, .progress = [](std::string_view s) { std::cout << s; }});
    Logs scores = model.evaluate(data.x, to_categorical(y, 2));
    std::cout << "accuracy " << scores["accuracy"] << ", val_accuracy " << h.history["val_accuracy"].back() << '\n';

    Matrix grid{{0.5f, 1.5f}, {3.0f, -1.2f}};  // two points, one above each curve
    Matrix probabilities = model.predict(grid);
    std::cout << "probabilities:\n" << probabilities << '\n';
    save_model(model, "model.plexus");
    LoadedModel loaded = load_model("model.plexus");
    std::cout << "reloaded: " << loaded.model.count_params() << " parameters\n";
}
