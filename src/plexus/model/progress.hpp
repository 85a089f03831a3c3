// ProgressLogger: Keras's progress display, written to an injected sink.
//   verbose=1: "Epoch 3/300" then a redrawn bar "52/52 [==============================] - 0s 12us/step - loss: 0.6931 - accuracy: 0.5012"
//   verbose=2: one line per epoch: "Epoch 3/300 - 0s - loss: 0.6931 - accuracy: 0.5012 - val_loss: ... "
#pragma once

#include <chrono>
#include <string>

#include "plexus/model/callback.hpp"
#include "plexus/model/fit_options.hpp"

namespace plexus {

// "loss: 0.6931 - accuracy: 0.5012 - val_loss: ..." (loss first, then names in order; batch bookkeeping skipped).
std::string format_logs(const Logs& logs);

class ProgressLogger final : public Callback {
public:
    ProgressLogger(ProgressSink sink, int verbose) : sink_(std::move(sink)), verbose_(verbose) {}
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_epoch_begin(Sequential& model, int epoch) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    std::string bar(int done) const;
    ProgressSink sink_;
    int verbose_;
    int epochs_ = 0;
    int steps_ = 0;
    std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

}  // namespace plexus
