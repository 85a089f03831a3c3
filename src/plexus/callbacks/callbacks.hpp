// The standard callbacks, with Keras's semantics.
//
//   EarlyStopping({.monitor = "val_loss", .patience = 10, .restore_best_weights = true})
//   ModelCheckpoint({.filepath = "best.plexus", .save_best_only = true})
//   ReduceLROnPlateau({.factor = 0.1, .patience = 10})
//   TerminateOnNaN(), CSVLogger("history.csv"), LambdaCallback({.on_epoch_end = ...})
// "mode" is "min", "max" or "auto" (max for names containing accuracy/precision/recall/f1/r2).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus {

// Tracks the best value of a monitored log (shared by the callbacks below).
class Monitor {
public:
    Monitor(std::string key, std::string mode, double min_delta);
    // The monitored value in logs; ConfigError listing the available logs if absent.
    double value(const Logs& logs) const;
    bool improved(double value) const;  // better than best by more than min_delta
    void update(double value) { best_ = value; }
    double best() const { return best_; }
    void reset();
    const std::string& key() const { return key_; }

private:
    std::string key_;
    bool maximize_;
    double min_delta_;
    double best_;
};

struct EarlyStoppingOptions {
    std::string monitor = "val_loss";
    double min_delta = 0.0;
    int patience = 0;
    std::string mode = "auto";
    std::optional<double> baseline;
    bool restore_best_weights = false;
    int start_from_epoch = 0;
};

class EarlyStopping final : public Callback {
public:
    explicit EarlyStopping(EarlyStoppingOptions options = {});
    void on_train_begin(Sequential& model) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
    void on_train_end(Sequential& model) override;
    int stopped_epoch() const { return stopped_epoch_; }  // -1 if training ran to the end
    int best_epoch() const { return best_epoch_; }

private:
    EarlyStoppingOptions options_;
    Monitor monitor_;
    int wait_ = 0;
    int stopped_epoch_ = -1;
    int best_epoch_ = -1;
    std::vector<Scalar> best_weights_;
};

struct ModelCheckpointOptions {
    std::string filepath;  // "{epoch}" is replaced by the 1-based epoch number
    std::string monitor = "val_loss";
    bool save_best_only = false;
    std::string mode = "auto";
};

class ModelCheckpoint final : public Callback {
public:
    explicit ModelCheckpoint(ModelCheckpointOptions options);
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    ModelCheckpointOptions options_;
    Monitor monitor_;
};

struct ReduceLROnPlateauOptions {
    std::string monitor = "val_loss";
    double factor = 0.1;  // in (0, 1)
    int patience = 10;
    std::string mode = "auto";
    double min_delta = 1e-4;
    int cooldown = 0;
    double min_lr = 0.0;
};

class ReduceLROnPlateau final : public Callback {
public:
    explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
    void on_train_begin(Sequential& model) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    ReduceLROnPlateauOptions options_;
    Monitor monitor_;
    int wait_ = 0;
    int cooldown_counter_ = 0;
};

// Stops training when the loss becomes NaN or Inf.
class TerminateOnNaN final : public Callback {
public:
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
};

// Appends a row per epoch to a CSV file: epoch, then the logs in sorted order.
// The file is rewritten atomically after each epoch, so it is never half-written.
class CSVLogger final : public Callback {
public:
    explicit CSVLogger(std::string filename, bool append = false);
    void on_train_begin(Sequential& model) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    std::string filename_;
    bool append_;
    std::vector<std::string> keys_;
    std::string content_;
};

struct LambdaCallbackOptions {
    std::function<void(Sequential&)> on_train_begin;
    std::function<void(Sequential&, int)> on_epoch_begin;
    std::function<void(Sequential&, int, const Logs&)> on_train_batch_end;
    std::function<void(Sequential&, int, Logs&)> on_epoch_end;
    std::function<void(Sequential&)> on_train_end;
};

class LambdaCallback final : public Callback {
public:
    explicit LambdaCallback(LambdaCallbackOptions options) : options_(std::move(options)) {}
    void on_train_begin(Sequential& m) override {
        if (options_.on_train_begin) options_.on_train_begin(m);
    }
    void on_epoch_begin(Sequential& m, int e) override {
        if (options_.on_epoch_begin) options_.on_epoch_begin(m, e);
    }
    void on_train_batch_end(Sequential& m, int b, const Logs& l) override {
        if (options_.on_train_batch_end) options_.on_train_batch_end(m, b, l);
    }
    void on_epoch_end(Sequential& m, int e, Logs& l) override {
        if (options_.on_epoch_end) options_.on_epoch_end(m, e, l);
    }
    void on_train_end(Sequential& m) override {
        if (options_.on_train_end) options_.on_train_end(m);
    }

private:
    LambdaCallbackOptions options_;
};

}  // namespace plexus
