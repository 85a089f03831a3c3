// Options of compile, fit, evaluate and predict (Keras names and defaults,
// except the validation split method; see `split`).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
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
};

}  // namespace plexus
