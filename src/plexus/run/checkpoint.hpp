// Crash-safe runs: a callback that saves a resumable checkpoint of the run in
// progress (the model with its optimizer state, then report and history) every
// few epochs, keeps the state of the last finished epoch in memory, and turns
// an interrupt request (SIGINT/SIGTERM, a web Stop) into a stop at the next
// batch. After fit, a cut epoch is rolled back (restore_last_epoch) so that
// what is saved is exactly the end of an epoch: `--resume` then continues
// bit for bit as if the run had never stopped (fit replays the shuffle order
// and dropout stream of the epochs before it; see FitOptions::initial_epoch).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/model/history.hpp"

namespace plexus::run {

struct CheckpointOptions {
    int every = 0;                      // save after every N-th epoch; 0 = when >= min_seconds passed since the last save
    double min_seconds = 5.0;
    const std::atomic<int>* interrupt = nullptr;  // non-zero: stop at the next batch (the signal number, or 1)
    // Writes a checkpoint: the model as it is after `epochs_done` epochs and the
    // history of this fit so far (whole epochs only).
    std::function<void(Sequential&, int epochs_done, const History& so_far)> save;
};

class Checkpoints final : public Callback {
public:
    explicit Checkpoints(CheckpointOptions options) : options_(std::move(options)) {}

    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

    // True if the interrupt flag stopped the fit.
    bool interrupted() const { return interrupted_; }
    // The epochs finished (whole), counted from 0 (initial_epoch included).
    int epochs_done() const { return epochs_done_; }
    // After an interrupted fit: puts the weights and optimizer state of the last
    // finished epoch back into `model` and drops the cut epoch from `history`.
    void restore_last_epoch(Sequential& model, History& history) const;

private:
    void snapshot(const Sequential& model);

    CheckpointOptions options_;
    bool interrupted_ = false;
    bool cut_ = false;  // the current epoch was cut short
    int epochs_done_ = 0;
    History so_far_;
    std::chrono::steady_clock::time_point last_save_;
    // The state after the last finished epoch.
    std::vector<Scalar> params_;
    std::vector<std::vector<Scalar>> slots_;
    std::int64_t iterations_ = 0;
    double learning_rate_ = 0;
};

}  // namespace plexus::run
