// Callbacks observe training, with Keras's hooks and semantics.
//
// The loop calls on_train_begin, then per epoch on_epoch_begin, on_train_batch_end
// for each batch, on_epoch_end (after validation, with every log of the epoch:
// loss, metrics, val_*), and finally on_train_end. A callback stops training by
// setting model.stop_training = true, and may add entries to the epoch's logs
// (e.g. "learning_rate").
#pragma once

#include <functional>
#include <memory>

#include "plexus/metrics/metrics.hpp"

namespace plexus {

class Sequential;

class Callback {
public:
    virtual ~Callback() = default;
    virtual void on_train_begin(Sequential& /*model*/) {}
    virtual void on_epoch_begin(Sequential& /*model*/, int /*epoch*/) {}
    virtual void on_train_batch_end(Sequential& /*model*/, int /*batch*/, const Logs& /*logs*/) {}
    virtual void on_epoch_end(Sequential& /*model*/, int /*epoch*/, Logs& /*logs*/) {}
    virtual void on_train_end(Sequential& /*model*/) {}
};

using CallbackPtr = std::shared_ptr<Callback>;

}  // namespace plexus
