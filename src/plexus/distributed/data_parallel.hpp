// Data-parallel training over a DistributedWorld: every rank holds the whole model
// and the whole (planned) data, trains on its contiguous part of every global batch,
// and the ranks average their gradients before each optimizer step, so every rank
// takes the same step and the weights stay identical everywhere.
//
//   DistributedWorld world;
//   FitOptions options{.epochs = 30, .batch_size = 64, .validation_split = 0.2, .seed = 7,
//                      .verbose = 2, .progress = print};
//   configure_distributed(options, world);          // shards, GradientAllreduce, root-only progress
//   History h = model.fit(x, y, options);           // same History on every rank
//   if (world.is_root()) save_model(model, "model.plexus");
//
// Results equal a one-process fit with the same seed and batch_size up to float
// summation order (the batch is still batch_size rows in all; N does not change the
// maths), with these exceptions: Dropout draws its masks per rank, so a model with
// Dropout trains on different masks than alone (still correct, not identical).
#pragma once

#include <vector>

#include "plexus/distributed/world.hpp"
#include "plexus/model/callback.hpp"
#include "plexus/model/fit_options.hpp"
#include "plexus/model/shard_reduction.hpp"

namespace plexus {

// The callback of data parallelism. It
//  - on_train_begin: checks that all ranks agree on the plan (training rows, batch size,
//    epochs, shard layout, parameter count, and the initial weights bit for bit) and
//    throws ConfigError on every rank if not (e.g. a rank read different data);
//  - on_gradients: scales this shard's mean gradient by rows / global_rows and sums the
//    flat buffer over ranks with one allreduce, in place (the global batch mean). It
//    allocates nothing (Open MPI's non-blocking collective allocates its own schedule);
//  - on_epoch_end: replaces every training log (not val_*: each rank validates on the
//    full validation set) by the global value: the shards' values averaged with their
//    row counts as weights. Exact for loss, accuracy, mse and mae without sample or
//    class weights; with weights, accuracy/mse/mae and always precision, recall, f1
//    and r2 (not means over rows) are this row-weighted average of the shards' values,
//    an approximation;
//  - if given a progress sink (configure_distributed moves FitOptions::progress here),
//    shows Keras's progress on rank 0 only, after the reduction, so the epoch line shows
//    the global values (the per-batch bar of verbose=1 shows rank 0's running values).
//  - is the fit's ShardReduction: callbacks that measure their shard's batches (the
//    doctor's Recorder) sum and max their statistics over the ranks through it.
// Put it before callbacks that read the epoch logs (EarlyStopping, checkpoints, CSV
// logs, the doctor); configure_distributed puts it first in FitOptions::callbacks.
class GradientAllreduce final : public Callback, public ShardReduction {
public:
    explicit GradientAllreduce(DistributedWorld& world, ProgressSink progress = {}, int verbose = 0);
    void on_train_begin(Sequential& model) override;
    void on_epoch_begin(Sequential& model, int epoch) override;
    void on_gradients(Sequential& model, const GradientStep& step) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
    void on_train_end(Sequential& model) override;
    void sum_over_shards(std::span<double> values, const char* what) override { world_.allreduce_sum(values, what); }
    void max_over_shards(std::span<double> values, const char* what) override { world_.allreduce_max(values, what); }

private:
    DistributedWorld& world_;
    CallbackPtr progress_;       // ProgressLogger on rank 0, else null
    double epoch_rows_ = 0;      // rows this rank trained on in the current epoch
    std::vector<double> buffer_; // the epoch logs' reduction buffer (reused)
};

// Makes `options` train this rank's part: shard_index = rank, shard_count = size,
// GradientAllreduce first in callbacks, and the progress display (options.progress,
// options.verbose) moved into it so only rank 0 shows it (the fit itself then gets
// verbose = 0). Requires options.seed (every rank must plan the same split and
// shuffle): a missing seed throws ConfigError; different seeds on different ranks
// are caught by the weight check at on_train_begin. A world of one leaves the
// options unchanged. `world` must outlive the fit.
//
// The front end (e.g. `mpirun -np 4 plexus train ...`) then: builds the same model and
// data on every rank, calls configure_distributed, fits (fit_with_doctor puts the
// doctor right after GradientAllreduce: it records the global epoch logs, and its
// batch statistics are reduced over the ranks, so every rank's doctor finds what one
// process would), and writes files and prints only where world.is_root().
void configure_distributed(FitOptions& options, DistributedWorld& world);

// A sink that forwards on rank 0 and drops everything elsewhere (for messages of the
// front end; fit's progress is handled by configure_distributed).
ProgressSink root_only(const DistributedWorld& world, ProgressSink sink);

}  // namespace plexus
