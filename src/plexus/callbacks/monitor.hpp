// Monitor: tracks the best value of one monitored log, shared by EarlyStopping,
// ModelCheckpoint and ReduceLROnPlateau.
// "mode" is "min", "max" or "auto" (max for names containing
// acc/precision/recall/f1/r2/auc, min otherwise).
#pragma once

#include <string>

#include "plexus/metrics/metrics.hpp"

namespace plexus {

class Monitor {
public:
    // ConfigError for a mode other than auto/min/max.
    Monitor(std::string key, std::string mode, double min_delta);
    // The monitored value in logs; ConfigError listing the available logs if absent.
    double value(const Logs& logs) const;
    bool improved(double value) const;  // better than best by more than |min_delta|
    void update(double value) { best_ = value; }
    double best() const { return best_; }
    void reset();  // best = +inf (min) or -inf (max)
    const std::string& key() const { return key_; }

private:
    std::string key_;
    bool maximize_;
    double min_delta_;
    double best_;
};

}  // namespace plexus
