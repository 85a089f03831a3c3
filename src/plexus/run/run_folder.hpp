// The run folder of a training run, as a transaction:
// - one writer at a time: a lock file (.plexus.lock, holding the writer's pid)
//   refuses a second run into the same folder with a clear message; a lock
//   left by a killed run (its pid is gone) is taken over;
// - a folder that holds a previous run (model.plexus, report.json or
//   history.csv) is reused only when resuming that run or with overwrite,
//   which first removes the previous run's files (run_file_names(), nothing
//   else), so stale pictures never sit next to a new model;
// - temporaries left by killed atomic writes (NAME.tmp-XXXXXX) are removed;
// - the folder is created and proven writable before training starts (plexus train:
//   before the data is read, so an occupied --out is refused at once);
// - files are written atomically and never deleted on failure (each one is
//   whole; a checkpoint stays usable): only the lock goes, and the folder if
//   this run created it and left it empty.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace plexus::run {

// The files a training run may write into its folder.
const std::vector<std::string>& run_file_names();

class RunFolder {
public:
    // `option` names the folder in messages ("--out"). UsageError if another run
    // holds the lock, or the folder holds a previous run and neither `resuming`
    // nor `overwrite`; IoError if it cannot be created or written.
    RunFolder(std::filesystem::path dir, bool resuming, bool overwrite, std::string option = "--out");
    ~RunFolder();
    RunFolder(const RunFolder&) = delete;
    RunFolder& operator=(const RunFolder&) = delete;

    // The path of `name` inside the folder.
    std::string file(const std::string& name) const { return (dir_ / name).string(); }
    const std::filesystem::path& path() const { return dir_; }

private:
    std::filesystem::path dir_;
    bool created_ = false;
    bool locked_ = false;
};

}  // namespace plexus::run
