// run_sweep over MPI ranks; see sweep.hpp.
#include "plexus/distributed/sweep.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

namespace plexus {

namespace {

constexpr int kRequestTag = 701;  // worker -> rank 0: "" or the finished trial's result (JSON)
constexpr int kAssignTag = 702;   // rank 0 -> worker: the next index, or "-1" when none is left

TrialResult run_one(std::size_t index, int rank, const RunTrial& run_trial) {
    const auto start = std::chrono::steady_clock::now();
    TrialResult r;
    try {
        r = run_trial(index);
    } catch (const std::exception& e) {
        r = TrialResult{.index = index, .ok = false, .error = e.what()};
    }
    r.index = index;
    r.rank = rank;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

void work(DistributedWorld& world, const RunTrial& run_trial) {
    std::string message;  // the first request carries no result
    for (;;) {
        world.send_bytes(0, kRequestTag, message);
        const long index = std::stol(world.recv_bytes(0, kAssignTag));
        if (index < 0) return;
        message = trial_to_json(run_one(static_cast<std::size_t>(index), world.rank(), run_trial)).dump();
    }
}

std::vector<TrialResult> coordinate(DistributedWorld& world, std::size_t count, const RunTrial& run_trial) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::vector<TrialResult> results(count);
    std::vector<bool> done(count, false);
    const auto store = [&](TrialResult r) {
        std::lock_guard lock(mutex);
        if (r.index < count) {
            done[r.index] = true;
            results[r.index] = std::move(r);
        }
    };
    std::thread local([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) store(run_one(i, 0, run_trial));
    });
    try {
        int workers = world.size() - 1;
        std::string message;
        int from = -1;
        while (workers > 0) {
            if (!world.poll_bytes(-1, kRequestTag, message, from)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            if (!message.empty()) store(trial_from_json(nlohmann::json::parse(message)));
            const std::size_t i = next.fetch_add(1);
            world.send_bytes(from, kAssignTag, i < count ? std::to_string(i) : std::string("-1"));
            if (i >= count) --workers;
        }
    } catch (...) {
        next = count;  // let the local thread finish its current trial, then stop
        local.join();
        throw;
    }
    local.join();
    for (std::size_t i = 0; i < count; ++i)
        if (!done[i]) results[i] = TrialResult{.index = i, .ok = false, .error = "no rank reported this trial"};
    return results;
}

}  // namespace

std::vector<TrialResult> run_sweep(DistributedWorld& world, std::size_t count, const RunTrial& run_trial) {
    if (world.size() == 1) return run_trials_locally(count, run_trial);
    if (world.is_root()) return coordinate(world, count, run_trial);
    work(world, run_trial);
    return {};
}

}  // namespace plexus
