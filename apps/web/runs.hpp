// The playground server's runs and uploads: each run trains on its own worker
// thread through run::run_training (into its own folder under the server's
// temporary directory, which downloads then read), at most Limits::max_runs at
// once; uploads are CSV files kept in the same directory. Runs and uploads that
// nobody touched for Limits::idle are stopped and removed by sweep(); the
// destructor stops every run, joins the threads and removes the directory.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "live.hpp"
#include "settings.hpp"

namespace plexus::web {

// More runs than Limits::max_runs (HTTP 429).
class BusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Run {
    std::string id;
    std::filesystem::path folder;  // the run's out_dir
    std::string command;           // `plexus train ...`
    std::shared_ptr<LiveRun> live;
    std::thread worker;
    std::atomic<std::int64_t> last_seen{0};  // steady-clock seconds of the last request or stream poll

    void touch();
    ~Run();  // stops the run, joins its thread, removes its folder
};

class Runs {
public:
    // Creates a private temporary directory (IoError if it cannot).
    explicit Runs(Limits limits);
    ~Runs();
    Runs(const Runs&) = delete;
    Runs& operator=(const Runs&) = delete;

    struct Started {
        std::string id, command;
        Index parameters = 0;
    };
    // Starts a run for a request {"config": {...}, "upload": "<id>", "step": false}.
    // Throws run::UsageError / plexus::Error for bad settings or data (HTTP 400),
    // BusyError beyond the cap (429).
    Started start(const nlohmann::json& request);

    // The run with this id (and marks it seen), or nullptr.
    std::shared_ptr<Run> find(const std::string& id);
    // Stops and removes a run; false if there is none.
    bool remove(const std::string& id);

    // Keeps an uploaded CSV and checks that it loads: {"upload", "name", "rows",
    // "features", "feature_names", "task", "class_names"}. Throws plexus::Error (400).
    nlohmann::json upload(const std::string& body, const std::string& name);

    // Stops and removes what was idle for longer than Limits::idle.
    void sweep();
    // Asks every run to stop and wakes every stream (shutdown).
    void stop_all();

    const Limits& limits() const { return limits_; }
    const std::filesystem::path& directory() const { return root_; }

private:
    struct Upload {
        std::filesystem::path path;
        std::string name;
        std::int64_t last_seen = 0;
    };

    void throw_if_busy();               // BusyError at the cap of active runs
    void throw_if_busy_locked() const;  // the same, with mutex_ held

    Limits limits_;
    std::filesystem::path root_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Run>> runs_;
    std::map<std::string, Upload> uploads_;
};

// A fresh random id: 32 hex digits.
std::string random_id();

// Seconds on the steady clock.
std::int64_t now_seconds();

}  // namespace plexus::web
