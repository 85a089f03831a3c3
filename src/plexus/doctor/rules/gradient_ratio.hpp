// Per-epoch gradient statistics shared by model.vanishing_gradients and
// model.exploding_gradients: the kernel-gradient norms of the first and the
// last layer with parameters, and their ratio (AUTOTRAINER's "gra_rate").
#pragma once

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/doctor/record.hpp"

namespace plexus::doctor {

struct GradientRatio {
    int epoch = 0;
    double first = kNaN;   // first parameter layer's kernel-gradient norm
    double last = kNaN;    // last parameter layer's
    double ratio = kNaN;   // first / last
    double max_rms = kNaN;  // the largest kernel-gradient RMS over all parameter layers
};

// One entry per recorded epoch with finite gradient norms; empty with fewer than two parameter layers.
std::vector<GradientRatio> gradient_ratios(const TrainingRecord& record);
// Indices of the first and last layers with parameters (-1 if fewer than two).
std::pair<int, int> gradient_layers(const TrainingRecord& record);

// The epochs of the last quarter of the run (at least one) in which a condition holds.
struct TailScan {
    std::size_t checked = 0;                  // epochs looked at
    std::vector<const GradientRatio*> hits;   // those that qualify, in epoch order
    // At least half of the checked epochs qualify (ours: the problem persists, it is no blip).
    bool persistent() const;
};
TailScan scan_tail(const std::vector<GradientRatio>& ratios, const std::function<bool(const GradientRatio&)>& qualifies);

// The evidence both rules give: the two layers, one example epoch's norms, and the counts.
nlohmann::json gradient_evidence(const TrainingRecord& record, const GradientRatio& example, const TailScan& scan);

}  // namespace plexus::doctor
