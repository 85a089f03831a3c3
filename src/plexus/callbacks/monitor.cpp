#include "plexus/callbacks/monitor.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {

Monitor::Monitor(std::string key, std::string mode, double min_delta) : key_(std::move(key)), min_delta_(std::abs(min_delta)) {
    if (mode == "auto") {
        maximize_ = false;
        for (const char* m : {"acc", "precision", "recall", "f1", "r2", "auc"})
            if (key_.find(m) != std::string::npos) maximize_ = true;
    } else if (mode == "min" || mode == "max") {
        maximize_ = mode == "max";
    } else {
        throw_unknown_name("monitor mode", mode, {"auto", "min", "max"});
    }
    reset();
}

void Monitor::reset() {
    best_ = maximize_ ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

double Monitor::value(const Logs& logs) const {
    const auto it = logs.find(key_);
    if (it == logs.end()) {
        std::vector<std::string> available;
        for (const auto& [k, v] : logs) available.push_back(k);
        throw ConfigError("callback monitors '" + key_ + "', which is not logged; available: " + join(available) +
                          (key_.rfind("val_", 0) == 0 ? " (val_* logs need validation_split or validation_data)" : ""));
    }
    return it->second;
}

bool Monitor::improved(double v) const { return maximize_ ? v - min_delta_ > best_ : v + min_delta_ < best_; }

}  // namespace plexus
