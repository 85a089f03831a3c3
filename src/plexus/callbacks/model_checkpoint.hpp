// ModelCheckpoint: saves the model (model file with optimizer state) after each
// epoch, or only when `monitor` improved (save_best_only). "{epoch}" in filepath
// is replaced by the 1-based epoch number.
//   ModelCheckpoint({.filepath = "best.plexus", .save_best_only = true})
#pragma once

#include <string>

#include "plexus/model/callback.hpp"
#include "plexus/callbacks/monitor.hpp"

namespace plexus {

struct ModelCheckpointOptions {
    std::string filepath;  // "{epoch}" is replaced by the 1-based epoch number
    std::string monitor = "val_loss";
    bool save_best_only = false;
    std::string mode = "auto";  // min, max or auto (see monitor.hpp)
};

class ModelCheckpoint final : public Callback {
public:
    // ConfigError for an empty filepath or an unknown mode.
    explicit ModelCheckpoint(ModelCheckpointOptions options);
    bool uses_gradients() const override { return false; }
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    ModelCheckpointOptions options_;
    Monitor monitor_;
};

}  // namespace plexus
