// ReduceLROnPlateau with Keras's semantics: multiplies the optimizer's base
// learning rate by `factor` (not below min_lr) when `monitor` has not improved
// by more than min_delta for `patience` epochs, then waits `cooldown` epochs.
// Adds "learning_rate" (the rate of the epoch just ended) to the epoch's logs.
//   ReduceLROnPlateau({.factor = 0.1, .patience = 10})
#pragma once

#include <string>

#include "plexus/model/callback.hpp"
#include "plexus/callbacks/monitor.hpp"

namespace plexus {

struct ReduceLROnPlateauOptions {
    std::string monitor = "val_loss";
    double factor = 0.1;  // in (0, 1)
    int patience = 10;
    std::string mode = "auto";  // min, max or auto (see monitor.hpp)
    double min_delta = 1e-4;
    int cooldown = 0;
    double min_lr = 0.0;
};

class ReduceLROnPlateau final : public Callback {
public:
    // ConfigError for a factor outside (0, 1) or an unknown mode.
    explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    ReduceLROnPlateauOptions options_;
    Monitor monitor_;
    int wait_ = 0;
    int cooldown_counter_ = 0;
};

}  // namespace plexus
