// The doctor's training rules on real fits (small and fast): each problem, made on
// purpose, must be found; clean fits across architectures and optimizers must raise
// nothing from training. The synthetic-record tests (doctor_rules_test.cpp) pin the
// thresholds; these pin that real statistics reach them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "doctor_fit.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

std::string joined(const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) s += id + " ";
    return s;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

struct Diagnosis {
    std::vector<std::string> ids;      // every finding
    std::vector<std::string> serious;  // warnings and errors, and anything from training
};

Diagnosis fit_and_diagnose(Sequential& model, const Matrix& x, const Matrix& y, FitOptions options) {
    options.verbose = 0;
    const auto doctor = testing::attach_doctor(options);
    model.fit(x, y, options);
    Diagnosis run{testing::finding_ids(*doctor), {}};
    for (const auto& f : doctor->findings())
        if (f.severity != "info" || f.epoch) run.serious.push_back(f.id + "(" + f.severity + ")");
    return run;
}

Sequential mlp(Index inputs, std::vector<Index> hidden, const std::string& activation, Index outputs,
               const std::string& output_activation, const OptimizerOptions& optimizer, const std::string& loss) {
    Sequential model;
    for (std::size_t i = 0; i < hidden.size(); ++i)
        model.add(Dense({.units = hidden[i], .activation = activation, .input_dim = i == 0 ? inputs : 0}));
    model.add(Dense({.units = outputs, .activation = output_activation, .input_dim = hidden.empty() ? inputs : 0}));
    model.compile({.optimizer = optimizer, .loss = loss});
    return model;
}

// A learning rate far too low: the loss does not move.
TEST(DoctorRealFit, StalledAndUnderfitting) {
    const Dataset d = make_dataset("moons");
    Sequential model = mlp(2, {16}, "tanh", 2, "softmax", {.name = "sgd", .learning_rate = 1e-5}, "sparse_categorical_crossentropy");
    const Diagnosis run = fit_and_diagnose(model, d.x, d.y, {.epochs = 30, .batch_size = 32, .validation_split = 0.2, .seed = 1});
    EXPECT_TRUE(contains(run.ids, "train.stalled")) << joined(run.ids);
    EXPECT_TRUE(contains(run.ids, "fit.underfitting")) << joined(run.ids);
}

// Inputs in the thousands into tanh units: they sit at ±1 and learn nothing.
TEST(DoctorRealFit, Saturation) {
    Dataset d = make_dataset("moons");
    const Matrix x = d.x * Scalar(3000);
    Sequential model = mlp(2, {16, 16}, "tanh", 2, "softmax", {.name = "sgd", .learning_rate = 0.01}, "sparse_categorical_crossentropy");
    const Diagnosis run = fit_and_diagnose(model, x, d.y, {.epochs = 30, .batch_size = 32, .validation_split = 0.2, .seed = 2});
    EXPECT_TRUE(contains(run.ids, "model.saturation")) << joined(run.ids);
}

// Twelve sigmoid layers: the first layer's gradient is a tiny fraction of the last's.
TEST(DoctorRealFit, VanishingGradients) {
    const Dataset d = make_dataset("moons");
    Sequential model = mlp(2, std::vector<Index>(12, 8), "sigmoid", 2, "softmax", {.name = "sgd", .learning_rate = 0.01},
                           "sparse_categorical_crossentropy");
    const Diagnosis run = fit_and_diagnose(model, d.x, d.y, {.epochs = 20, .batch_size = 32, .validation_split = 0.2, .seed = 3});
    EXPECT_TRUE(contains(run.ids, "model.vanishing_gradients")) << joined(run.ids);
}

// Sixteen tanh layers whose weights start 6x larger than Glorot's: the network sits in
// the chaotic regime, where each layer multiplies the backward signal, so the first
// layer's gradient is thousands of times the last layer's (measured 2700-9800x over
// seeds 1-6, against the threshold of 70) and the fit goes nowhere.
TEST(DoctorRealFit, ExplodingGradients) {
    const Dataset d = make_dataset("moons");
    Sequential model = mlp(2, std::vector<Index>(16, 32), "tanh", 2, "softmax", {.name = "adam", .learning_rate = 0.001},
                           "sparse_categorical_crossentropy");
    model.build(2, 4);
    for (std::size_t layer = 0; layer < model.layers().size(); ++layer) {
        std::vector<Matrix> w = model.get_weights(layer);
        w[0] *= Scalar(6);  // the kernel; the bias stays zero
        model.set_weights(layer, w);
    }
    const Diagnosis run = fit_and_diagnose(model, d.x, d.y, {.epochs = 30, .batch_size = 32, .validation_split = 0.2, .seed = 4});
    EXPECT_TRUE(contains(run.ids, "model.exploding_gradients")) << joined(run.ids);
}

// Forty noisy rows and a wide network trained long: validation loss climbs. Which
// seeds overfit by a margin depends on the CPU's rounding (seed 5's validation loss
// fell, then only wandered, on a Zen 5 with AVX-512, where seeds 1-4 and 6-8 were all
// found), so three seeds whose validation loss at least doubles from its minimum on that
// machine must all be found; a wide margin, not one seed near the threshold.
TEST(DoctorRealFit, Overfitting) {
    const Dataset d = make_dataset("moons", {.samples = 60, .noise = 0.35, .seed = 5});
    for (const unsigned seed : {1u, 2u, 3u}) {
        Sequential model = mlp(2, {64, 64}, "relu", 2, "softmax", {.name = "adam", .learning_rate = 0.01},
                               "sparse_categorical_crossentropy");
        const Diagnosis run = fit_and_diagnose(model, d.x, d.y, {.epochs = 400, .batch_size = 16, .validation_split = 0.33, .seed = seed});
        EXPECT_TRUE(contains(run.ids, "fit.overfitting")) << "seed " << seed << ": " << joined(run.ids);
    }
}

// Clean fits: no warning or error, nothing from training.
TEST(DoctorRealFit, CleanFitsRaiseNothing) {
    struct Clean {
        const char* dataset;
        std::vector<Index> hidden;
        const char* activation;
        OptimizerOptions optimizer;
        int epochs;
    };
    const std::vector<Clean> cases = {
        {"moons", {16, 16}, "relu", {.name = "sgd", .learning_rate = 0.1, .momentum = 0.9}, 60},
        {"circles", {16, 16}, "elu", {.name = "rmsprop", .learning_rate = 0.01}, 60},
        {"gaussians", {8}, "swish", {.name = "adamw", .learning_rate = 0.01}, 40},
        {"xor", {16}, "tanh", {.name = "adagrad", .learning_rate = 0.3}, 80},
        {"regression-2d", {16, 16}, "tanh", {.name = "adam", .learning_rate = 0.01}, 80},
    };
    for (const auto& c : cases) {
        const Dataset d = make_dataset(c.dataset);
        const bool cls = d.is_classification();
        Sequential model = mlp(d.features(), c.hidden, c.activation, cls ? d.num_classes() : 1, cls ? "softmax" : "linear",
                               c.optimizer, cls ? "sparse_categorical_crossentropy" : "mse");
        const Diagnosis run = fit_and_diagnose(model, d.x, d.y, {.epochs = c.epochs, .batch_size = 32, .validation_split = 0.2, .seed = 6});
        EXPECT_TRUE(run.serious.empty()) << c.dataset << " " << c.activation << " " << c.optimizer.name << ": " << joined(run.serious);
    }
}

}  // namespace
}  // namespace plexus
