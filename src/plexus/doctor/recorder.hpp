// Recorder: the callback that fills a TrainingRecord while a model trains.
//
// At on_train_begin it summarises the data, split and configuration from
// Sequential::fit_context() (make_preflight_record). During each epoch it
// samples a bounded number of training batches (every k-th batch, so that at
// most RecorderOptions::max_sampled_batches are examined) and accumulates, per
// layer, statistics of the batch's layer outputs (Sequential::last_batch_output)
// and of its kernel gradients (Sequential::layer_gradients). At on_epoch_end it
// adds the weight norms and the epoch's logs, and closes the epoch's EpochStats.
// It asks fit for the sampled batches only (batch_end_stride), and fit adds
// every batch whose loss is NaN or Inf: there, and at every sampled batch, the
// output and the loss are checked, and when one is not finite that batch's
// activations and gradients are searched to name the first layer holding a
// non-finite value. Every epoch's end checks its loss and validation loss (and,
// on sampled epochs, the weights). An output that overflows while its loss
// stays finite (a clipped loss on an unbounded output) is found at the next
// sampled batch.
//
// In a data-parallel fit (FitOptions::shard_count > 1) each process sees only its
// shard of every batch. The Recorder then finds the fit's ShardReduction
// (model/shard_reduction.hpp: GradientAllreduce) among FitOptions::callbacks and
// at each epoch's end sums its activation counts (|a| sums, saturated values and
// units, sampled rows) and takes the maximum of its flags (relu units ever active,
// NaN/Inf seen, batches sampled) over the processes, so every process records the
// statistics of the whole global batches. Gradient norms need no reduction: at the
// end of a batch the gradient buffer already holds the global batch's mean (it was
// averaged in on_gradients). The epoch logs must be the global ones too: put the
// Recorder (the Doctor) after the ShardReduction in the callbacks (fit_with_doctor
// does). With sharding, the results equal one process's up to float summation order.
//
// It only records; the Doctor (doctor.hpp) runs the rules and reports.
#pragma once

#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/doctor/record.hpp"

namespace plexus {
class ShardReduction;
}

namespace plexus::doctor {

struct RecorderOptions {
    // Upper bound on the batches examined per epoch (a NaN/Inf loss is caught at
    // any batch). 8 batches of the seed's 8 rows give 64 rows an
    // epoch; statistics the rules average over the last epochs see hundreds.
    Index max_sampled_batches = 8;
    // Upper bound on the epochs whose layer statistics are recorded: every
    // k-th epoch (and the last one planned), so that a fit examines at most
    // about max_sampled_epochs * max_sampled_batches batches however long it
    // runs. The other epochs keep their logs, with no layer statistics (EpochStats::layers empty).
    int max_sampled_epochs = 50;
    RecordNames names;  // feature and class names for messages
    RunSettings run;    // what the run does beyond FitOptions (DoctorOptions::run)
};

class Recorder final : public Callback {
public:
    explicit Recorder(RecorderOptions options = {}) : options_(std::move(options)) {}

    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_epoch_begin(Sequential& model, int epoch) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    // The sampled batches of a sampled epoch (every sampling_stride()-th); none otherwise.
    int batch_end_stride(int epoch) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

    const TrainingRecord& record() const { return record_; }
    TrainingRecord& record() { return record_; }
    // Every k-th batch is examined (k >= 1), from the training rows and batch size.
    Index sampling_stride() const { return stride_; }
    // Layer statistics are recorded every k-th epoch (k >= 1).
    int epoch_stride() const { return epoch_stride_; }

private:
    struct LayerAccumulator {
        double abs_sum = 0, saturated = 0, gradient_norm = 0, gradient_rms = 0;
        Index values = 0, gradient_batches = 0;
        std::vector<double> batch_squares;  // per sampled batch: the kernel gradient's squared norm
        std::vector<Scalar> unit_abs;       // per unit: sum of |output| over the sampled rows
        std::vector<Index> unit_saturated;  // per unit: sampled rows where it is saturated
        std::vector<char> unit_active;      // per unit: positive on some sampled row (relu)
        bool tanh = false;                  // tanh (else sigmoid) saturation thresholds
    };
    void examine_batch(Sequential& model, int batch);
    static void fold_gradients(LayerAccumulator& a, Index kernel_params);
    void locate_nonfinite(Sequential& model, int batch, const char* fallback);
    void reduce_over_shards(Sequential& model);

    RecorderOptions options_;
    TrainingRecord record_;
    std::vector<LayerAccumulator> acc_;
    Index stride_ = 1;
    int epoch_stride_ = 1, first_epoch_ = 0, last_epoch_ = 0;
    bool sampling_ = false;  // this epoch records layer statistics
    int epoch_ = 0;
    Index sampled_batches_ = 0, sampled_rows_ = 0;
    bool epoch_nonfinite_ = false;
    ShardReduction* reduction_ = nullptr;  // the fit's, in a sharded fit; else null
    std::vector<double> sums_, maxima_;    // its buffers (reused)
};

}  // namespace plexus::doctor
