// GradientAllreduce and configure_distributed; see data_parallel.hpp.
#include "plexus/distributed/data_parallel.hpp"

#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "plexus/model/fit_plan.hpp"
#include "plexus/model/progress.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

namespace {

// FNV-1a over the bytes of the parameters: equal on every rank iff the weights are.
std::uint64_t weights_hash(std::span<const Scalar> params) {
    std::uint64_t h = 1469598103934665603ull;
    const auto* bytes = reinterpret_cast<const unsigned char*>(params.data());
    for (std::size_t i = 0; i < params.size_bytes(); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
    return h;
}

bool is_training_log(const std::string& key) { return key.rfind("val_", 0) != 0; }

}  // namespace

GradientAllreduce::GradientAllreduce(DistributedWorld& world, ProgressSink progress, int verbose) : world_(world) {
    if (world.is_root() && progress && verbose > 0) progress_ = std::make_shared<ProgressLogger>(std::move(progress), verbose);
}

void GradientAllreduce::on_train_begin(Sequential& model) {
    const FitContext* ctx = model.fit_context();
    const FitOptions& options = *ctx->options;
    if (options.shard_count != world_.size() || options.shard_index != world_.rank())
        throw ConfigError("distributed fit on " + world_.describe() + ": FitOptions has shard " +
                          std::to_string(options.shard_index) + " of " + std::to_string(options.shard_count) +
                          "; expected shard_index = rank and shard_count = size (call configure_distributed)");
    const std::uint64_t hash = weights_hash(model.parameters());
    // Quantities every rank must agree on; compared through their minimum and maximum.
    const std::array<const char*, 9> names = {"training rows", "validation rows", "batch_size", "epochs", "initial_epoch",
                                              "parameters", "initial weights", "initial weights", "seed"};
    std::array<double, 9> local = {static_cast<double>(ctx->x_train().rows()),
                                   static_cast<double>(ctx->x_val().rows()),
                                   static_cast<double>(options.batch_size),
                                   static_cast<double>(options.epochs),
                                   static_cast<double>(options.initial_epoch),
                                   static_cast<double>(model.parameters().size()),
                                   static_cast<double>(hash >> 32),
                                   static_cast<double>(hash & 0xffffffffu),
                                   static_cast<double>(ctx->seed % (1ull << 52))};
    std::array<double, 9> lo = local, hi = local;
    world_.allreduce_min(lo, "the fit plan check");
    world_.allreduce_max(hi, "the fit plan check");
    for (std::size_t i = 0; i < local.size(); ++i) {
        if (lo[i] == hi[i]) continue;
        const bool counted = i < 6;  // the others are hashes: their values mean nothing to a reader
        throw ConfigError("distributed fit: the ranks disagree on the " + std::string(names[i]) +
                          (counted ? " (" + world_.describe() + " has " + std::to_string(static_cast<long>(local[i])) +
                                         "; the ranks have " + std::to_string(static_cast<long>(lo[i])) + " to " +
                                         std::to_string(static_cast<long>(hi[i])) + ")"
                                   : " (" + world_.describe() + ")") +
                          "; every rank must load the same data and build the same model with the same seed and options");
    }
    if (progress_) progress_->on_train_begin(model);
}

void GradientAllreduce::on_epoch_begin(Sequential& model, int epoch) {
    epoch_rows_ = 0;
    if (progress_) progress_->on_epoch_begin(model, epoch);
}

void GradientAllreduce::on_gradients(Sequential& /*model*/, const GradientStep& step) {
    epoch_rows_ += static_cast<double>(step.rows);
    if (world_.size() == 1) return;
    // Each shard holds the mean over its rows; weighted by rows / global_rows they sum to the batch mean.
    const Scalar scale = step.global_rows > 0 ? static_cast<Scalar>(static_cast<double>(step.rows) /
                                                                    static_cast<double>(step.global_rows))
                                              : Scalar(0);
    for (Scalar& g : step.gradients) g *= scale;
    world_.allreduce_sum(step.gradients, "the gradients");
}

void GradientAllreduce::on_train_batch_end(Sequential& model, int batch, const Logs& logs) {
    if (progress_) progress_->on_train_batch_end(model, batch, logs);
}

void GradientAllreduce::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
    if (world_.size() > 1) {
        // [rows, value_1 * rows, value_2 * rows, ...] over the training logs, in the map's (sorted) order.
        buffer_.assign(1, epoch_rows_);
        for (const auto& [key, value] : logs)
            if (is_training_log(key)) buffer_.push_back(value * epoch_rows_);
        // The key lists must match: their count travels too (min and max of it below).
        std::array<double, 2> count = {static_cast<double>(buffer_.size()), -static_cast<double>(buffer_.size())};
        world_.allreduce_min(count, "the epoch log count");
        if (count[0] != -count[1])
            throw ConfigError("distributed fit: the ranks log different metrics at the end of epoch " +
                              std::to_string(epoch + 1) + "; every rank must compile the same metrics and callbacks");
        world_.allreduce_sum(buffer_, "the epoch logs");
        const double rows = buffer_[0];
        std::size_t i = 1;
        for (auto& [key, value] : logs)
            if (is_training_log(key)) value = rows > 0 ? buffer_[i++] / rows : 0.0;
    }
    if (progress_) progress_->on_epoch_end(model, epoch, logs);
}

void GradientAllreduce::on_train_end(Sequential& model) {
    if (progress_) progress_->on_train_end(model);
}

void configure_distributed(FitOptions& options, DistributedWorld& world) {
    if (world.size() == 1) return;
    if (!options.seed)
        throw ConfigError("distributed fit: FitOptions::seed is not set; every rank must use the same seed to plan the "
                          "same split and shuffle (CLI: --seed N)");
    options.shard_index = world.rank();
    options.shard_count = world.size();
    options.callbacks.insert(options.callbacks.begin(),
                             std::make_shared<GradientAllreduce>(world, std::move(options.progress), options.verbose));
    options.progress = nullptr;
    options.verbose = 0;
}

ProgressSink root_only(const DistributedWorld& world, ProgressSink sink) {
    if (world.is_root()) return sink;
    return [](std::string_view) {};
}

}  // namespace plexus
