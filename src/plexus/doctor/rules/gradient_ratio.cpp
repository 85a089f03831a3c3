// Per-epoch gradient ratios; see gradient_ratio.hpp.
#include "plexus/doctor/rules/gradient_ratio.hpp"

#include <algorithm>
#include <cmath>

namespace plexus::doctor {

std::pair<int, int> gradient_layers(const TrainingRecord& r) {
    int first = -1, last = -1;
    for (std::size_t i = 0; i < r.layers.size(); ++i) {
        if (r.layers[i].kernel_params <= 0) continue;
        if (first < 0) first = static_cast<int>(i);
        last = static_cast<int>(i);
    }
    if (first == last) return {-1, -1};
    return {first, last};
}

std::vector<GradientRatio> gradient_ratios(const TrainingRecord& r) {
    const auto [first, last] = gradient_layers(r);
    std::vector<GradientRatio> out;
    if (first < 0) return out;
    for (const auto& e : r.epochs) {
        if (e.layers.size() != r.layers.size()) continue;
        GradientRatio g;
        g.epoch = e.epoch;
        g.first = e.layers[static_cast<std::size_t>(first)].gradient_norm;
        g.last = e.layers[static_cast<std::size_t>(last)].gradient_norm;
        if (!std::isfinite(g.first) || !std::isfinite(g.last)) continue;
        g.ratio = g.last > 0 ? g.first / g.last : (g.first > 0 ? std::numeric_limits<double>::infinity() : 1.0);
        g.max_rms = 0;
        for (const auto& s : e.layers)
            if (std::isfinite(s.gradient_rms)) g.max_rms = std::max(g.max_rms, s.gradient_rms);
        out.push_back(g);
    }
    return out;
}

namespace {
constexpr std::size_t kTailDivisor = 4;  // the last quarter of the epochs (ours)
constexpr double kMinShare = 0.5;        // of which at least half qualify (ours)
}  // namespace

bool TailScan::persistent() const {
    return !hits.empty() && static_cast<double>(hits.size()) >= kMinShare * static_cast<double>(checked);
}

TailScan scan_tail(const std::vector<GradientRatio>& ratios, const std::function<bool(const GradientRatio&)>& qualifies) {
    TailScan scan;
    if (ratios.empty()) return scan;
    scan.checked = std::max<std::size_t>(1, ratios.size() / kTailDivisor);
    for (std::size_t i = ratios.size() - scan.checked; i < ratios.size(); ++i)
        if (qualifies(ratios[i])) scan.hits.push_back(&ratios[i]);
    return scan;
}

nlohmann::json gradient_evidence(const TrainingRecord& r, const GradientRatio& example, const TailScan& scan) {
    const auto [first, last] = gradient_layers(r);
    return {{"first_layer", r.layers[static_cast<std::size_t>(first)].name},
            {"last_layer", r.layers[static_cast<std::size_t>(last)].name},
            {"first_gradient_norm", example.first},
            {"last_gradient_norm", example.last},
            {"ratio", example.ratio},
            {"max_gradient_rms", example.max_rms},
            {"epochs_affected", scan.hits.size()},
            {"epochs_checked", scan.checked}};
}

}  // namespace plexus::doctor
