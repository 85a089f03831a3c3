// The seed experiment's data and model (examples/seed_curves.cpp), shared by the tests.
#pragma once

#include <utility>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"

namespace plexus::testing {

// The seed's two cosine curves, 256 points each, class 0 first: features and one-hot labels.
inline std::pair<Matrix, Matrix> seed_data() {
    const Dataset data = make_dataset("seed-curves");
    return {data.x, to_categorical(data.y, 2)};
}

// The seed script's model: Dense(4) + Activation("tanh") four times, Dense(2) + softmax,
// categorical cross-entropy, SGD, accuracy (82 parameters).
inline Sequential seed_model(double learning_rate = 0.01) {
    Sequential model;
    model.add(Dense({.units = 4, .input_dim = 2}));
    model.add(Activation("tanh"));
    for (int i = 0; i < 3; ++i) {
        model.add(Dense({.units = 4}));
        model.add(Activation("tanh"));
    }
    model.add(Dense({.units = 2}));
    model.add(Activation("softmax"));
    model.compile({.optimizer = {.name = "sgd", .learning_rate = learning_rate},
                   .loss = "categorical_crossentropy",
                   .metrics = {"accuracy"}});
    return model;
}

}  // namespace plexus::testing
