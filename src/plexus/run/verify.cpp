// Fix verification; see verify.hpp.
#include "plexus/run/verify.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

namespace plexus::run {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A temporary run folder, removed when it goes out of scope.
struct ScratchDir {
    fs::path path;
    explicit ScratchDir(const std::string& tag) {
        static int counter = 0;
        path = fs::temp_directory_path() / fmt::format("plexus-verify-{}-{}-{}", static_cast<long>(getpid()), tag, counter++);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

TrainResult train_quietly(const TrainRequest& request, const RunConfig& config, const std::string& tag) {
    ScratchDir dir(tag);
    TrainRequest r;
    r.config = config;
    r.config.fit.verbose = 0;
    r.out_dir = dir.path.string();
    r.callbacks = request.callbacks;
    r.interrupt = request.interrupt;
    return run_training(r);
}

}  // namespace

RunConfig apply_fix_options(const RunConfig& config, const json& delta) {
    json j = to_json(config);
    j.merge_patch(delta);
    RunConfig out = run_config_from_json(j);
    validate(out);
    return out;
}

json merged_fix_options(const std::vector<Finding>& findings) {
    json merged = json::object();
    for (const auto& f : findings) {
        if ((!f.cause.empty() && f.cause != f.id) || !f.fix_options.is_object()) continue;
        for (auto section = f.fix_options.begin(); section != f.fix_options.end(); ++section)
            for (auto it = section->begin(); it != section->end(); ++it)
                if (!merged.contains(section.key()) || !merged[section.key()].contains(it.key())) merged[section.key()][it.key()] = *it;
    }
    return merged;
}

std::string fix_options_as_flags(const json& delta) {
    std::string out;
    for (auto section = delta.begin(); section != delta.end(); ++section)
        for (auto it = section->begin(); it != section->end(); ++it) {
            std::string flag = "--" + it.key();
            std::replace(flag.begin(), flag.end(), '_', '-');
            if (it.key() == "shuffle") flag = it->is_boolean() && it->get<bool>() ? "" : "--no-shuffle";
            else if (it->is_boolean()) flag = it->get<bool>() ? flag : "";
            else if (it->is_null()) flag = "(" + flag + " default)";
            else flag += " " + (it->is_string() ? it->get<std::string>() : it->dump());
            if (!flag.empty()) out += (out.empty() ? "" : " ") + flag;
        }
    return out;
}

TargetMetric target_metric(const TrainResult& r) {
    const bool classes = r.data.is_classification();
    const std::string base = classes ? "accuracy" : "r2";
    if (r.diverged) return {r.validation_rows.empty() ? base : "val_" + base, -std::numeric_limits<double>::infinity()};
    const json& fin = r.report["final"];
    const bool val = fin.contains("validation") && fin["validation"].is_object();
    const json& m = fin[val ? "validation" : "train"]["metrics"];
    return {val ? "val_" + base : base, m.contains(base) && m[base].is_number() ? m[base].get<double>() : std::nan("")};
}

bool VerifyResult::still_found(const std::string& id) const {
    for (const auto& f : after)
        if (f.id == id && f.severity != "info") return true;
    return false;
}

VerifyResult verify_fixes(const TrainRequest& request) {
    VerifyResult v;
    v.before_config = request.config;
    TrainResult first = train_quietly(request, request.config, "before");
    v.before = first.findings;
    v.before_metric = target_metric(first);
    v.applied = merged_fix_options(v.before);
    v.after_config = request.config;
    if (v.applied.empty()) return v;
    v.after_config = apply_fix_options(request.config, v.applied);
    TrainResult second = train_quietly(request, v.after_config, "after");
    v.after = second.findings;
    v.after_metric = target_metric(second);
    v.ran_after = true;
    return v;
}

}  // namespace plexus::run
