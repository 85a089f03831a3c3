// EarlyStopping with Keras's semantics: stops when `monitor` has not improved by
// more than min_delta for `patience` epochs (counting from start_from_epoch);
// with restore_best_weights, puts back the best epoch's parameters at the end.
//   EarlyStopping({.monitor = "val_loss", .patience = 10, .restore_best_weights = true})
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/callbacks/monitor.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus {

struct EarlyStoppingOptions {
    std::string monitor = "val_loss";
    double min_delta = 0.0;
    int patience = 0;
    std::string mode = "auto";  // min, max or auto (see monitor.hpp)
    std::optional<double> baseline;
    bool restore_best_weights = false;
    int start_from_epoch = 0;
};

class EarlyStopping final : public Callback {
public:
    // ConfigError for patience < 0 or an unknown mode.
    explicit EarlyStopping(EarlyStoppingOptions options = {});
    bool uses_gradients() const override { return false; }
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

}  // namespace plexus
