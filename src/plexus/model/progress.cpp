#include "plexus/model/progress.hpp"

#include <cstdio>

#include "plexus/model/sequential.hpp"

namespace plexus {

std::string format_logs(const Logs& logs) {
    std::string out;
    auto append = [&](const std::string& key, double value) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s: %.4f", key.c_str(), value);
        if (!out.empty()) out += " - ";
        out += buf;
    };
    if (auto it = logs.find("loss"); it != logs.end()) append("loss", it->second);
    for (const auto& [k, v] : logs)
        if (k != "loss" && k != "batch_loss" && k != "size" && k.rfind("val_", 0) != 0) append(k, v);
    if (auto it = logs.find("val_loss"); it != logs.end()) append("val_loss", it->second);
    for (const auto& [k, v] : logs)
        if (k.rfind("val_", 0) == 0 && k != "val_loss") append(k, v);
    return out;
}

void ProgressLogger::on_train_begin(Sequential& model) {
    const auto* ctx = model.fit_context();
    epochs_ = ctx ? ctx->options->epochs : 0;
    const Index n = ctx ? ctx->x_train().rows() : 0;
    const Index batch = ctx ? std::min(ctx->options->batch_size, n) : 1;
    steps_ = batch > 0 ? static_cast<int>((n + batch - 1) / batch) : 0;
}

void ProgressLogger::on_epoch_begin(Sequential&, int epoch) {
    epoch_start_ = last_draw_ = std::chrono::steady_clock::now();
    if (verbose_ == 1) sink_("Epoch " + std::to_string(epoch + 1) + "/" + std::to_string(epochs_) + "\n");
}

std::string ProgressLogger::bar(int done) const {
    const int width = 30;
    const int filled = steps_ > 0 ? done * width / steps_ : width;
    std::string b = "[";
    for (int i = 0; i < width; ++i) b += i < filled ? '=' : (i == filled ? '>' : '.');
    return b + "]";
}

void ProgressLogger::on_train_batch_end(Sequential&, int batch, const Logs& logs) {
    if (verbose_ != 1) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100) && batch + 1 < steps_) return;
    last_draw_ = now;
    sink_("\r" + std::to_string(batch + 1) + "/" + std::to_string(steps_) + " " + bar(batch + 1) + " - " + format_logs(logs));
}

void ProgressLogger::on_epoch_end(Sequential&, int epoch, Logs& logs) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
    char timing[64];
    const double per_step = steps_ > 0 ? seconds / steps_ : 0.0;
    if (per_step >= 1e-3) std::snprintf(timing, sizeof timing, "%.0fs %.0fms/step", seconds, per_step * 1e3);
    else std::snprintf(timing, sizeof timing, "%.0fs %.0fus/step", seconds, per_step * 1e6);
    if (verbose_ == 1)
        sink_("\r" + std::to_string(steps_) + "/" + std::to_string(steps_) + " " + bar(steps_) + " - " + timing + " - " +
              format_logs(logs) + "\n");
    else
        sink_("Epoch " + std::to_string(epoch + 1) + "/" + std::to_string(epochs_) + " - " + timing + " - " +
              format_logs(logs) + "\n");
}

}  // namespace plexus
