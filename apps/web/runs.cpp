// The server's runs and uploads; see runs.hpp.
#include "runs.hpp"

#include <random>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>

#include "plexus/data/atomic_file.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/recipe.hpp"

namespace plexus::web {
namespace fs = std::filesystem;
using json = nlohmann::json;

std::string random_id() {
    static std::mutex mutex;
    static std::random_device device;
    std::lock_guard lock(mutex);
    std::string id;
    for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", device());
    return id;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Run::touch() { last_seen = now_seconds(); }

Run::~Run() {
    live->stop();
    if (worker.joinable()) worker.join();
    std::error_code ec;
    fs::remove_all(folder, ec);
}

namespace {

// Messages name the file as the user knows it, not the server's copy.
std::string rename_file(std::string message, const std::string& path, const std::string& name) {
    for (auto at = message.find(path); at != std::string::npos; at = message.find(path, at + name.size()))
        message.replace(at, path.size(), name);
    return message;
}

template <typename F>
auto with_file_name(const std::string& path, const std::string& name, F&& body) {
    try {
        return body();
    } catch (const run::UsageError& e) {
        throw run::UsageError(rename_file(e.what(), path, name));
    } catch (const Error& e) {
        throw DataError(rename_file(e.what(), path, name));
    }
}

// A display name for an uploaded file: its base name, plain characters only.
std::string clean_name(const std::string& name) {
    std::string base = fs::path(name).filename().string(), out;
    for (const char ch : base)
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-') out += ch;
    if (out.empty() || out.front() == '.') out = "upload" + out;
    if (out.size() < 4 || out.substr(out.size() - 4) != ".csv") out += ".csv";
    return out.substr(0, 100);
}

}  // namespace

Runs::Runs(Limits limits) : limits_(limits) {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    root_ = (ec ? fs::path("/tmp") : base) / ("plexus-serve-" + std::to_string(::getpid()) + "-" + random_id().substr(0, 8));
    if (!fs::create_directories(root_ / "uploads", ec) || ec)
        throw IoError(root_.string() + ": cannot create the server's working folder (" + ec.message() +
                      "); fix: set TMPDIR to a writable folder");
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace, ec);
}

Runs::~Runs() {
    stop_all();
    std::map<std::string, std::shared_ptr<Run>> runs;
    {
        std::lock_guard lock(mutex_);
        runs.swap(runs_);
    }
    runs.clear();  // joins the workers
    std::error_code ec;
    fs::remove_all(root_, ec);
}

Runs::Started Runs::start(const json& request) {
    if (!request.is_object()) throw run::UsageError("request: expected a JSON object {\"config\": {...}}; fix: send the page's settings");
    for (const auto& [key, value] : request.items())
        if (key != "config" && key != "upload" && key != "step")
            throw run::UsageError("request: unknown field \"" + key + "\"; fix: send only config, upload and step");
    if (!request.contains("config")) throw run::UsageError("request: \"config\" is missing; fix: send {\"config\": {...}}");
    const bool has_upload = request.contains("upload") && !request["upload"].is_null();
    if (has_upload && !request["upload"].is_string()) throw run::UsageError("request: \"upload\" must be the id an upload returned");
    if (request.contains("step") && !request["step"].is_boolean()) throw run::UsageError("request: \"step\" must be true or false");
    run::RunConfig config = config_from_request(request["config"], has_upload);
    std::string data_name = config.data.data;
    if (has_upload) {
        std::lock_guard lock(mutex_);
        const auto it = uploads_.find(request["upload"].get<std::string>());
        if (it == uploads_.end())
            throw run::UsageError("request: the uploaded file is gone (uploads are kept " + std::to_string(limits_.idle.count()) +
                                  " s); fix: upload it again");
        config.data.data = it->second.path.string();
        data_name = it->second.name;
        it->second.last_seen = now_seconds();
    }
    check_caps_before_load(config, limits_);
    throw_if_busy();  // before loading anything; checked again when the run is added
    Dataset data = with_file_name(config.data.data, data_name, [&] { return run::load_dataset(config.data, config.fit.seed); });
    check_caps(config, data, limits_);
    // The model the run will build: its options are checked now (400, not a failed run), and its learning rate
    // is what the learning-rate fixes scale.
    run::ModelConfig model_options = config.model;
    Sequential model = with_file_name(config.data.data, data_name, [&] { return run::build_model(model_options, data, config.fit.seed); });
    const FixContext fix{.classification = data.is_classification(),
                         .learning_rate = model.optimizer().base_learning_rate(),
                         .max_epochs = limits_.max_epochs};
    const bool step = request.value("step", false);

    auto run = std::make_shared<Run>();
    run->id = random_id();
    run->folder = root_ / run->id;
    run->command = train_command(config, data_name);
    run->live = std::make_shared<LiveRun>(config, std::move(data), fix, step);
    run->touch();
    {
        std::lock_guard lock(mutex_);
        throw_if_busy_locked();
        runs_[run->id] = run;
    }
    run->worker = std::thread([live = run->live, folder = run->folder, command = run->command, config, data_name] {
        run::TrainRequest train{.config = config, .out_dir = folder.string(), .callbacks = {live->callback()}, .command = command};
        train.on_finding = [live](const Finding& f) { live->on_finding(f); };
        try {
            live->finish(run::run_training(train));
        } catch (const Error& e) {
            live->fail(rename_file(e.what(), config.data.data, data_name));
        } catch (const std::exception& e) {
            live->fail(std::string("internal error: ") + e.what() + "; please report this bug");
        }
    });
    return {run->id, run->command, model.count_params()};
}

void Runs::throw_if_busy() {
    std::lock_guard lock(mutex_);
    throw_if_busy_locked();
}

void Runs::throw_if_busy_locked() const {
    int active = 0;
    for (const auto& [id, r] : runs_) active += r->live->active();
    if (active >= limits_.max_runs)
        throw BusyError(fmt::format("busy: {} run{} training, this server's limit; fix: stop a run, wait for one to finish, "
                                    "or start the server with --max-runs {}",
                                    active, active == 1 ? " is" : "s are", limits_.max_runs + 1));
}

std::shared_ptr<Run> Runs::find(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = runs_.find(id);
    if (it == runs_.end()) return nullptr;
    it->second->touch();
    return it->second;
}

bool Runs::remove(const std::string& id) {
    std::shared_ptr<Run> run;
    {
        std::lock_guard lock(mutex_);
        const auto it = runs_.find(id);
        if (it == runs_.end()) return false;
        run = it->second;
        runs_.erase(it);
    }
    run->live->stop();
    run->live->wake();
    return true;  // the last holder (this or a stream) joins the worker and removes the folder
}

json Runs::upload(const std::string& body, const std::string& name) {
    const std::string id = random_id();
    const std::string display = clean_name(name);
    const fs::path path = root_ / "uploads" / (id + ".csv");
    write_file_atomic(path.string(), body);
    Dataset data;
    try {
        data = with_file_name(path.string(), display, [&] { return run::load_dataset(run::DataConfig{.data = path.string()}, 0); });
        if (data.rows() > limits_.max_rows)
            throw DataError(fmt::format("{}: {} rows is above this server's cap of {}; fix: upload fewer rows", display, data.rows(), limits_.max_rows));
    } catch (...) {
        std::error_code ec;
        fs::remove(path, ec);
        throw;
    }
    std::lock_guard lock(mutex_);
    while (static_cast<int>(uploads_.size()) >= limits_.max_uploads) {  // drop the least recently used
        auto oldest = uploads_.begin();
        for (auto it = uploads_.begin(); it != uploads_.end(); ++it)
            if (it->second.last_seen < oldest->second.last_seen) oldest = it;
        std::error_code ec;
        fs::remove(oldest->second.path, ec);
        uploads_.erase(oldest);
    }
    uploads_[id] = {path, display, now_seconds()};
    return {{"upload", id},
            {"name", display},
            {"rows", data.rows()},
            {"features", data.features()},
            {"feature_names", data.feature_names},
            {"task", data.is_classification() ? "classification" : "regression"},
            {"class_names", data.class_names}};
}

void Runs::sweep() {
    const std::int64_t cutoff = now_seconds() - limits_.idle.count();
    std::vector<std::shared_ptr<Run>> idle;
    {
        std::lock_guard lock(mutex_);
        for (auto it = runs_.begin(); it != runs_.end();) {
            if (it->second->last_seen < cutoff) {
                idle.push_back(it->second);
                it = runs_.erase(it);
            } else {
                ++it;
            }
        }
        for (auto it = uploads_.begin(); it != uploads_.end();) {
            if (it->second.last_seen < cutoff) {
                std::error_code ec;
                fs::remove(it->second.path, ec);
                it = uploads_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& run : idle) {
        run->live->stop();
        run->live->wake();
    }
    idle.clear();  // joins (outside the lock)
}

void Runs::stop_all() {
    std::lock_guard lock(mutex_);
    for (auto& [id, run] : runs_) {
        run->live->stop();
        run->live->wake();
    }
}

}  // namespace plexus::web
