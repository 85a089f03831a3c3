// Crash-safe runs; see checkpoint.hpp.
#include "plexus/run/checkpoint.hpp"

#include "plexus/model/sequential.hpp"

namespace plexus::run {

void Checkpoints::snapshot(const Sequential& model) {
    const auto params = model.parameters();
    params_.assign(params.begin(), params.end());
    const Optimizer& optimizer = model.optimizer();
    slots_.resize(optimizer.slots().size());
    for (std::size_t s = 0; s < slots_.size(); ++s) slots_[s].assign(optimizer.slots()[s].begin(), optimizer.slots()[s].end());
    iterations_ = optimizer.iterations();
    learning_rate_ = optimizer.base_learning_rate();
}

void Checkpoints::on_train_begin(Sequential& model) {
    interrupted_ = cut_ = false;
    so_far_ = History{};
    const FitContext* ctx = model.fit_context();
    epochs_done_ = ctx ? ctx->options->initial_epoch : 0;
    last_save_ = std::chrono::steady_clock::now();
    snapshot(model);
}

void Checkpoints::on_train_batch_end(Sequential& model, int /*batch*/, const Logs& /*logs*/) {
    if (options_.interrupt && options_.interrupt->load(std::memory_order_relaxed) != 0) {
        model.stop_training = true;
        interrupted_ = cut_ = true;
    }
}

void Checkpoints::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
    if (cut_) return;  // an epoch cut short by the interrupt is not a state to resume from
    so_far_.epoch.push_back(epoch);
    for (const auto& [k, v] : logs) so_far_.history[k].push_back(v);
    epochs_done_ = epoch + 1;
    snapshot(model);
    const auto now = std::chrono::steady_clock::now();
    const bool due = options_.every > 0 ? epochs_done_ % options_.every == 0
                                        : std::chrono::duration<double>(now - last_save_).count() >= options_.min_seconds;
    const bool last = epochs_done_ >= model.fit_context()->options->epochs;
    if (options_.save && due && !last) {  // the pipeline saves the final state itself
        options_.save(model, epochs_done_, so_far_);
        last_save_ = std::chrono::steady_clock::now();
    }
}

void Checkpoints::restore_last_epoch(Sequential& model, History& history) const {
    if (!interrupted_) return;
    auto params = model.parameters();
    std::copy(params_.begin(), params_.end(), params.begin());
    Optimizer& optimizer = model.optimizer();
    for (std::size_t s = 0; s < slots_.size() && s < optimizer.slots().size(); ++s)
        std::copy(slots_[s].begin(), slots_[s].end(), optimizer.slots()[s].begin());
    optimizer.set_iterations(iterations_);
    optimizer.set_base_learning_rate(learning_rate_);
    while (!history.epoch.empty() && history.epoch.back() >= epochs_done_) {
        history.epoch.pop_back();
        for (auto& [k, v] : history.history)
            if (!v.empty()) v.pop_back();
    }
}

}  // namespace plexus::run
