// Options of compile, fit, evaluate and predict (Keras names and defaults,
// except the validation split method; see `split`).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/losses/loss.hpp"
#include "plexus/model/split.hpp"
#include "plexus/optimizers/optimizer.hpp"

namespace plexus {

struct CompileOptions {
    OptimizerOptions optimizer{};          // e.g. {.name = "sgd", .learning_rate = 0.01}
    std::string loss = "mse";              // any of loss_names()
    std::vector<std::string> metrics;      // e.g. {"accuracy"}
    bool from_logits = false;              // cross-entropy losses on logits
    double huber_delta = 1.0;
    std::uint64_t seed = 0;                // initialises the weights unless fit gives its own seed first
};

// Receives the progress display, a piece of text at a time (Keras's format; lines end in '\n',
// verbose=1 redraws a line with '\r'). The library never prints on its own.
using ProgressSink = std::function<void(std::string_view)>;

// The outputs of fit's latest validation pass, for a caller that then evaluates the model fit
// returns on the same rows (FitOptions::keep_validation). While the model's parameters are
// still `parameters` (no callback restored other weights after it), `outputs` and `logs` are
// what that evaluation would give (its loss up to summation order), without a second pass.
struct ValidationPass {
    Matrix outputs;                  // one row per validation row, in their order (History::split)
    Logs logs;                       // "loss" and the compiled metrics, without the "val_" prefix
    std::vector<Scalar> parameters;  // the model's parameters (Sequential::parameters()) then
    int epoch = -1;                  // the epoch it followed; -1: none yet
    // True when `model`'s parameters are bitwise those of the pass.
    bool matches(std::span<const Scalar> model_parameters) const {
        return epoch >= 0 && std::equal(parameters.begin(), parameters.end(), model_parameters.begin(),
                                        model_parameters.end(), [](Scalar a, Scalar b) {
                                            return std::memcmp(&a, &b, sizeof(Scalar)) == 0;
                                        });
    }
};

struct FitOptions {
    int epochs = 1;
    Index batch_size = 32;                 // > 0
    bool shuffle = true;                   // reshuffle the training rows every epoch
    double validation_split = 0.0;         // in [0, 1)
    // How validation_split picks rows. automatic = stratified for classification
    // and random for regression; tail = Keras (the last rows, unshuffled), kept exact.
    Split split = Split::automatic;
    std::optional<std::pair<Matrix, Matrix>> validation_data;  // overrides validation_split
    std::map<int, double> class_weight;    // class index -> weight (multiplies the loss, as Keras)
    std::vector<double> sample_weight;     // one per row of x, or empty
    int initial_epoch = 0;                 // epochs are numbered from here; resuming a run saved after
                                           // epoch k with initial_epoch = k continues it exactly (the
                                           // shuffle order and dropout stream of epoch k are replayed)
    std::optional<std::uint64_t> seed;     // split, shuffle, dropout, and initialisation if not yet built
    int verbose = 1;                       // 0 silent, 1 progress bar, 2 one line per epoch
    ProgressSink progress;                 // where verbose output goes (nothing if unset)
    std::vector<CallbackPtr> callbacks;    // the training doctor is one: see doctor/doctor.hpp, run/fit.hpp
    // Data parallelism: each global batch of batch_size rows is cut into shard_count
    // contiguous parts and this process trains on part shard_index (every process sees
    // the same split and the same shuffled order). A GradientStep callback combines the
    // parts' gradients (see model/callback.hpp). 1 part = ordinary training.
    int shard_index = 0;                   // in [0, shard_count)
    int shard_count = 1;                   // >= 1
    // When set, every epoch's validation pass also leaves its outputs here (see ValidationPass).
    std::shared_ptr<ValidationPass> keep_validation;
};

}  // namespace plexus
