// One playground run as the page sees it while it trains: the controls (stop,
// step, resume), what happened so far (epochs, findings, the latest pictures,
// the state) and the event stream that sends it, several times a second.
//
// Threads: the run's worker thread trains with callback() attached and calls
// on_finding / finish / fail; HTTP threads call the controls and next(). All
// state is behind one mutex; pictures are computed on the worker thread
// (outside the lock) at most every kSnapshotInterval, on every paused epoch
// and at the end.
//
// Stream events (Server-Sent Events, `event: NAME` + one line of JSON):
//   scene     once, at the start of training: Plane::scene() plus "split" and "epochs"
//   epochs    {"rows": [{"epoch": 1, "loss": ..., "val_accuracy": ...}, ...]}  (new rows)
//   finding   a Finding's JSON plus "apply" (the settings change, fixes.hpp) and "apply_label"
//   snapshot  {"epoch": n, "cells": [...], "units": [...]}  (Plane::snapshot)
//   state     {"state": "training" | "paused" | "stopping" | "finished" | "stopped" | "failed", "message",
//              "final": {...}, "downloads": bool}
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixes.hpp"
#include "picture.hpp"
#include "plexus/model/callback.hpp"
#include "plexus/run/pipeline.hpp"

namespace plexus::web {

inline constexpr std::chrono::milliseconds kSnapshotInterval{200};

class LiveRun {
public:
    // `data` is the run's dataset as loaded (raw features), kept for the pictures.
    LiveRun(run::RunConfig config, Dataset data, FixContext fix, bool step_mode);

    // ---- controls (any thread)
    void stop();    // stop within the current batch (and leave a pause)
    void step();    // pause after the next epoch (train one more epoch when paused)
    void resume();  // train freely again
    std::string state() const;
    bool active() const;  // starting, training, paused or stopping (counts against the server's run cap)
    nlohmann::json status() const;  // {"state", "epoch", "epochs", "message"}

    // ---- the worker thread
    CallbackPtr callback();  // attach to the fit; it refers to this object
    void on_finding(const Finding& finding);
    void finish(const run::TrainResult& result);
    void fail(const std::string& message);

    // ---- the event stream
    struct Cursor {
        bool scene = false;
        std::size_t epochs = 0, findings = 0;
        std::uint64_t snapshot = 0;
        std::string state;
    };
    // The events past `cursor` (waiting up to `wait` for one), advancing it; "" if none.
    std::string next(Cursor& cursor, std::chrono::milliseconds wait);
    // True once the run has ended and `cursor` has seen everything.
    bool done(const Cursor& cursor) const;
    // Wakes every waiting stream (server shutdown).
    void wake();

private:
    friend class LiveCallback;
    bool has_news(const Cursor& c) const;
    void begin(Sequential& model);
    void epoch_end(Sequential& model, int epoch, const Logs& logs);
    void take_snapshot(Sequential& model, int epoch);
    void set_state(const std::string& state, const std::string& message = "");
    void stopping();  // training has stopped at a batch's end; the run is saving

    const run::RunConfig config_;
    const Dataset data_;
    const FixContext fix_;
    std::optional<Plane> plane_;  // worker thread only
    std::chrono::steady_clock::time_point last_snapshot_{};
    std::atomic<bool> stop_{false};

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool free_running_;
    int credits_ = 0;  // epochs allowed past a pause
    std::string state_ = "starting", message_;
    nlohmann::json scene_, final_;
    std::vector<nlohmann::json> epochs_, findings_;
    std::string snapshot_;  // the latest "snapshot" event's JSON
    std::uint64_t snapshot_version_ = 0;
    int epoch_ = 0;          // epochs finished
    bool downloads_ = false;
};

}  // namespace plexus::web
