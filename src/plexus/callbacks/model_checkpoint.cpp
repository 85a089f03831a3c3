#include "plexus/callbacks/model_checkpoint.hpp"

#include "plexus/core/error.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

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

}  // namespace plexus
