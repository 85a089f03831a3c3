#include "plexus/callbacks/callbacks.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

Monitor::Monitor(std::string key, std::string mode, double min_delta) : key_(std::move(key)), min_delta_(std::abs(min_delta)) {
    if (mode == "auto") {
        maximize_ = false;
        for (const char* m : {"acc", "precision", "recall", "f1", "r2", "auc"})
            if (key_.find(m) != std::string::npos) maximize_ = true;
    } else if (mode == "min" || mode == "max") {
        maximize_ = mode == "max";
    } else {
        throw_unknown_name("monitor mode", mode, {"auto", "min", "max"});
    }
    reset();
}

void Monitor::reset() {
    best_ = maximize_ ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

double Monitor::value(const Logs& logs) const {
    const auto it = logs.find(key_);
    if (it == logs.end()) {
        std::vector<std::string> available;
        for (const auto& [k, v] : logs) available.push_back(k);
        throw ConfigError("callback monitors '" + key_ + "', which is not logged; available: " + join(available) +
                          (key_.rfind("val_", 0) == 0 ? " (val_* logs need validation_split or validation_data)" : ""));
    }
    return it->second;
}

bool Monitor::improved(double v) const { return maximize_ ? v - min_delta_ > best_ : v + min_delta_ < best_; }

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

ModelCheckpoint::ModelCheckpoint(ModelCheckpointOptions options)
    : options_(std::move(options)), monitor_(options_.monitor, options_.mode, 0.0) {
    if (options_.filepath.empty()) throw ConfigError("ModelCheckpoint: filepath is empty");
}

void ModelCheckpoint::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
    if (options_.save_best_only) {
        const double current = monitor_.value(logs);
        if (!monitor_.improved(current)) return;
        monitor_.update(current);
    }
    std::string path = options_.filepath;
    if (const auto pos = path.find("{epoch}"); pos != std::string::npos)
        path.replace(pos, 7, std::to_string(epoch + 1));
    save_model(model, path, {.epoch = epoch + 1});
}

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

void TerminateOnNaN::on_train_batch_end(Sequential& model, int, const Logs& logs) {
    const auto it = logs.find("batch_loss");
    if (it != logs.end() && !std::isfinite(it->second)) model.stop_training = true;
}

CSVLogger::CSVLogger(std::string filename, bool append) : filename_(std::move(filename)), append_(append) {}

void CSVLogger::on_train_begin(Sequential&) {
    keys_.clear();
    content_.clear();
    if (append_) {
        std::ifstream in(filename_);
        std::stringstream buffer;
        buffer << in.rdbuf();
        content_ = buffer.str();
        if (!content_.empty()) {
            std::string header = content_.substr(0, content_.find('\n'));
            std::stringstream hs(header);
            std::string key;
            std::getline(hs, key, ',');  // "epoch"
            while (std::getline(hs, key, ',')) keys_.push_back(key);
        }
    }
}

void CSVLogger::on_epoch_end(Sequential&, int epoch, Logs& logs) {
    if (keys_.empty()) {
        for (const auto& [k, v] : logs) keys_.push_back(k);
        content_ = "epoch";
        for (const auto& k : keys_) content_ += "," + k;
        content_ += "\n";
    }
    content_ += std::to_string(epoch);
    for (const auto& k : keys_) {
        const auto it = logs.find(k);
        char buf[32] = "";
        if (it != logs.end()) std::snprintf(buf, sizeof buf, "%.9g", it->second);
        content_ += std::string(",") + buf;
    }
    content_ += "\n";
    write_file_atomic(filename_, content_);
}

}  // namespace plexus
