// A run as the page sees it; see live.hpp.
#include "live.hpp"

#include "plexus/model/fit_plan.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/model/split.hpp"

namespace plexus::web {
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// The fit's view of a LiveRun: records epochs, takes pictures, obeys stop and pause.
class LiveCallback final : public Callback {
public:
    explicit LiveCallback(LiveRun& run) : run_(run) {}
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override { run_.begin(model); }
    void on_train_batch_end(Sequential& model, int, const Logs&) override {
        if (run_.stop_ && !model.stop_training) {
            model.stop_training = true;  // fit ends the epoch after this batch
            run_.stopping();
        }
    }
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override { run_.epoch_end(model, epoch, logs); }
    void on_train_end(Sequential& model) override { run_.take_snapshot(model, run_.epoch_); }

private:
    LiveRun& run_;
};

LiveRun::LiveRun(run::RunConfig config, Dataset data, FixContext fix, bool step_mode)
    : config_(std::move(config)), data_(std::move(data)), fix_(fix), free_running_(!step_mode) {}

CallbackPtr LiveRun::callback() { return std::make_shared<LiveCallback>(*this); }

void LiveRun::stop() {
    stop_ = true;
    std::lock_guard lock(mutex_);
    changed_.notify_all();
}

void LiveRun::step() {
    std::lock_guard lock(mutex_);
    if (state_ == "paused") ++credits_;
    free_running_ = false;
    changed_.notify_all();
}

void LiveRun::resume() {
    std::lock_guard lock(mutex_);
    free_running_ = true;
    changed_.notify_all();
}

std::string LiveRun::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

bool LiveRun::active() const {
    std::lock_guard lock(mutex_);
    return state_ == "starting" || state_ == "training" || state_ == "paused" || state_ == "stopping";
}

void LiveRun::stopping() {
    std::lock_guard lock(mutex_);
    set_state("stopping");
}

json LiveRun::status() const {
    std::lock_guard lock(mutex_);
    return {{"state", state_}, {"epoch", epoch_}, {"epochs", config_.fit.epochs}, {"message", message_}, {"downloads", downloads_}};
}

void LiveRun::set_state(const std::string& state, const std::string& message) {
    state_ = state;
    message_ = message;
    changed_.notify_all();
}

void LiveRun::begin(Sequential& model) {
    const FitContext* ctx = model.fit_context();
    std::optional<Standardizer> standardizer;
    if (config_.fit.standardize) {  // what the run layer fits on the training rows
        standardizer.emplace();
        standardizer->fit(take_rows(data_.x, ctx->train_rows));
    }
    plane_.emplace(data_, ctx->train_rows, ctx->validation_rows, standardizer);
    json scene = plane_->scene();
    scene["epochs"] = config_.fit.epochs;
    scene["split"] = {{"method", to_string(ctx->method)}, {"train_rows", ctx->train_rows.size()},
                      {"validation_rows", ctx->validation_rows.size()}};
    scene["parameters"] = model.count_params();
    {
        std::lock_guard lock(mutex_);
        scene_ = std::move(scene);
        set_state("training");
    }
    take_snapshot(model, 0);
}

void LiveRun::epoch_end(Sequential& model, int epoch, const Logs& logs) {
    json row = {{"epoch", epoch + 1}};
    for (const auto& [key, value] : logs) row[key] = value;
    const bool last = epoch + 1 >= config_.fit.epochs;
    bool pause = false;
    {
        std::lock_guard lock(mutex_);
        epochs_.push_back(std::move(row));
        epoch_ = epoch + 1;
        pause = !free_running_ && !last && !stop_;
        changed_.notify_all();
    }
    if (pause || last || Clock::now() - last_snapshot_ >= kSnapshotInterval) take_snapshot(model, epoch + 1);
    if (!pause) return;
    std::unique_lock lock(mutex_);
    if (free_running_ || credits_ > 0 || stop_) {
        credits_ = std::max(0, credits_ - 1);
        return;
    }
    set_state("paused");
    changed_.wait(lock, [&] { return free_running_ || credits_ > 0 || stop_; });
    credits_ = std::max(0, credits_ - 1);
    if (stop_) model.stop_training = true;
    set_state(stop_ ? "stopping" : "training");
}

void LiveRun::take_snapshot(Sequential& model, int epoch) {
    if (!plane_ || !plane_->drawable()) return;
    json snapshot = plane_->snapshot(model);
    snapshot["epoch"] = epoch;
    std::string text = snapshot.dump();
    last_snapshot_ = Clock::now();
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(text);
    ++snapshot_version_;
    changed_.notify_all();
}

void LiveRun::on_finding(const Finding& finding) {
    json j = to_json(finding);
    const auto fix = settings_fix(finding, config_, fix_);
    j["apply"] = fix ? fix->change : json();
    j["apply_label"] = fix ? fix->label : std::string();
    std::lock_guard lock(mutex_);
    findings_.push_back(std::move(j));
    changed_.notify_all();
}

void LiveRun::finish(const run::TrainResult& result) {
    std::lock_guard lock(mutex_);
    final_ = json::object();
    if (result.report.contains("final")) final_ = result.report["final"];
    downloads_ = !result.model_path.empty();
    const bool cut = stop_ && epoch_ < config_.fit.epochs;
    set_state(cut ? "stopped" : "finished", result.diverged ? "the loss became NaN or infinite: no model was saved" : "");
}

void LiveRun::fail(const std::string& message) {
    std::lock_guard lock(mutex_);
    set_state("failed", message);
}

void LiveRun::wake() {
    std::lock_guard lock(mutex_);
    changed_.notify_all();
}

bool LiveRun::has_news(const Cursor& c) const {
    return (!c.scene && !scene_.is_null()) || c.epochs < epochs_.size() || c.findings < findings_.size() ||
           c.snapshot < snapshot_version_ || c.state != state_;
}

std::string LiveRun::next(Cursor& c, std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, wait, [&] { return has_news(c); });
    std::string out;
    auto event = [&out](const char* name, const std::string& data) { out += std::string("event: ") + name + "\ndata: " + data + "\n\n"; };
    if (!c.scene && !scene_.is_null()) {
        event("scene", scene_.dump());
        c.scene = true;
    }
    if (c.epochs < epochs_.size()) {
        json rows = json::array();
        for (; c.epochs < epochs_.size(); ++c.epochs) rows.push_back(epochs_[c.epochs]);
        event("epochs", json{{"rows", rows}}.dump());
    }
    for (; c.findings < findings_.size(); ++c.findings) event("finding", findings_[c.findings].dump());
    if (c.snapshot < snapshot_version_) {
        event("snapshot", snapshot_);
        c.snapshot = snapshot_version_;
    }
    if (c.state != state_) {
        json s = {{"state", state_}, {"message", message_}, {"epoch", epoch_}, {"downloads", downloads_}};
        if (!final_.is_null()) s["final"] = final_;
        event("state", s.dump());
        c.state = state_;
    }
    return out;
}

bool LiveRun::done(const Cursor& c) const {
    std::lock_guard lock(mutex_);
    const bool ended = state_ == "finished" || state_ == "stopped" || state_ == "failed";
    return ended && !has_news(c);
}

}  // namespace plexus::web
