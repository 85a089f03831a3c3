// Confidence intervals for a proportion (accuracy on a test set).
#pragma once

#include <utility>

namespace plexus {

// The Wilson score interval for `successes` out of `trials` at the normal
// quantile z (1.96: 95%). Unlike the normal approximation it stays inside [0, 1]
// and is sensible for small n and accuracies near 0 or 1 (Wilson 1927; Brown,
// Cai & DasGupta 2001 recommend it for n < 40 and beyond). {0, 1} for no trials.
std::pair<double, double> wilson_interval(double successes, double trials, double z = 1.959963984540054);

}  // namespace plexus
