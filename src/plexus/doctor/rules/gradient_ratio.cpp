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

}  // namespace plexus::doctor
