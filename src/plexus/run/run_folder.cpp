// The run folder; see run_folder.hpp.
#include "plexus/run/run_folder.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "plexus/run/config.hpp"

namespace plexus::run {
namespace fs = std::filesystem;

namespace {

constexpr const char* kLock = ".plexus.lock";

bool holds_previous_run(const fs::path& dir) {
    std::error_code ec;
    for (const char* name : {"model.plexus", "report.json", "history.csv"})
        if (fs::exists(dir / name, ec)) return true;
    return false;
}

// The pid recorded in a lock file, or 0.
long lock_owner(const fs::path& lock) {
    std::ifstream in(lock);
    long pid = 0;
    in >> pid;
    return in ? pid : 0;
}

void remove_orphan_temporaries(const fs::path& dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto pos = name.rfind(".tmp-");
        if (pos != std::string::npos && name.size() == pos + 11 && entry.is_regular_file(ec)) fs::remove(entry.path(), ec);
    }
}

}  // namespace

const std::vector<std::string>& run_file_names() {
    static const std::vector<std::string> names = {
        "model.plexus", "best.plexus", "report.json",   "history.csv",  "boundary.png",   "layers.png",
        "animation.png", "animation.gif", "curves.png", "confusion.png", "regression.png", "surface.png",
        "residuals.png"};
    return names;
}

RunFolder::RunFolder(fs::path dir, bool resuming, bool overwrite, std::string option) : dir_(std::move(dir)) {
    std::error_code ec;
    if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
        throw UsageError(option + " " + dir_.string() + ": exists and is not a folder; fix: give a folder path (it is created if missing)");
    if (!fs::exists(dir_, ec)) {
        fs::create_directories(dir_, ec);
        if (ec) throw IoError(dir_.string() + ": cannot create the folder (" + ec.message() + "); fix: choose a writable " + option + " path");
        created_ = true;
    }
    // The lock: created exclusively, so two runs cannot both take it.
    const fs::path lock = dir_ / kLock;
    for (int attempt = 0; attempt < 2 && !locked_; ++attempt) {
        const int fd = ::open(lock.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            const std::string pid = std::to_string(::getpid()) + "\n";
            const bool wrote = ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
            ::close(fd);
            if (!wrote) {
                fs::remove(lock, ec);
                throw IoError(dir_.string() + ": cannot write in the folder (disk full?); fix: free space or choose another " + option);
            }
            locked_ = true;
            break;
        }
        if (errno != EEXIST)
            throw IoError(dir_.string() + ": cannot write in the folder (" + std::strerror(errno) + "); fix: choose a writable " + option + " path");
        const long owner = lock_owner(lock);
        if (owner > 0 && owner != ::getpid() && (::kill(static_cast<pid_t>(owner), 0) == 0 || errno == EPERM))
            throw UsageError(option + " " + dir_.string() + ": another plexus run (pid " + std::to_string(owner) +
                             ") is writing this folder; fix: wait for it to finish, or choose another " + option);
        fs::remove(lock, ec);  // left by a run that was killed: take it over
    }
    if (!locked_) throw IoError(dir_.string() + ": cannot lock the folder; fix: remove " + lock.string() + " if no run is using it");
    remove_orphan_temporaries(dir_);
    if (!resuming && holds_previous_run(dir_)) {
        if (!overwrite) {
            fs::remove(lock, ec);
            locked_ = false;
            throw UsageError(option + " " + dir_.string() + ": holds a previous run (model.plexus, report.json); fix: choose a new " + option +
                             ", add --overwrite to replace that run, or --resume " + dir_.string() + " to continue it");
        }
        for (const auto& name : run_file_names()) fs::remove(dir_ / name, ec);
    }
}

RunFolder::~RunFolder() {
    std::error_code ec;
    if (locked_) fs::remove(dir_ / kLock, ec);
    if (created_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
}

}  // namespace plexus::run
