#include "plexus/callbacks/early_stopping.hpp"

#include <algorithm>

#include "plexus/core/error.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)), monitor_(options_.monitor, options_.mode, options_.min_delta) {
    if (options_.patience < 0) throw ConfigError("EarlyStopping: patience must be >= 0");
}

void EarlyStopping::on_train_begin(Sequential&) {
    wait_ = 0;
    stopped_epoch_ = -1;
    best_epoch_ = -1;
    monitor_.reset();
    best_weights_.clear();
}

void EarlyStopping::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
    const double current = monitor_.value(logs);
    if (epoch < options_.start_from_epoch) return;
    const auto params = model.parameters();
    if (options_.restore_best_weights && best_weights_.empty()) {
        best_weights_.assign(params.begin(), params.end());
        best_epoch_ = epoch;
    }
    ++wait_;
    if (monitor_.improved(current)) {
        monitor_.update(current);
        best_epoch_ = epoch;
        if (options_.restore_best_weights) best_weights_.assign(params.begin(), params.end());
        if (!options_.baseline || (options_.mode == "max" ? current > *options_.baseline : current < *options_.baseline) ||
            (options_.mode == "auto" && current < *options_.baseline))
            wait_ = 0;
        return;
    }
    if (wait_ >= options_.patience && epoch > 0) {
        stopped_epoch_ = epoch;
        model.stop_training = true;
    }
}

void EarlyStopping::on_train_end(Sequential& model) {
    if (options_.restore_best_weights && !best_weights_.empty()) {
        auto params = model.parameters();
        std::copy(best_weights_.begin(), best_weights_.end(), params.begin());
    }
}

}  // namespace plexus
