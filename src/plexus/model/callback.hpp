// Callbacks observe training, with Keras's hooks and semantics.
//
// The loop calls on_train_begin, then per epoch on_epoch_begin, and for each
// batch on_gradients (after the gradients are computed, before clipping and
// the optimizer step; only for callbacks whose uses_gradients() is true) and
// on_train_batch_end; then on_epoch_end (after
// validation, with every log of the epoch: loss, metrics, val_*), and finally
// on_train_end. A callback stops training by setting model.stop_training =
// true: fit checks it after every batch (the epoch is then finished early:
// validation and on_epoch_end still run, as in Keras) and after every epoch.
// Callbacks may add entries to the epoch's logs (e.g. "learning_rate").
// A callback that needs only some batches says so with batch_end_stride (asked
// after on_epoch_begin): the loop then skips on_train_batch_end, and filling
// its logs, for the other batches, except a batch whose loss is not finite.
//
// The interface lives in model/ because fit calls it; the callbacks
// themselves (EarlyStopping, ...) live in callbacks/, the doctor in doctor/.
#pragma once

#include <memory>
#include <span>

#include "plexus/core/tensor.hpp"
#include "plexus/metrics/metrics.hpp"

namespace plexus {

class Sequential;

// One training step's gradients, as the optimizer is about to see them.
struct GradientStep {
    std::span<Scalar> gradients;  // the model's flat gradient buffer (mean over this process's rows)
    Index rows = 0;               // rows of the batch this process computed (its shard)
    Index global_rows = 0;        // rows of the whole batch, over all shards
    int batch = 0;                // batch index within the epoch
};

class Callback {
public:
    virtual ~Callback() = default;
    virtual void on_train_begin(Sequential& /*model*/) {}
    virtual void on_epoch_begin(Sequential& /*model*/, int /*epoch*/) {}
    // May change the gradients in place (e.g. average them across processes: with
    // sharding, scale by rows / global_rows and sum over shards).
    virtual void on_gradients(Sequential& /*model*/, const GradientStep& /*step*/) {}
    // Whether fit calls on_gradients (asked once, when fit starts). Yes by default; a
    // callback that leaves on_gradients alone may say no, which spares the loop a call per
    // batch (the library's own callbacks do: on the seed's 8-row batches each call cost
    // about 0.8% of the fit).
    virtual bool uses_gradients() const { return true; }
    virtual void on_train_batch_end(Sequential& /*model*/, int /*batch*/, const Logs& /*logs*/) {}
    // Which batches of `epoch` on_train_batch_end sees: those whose index is a multiple of
    // the stride returned (0: none), and every batch whose loss is NaN or Inf. 1 (the
    // default, as in Keras): every batch.
    virtual int batch_end_stride(int /*epoch*/) { return 1; }
    virtual void on_epoch_end(Sequential& /*model*/, int /*epoch*/, Logs& /*logs*/) {}
    virtual void on_train_end(Sequential& /*model*/) {}
};

using CallbackPtr = std::shared_ptr<Callback>;

}  // namespace plexus
