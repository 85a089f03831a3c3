#include "plexus/callbacks/reduce_lr_on_plateau.hpp"

#include <algorithm>

#include "plexus/core/error.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : options_(std::move(options)), monitor_(options_.monitor, options_.mode, options_.min_delta) {
    if (!(options_.factor > 0 && options_.factor < 1))
        throw ConfigError("ReduceLROnPlateau: factor must be in (0, 1); received " + std::to_string(options_.factor));
}

void ReduceLROnPlateau::on_train_begin(Sequential&) {
    wait_ = 0;
    cooldown_counter_ = 0;
    monitor_.reset();
}

void ReduceLROnPlateau::on_epoch_end(Sequential& model, int, Logs& logs) {
    auto& optimizer = model.optimizer();
    logs["learning_rate"] = optimizer.learning_rate();
    const double current = monitor_.value(logs);
    if (cooldown_counter_ > 0) {
        --cooldown_counter_;
        wait_ = 0;
    }
    if (monitor_.improved(current)) {
        monitor_.update(current);
        wait_ = 0;
    } else if (cooldown_counter_ == 0) {
        if (++wait_ >= options_.patience) {
            const double old_lr = optimizer.base_learning_rate();
            if (old_lr > options_.min_lr) {
                optimizer.set_base_learning_rate(std::max(old_lr * options_.factor, options_.min_lr));
                cooldown_counter_ = options_.cooldown;
                wait_ = 0;
            }
        }
    }
}

}  // namespace plexus
