#include "plexus/metrics/confidence.hpp"

#include <algorithm>
#include <cmath>

namespace plexus {

std::pair<double, double> wilson_interval(double successes, double trials, double z) {
    if (trials <= 0) return {0.0, 1.0};
    const double p = successes / trials, z2 = z * z;
    const double center = (p + z2 / (2 * trials)) / (1 + z2 / trials);
    const double half = z / (1 + z2 / trials) * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
    return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

}  // namespace plexus
