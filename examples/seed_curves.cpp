// The seed experiment, ported step by step from the Keras script that started
// Plexus (see README): two shifted cosine curves, a 2-4-4-4-4-2 tanh/softmax
// network, SGD, 300 epochs of batch 8 with validation_split 0.2, then a
// prediction on a 50×36 grid over [0, 3π]×[-1, 1].
//
// It runs twice: once with Keras's tail split (the last 20% of rows, which are
// all class 1 and lie in an x range training never sees) and once with Plexus's
// default stratified split, and prints both results.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>

#include "plexus/plexus.hpp"

namespace {

// prepare_data(n_points=256): features (512, 2) and labels (512,), class 0 first.
std::pair<plexus::Matrix, plexus::Matrix> prepare_data(int n_points = 256) {
    plexus::Matrix features(2 * n_points, 2), labels(2 * n_points, 1);
    for (int i = 0; i < n_points; ++i) {
        const double x = 2 * std::numbers::pi * i / (n_points - 1);  // np.linspace(0, 2π, n_points)
        features.row(i) << static_cast<float>(x), static_cast<float>(std::cos(x * 1.2) + 0.8);
        features.row(n_points + i) << static_cast<float>(x), static_cast<float>(std::cos(x * 1.2) - 0.8);
        labels(i, 0) = 0;
        labels(n_points + i, 0) = 1;
    }
    return {features, labels};
}

plexus::Sequential create_model() {
    using namespace plexus;
    Sequential model;
    model.add(Dense({.units = 4, .input_dim = 2}));
    model.add(Activation("tanh"));
    model.add(Dense({.units = 4}));
    model.add(Activation("tanh"));
    model.add(Dense({.units = 4}));
    model.add(Activation("tanh"));
    model.add(Dense({.units = 4}));
    model.add(Activation("tanh"));
    model.add(Dense({.units = 2}));
    model.add(Activation("softmax"));
    model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    return model;
}

void run(plexus::Split split, bool print_summary) {
    using namespace plexus;
    auto [features, labels] = prepare_data();
    const Matrix one_hot = to_categorical(labels, 2);  // np_utils.to_categorical(labels, 2)
    Sequential model = create_model();
    if (print_summary) std::cout << model.summary() << '\n';
    const auto [history, findings] = fit_with_doctor(model, features, one_hot,
                                                     {.epochs = 300, .batch_size = 8, .validation_split = 0.2, .split = split,
                                                      .seed = 0, .verbose = 0});
    // x, y = np.meshgrid(np.linspace(0, 3π, 50), np.linspace(-1, 1, 36)); classes = model.predict(input)
    Matrix grid(50 * 36, 2);
    for (int r = 0; r < 36; ++r)
        for (int c = 0; c < 50; ++c)
            grid.row(r * 50 + c) << static_cast<float>(3 * std::numbers::pi * c / 49), static_cast<float>(-1 + 2.0 * r / 35);
    const Matrix classes = model.predict(grid);
    int first_class = 0;
    for (Index i = 0; i < classes.rows(); ++i) first_class += classes(i, 0) > 0.5f ? 1 : 0;

    std::printf("split=%-10s train rows=%ld (class counts %ld/%ld)  validation rows=%ld (class counts %ld/%ld)\n",
                history.split.method.c_str(), static_cast<long>(history.split.train_rows),
                static_cast<long>(history.split.train_class_counts[0]), static_cast<long>(history.split.train_class_counts[1]),
                static_cast<long>(history.split.validation_rows), static_cast<long>(history.split.validation_class_counts[0]),
                static_cast<long>(history.split.validation_class_counts[1]));
    std::printf("  final: loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  (%.3f s)\n", history.last("loss"),
                history.last("accuracy"), history.last("val_loss"), history.last("val_accuracy"), history.train_seconds);
    std::printf("  grid 50x36 over [0, 3pi]x[-1, 1]: %d points predicted class 0, %d class 1\n", first_class,
                static_cast<int>(classes.rows()) - first_class);
    for (const auto& f : findings)
        std::printf("  [%s] %s: %s\n", f.severity.c_str(), f.id.c_str(), f.message.c_str());
}

}  // namespace

int main() {
    try {
        std::cout << "Keras semantics (split=tail: the last 20% of rows validate, unshuffled):\n";
        run(plexus::Split::tail, true);
        std::cout << "\nPlexus default (split=stratified):\n";
        run(plexus::Split::automatic, false);
        std::cout << "\nThe tail split validates on the last 103 rows: all class 1, with x in [3.77, 6.28], a region\n"
                     "training never sees, so validation accuracy collapses. A stratified split fixes it.\n";
    } catch (const plexus::Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
