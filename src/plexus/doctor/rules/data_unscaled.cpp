// data.unscaled: features far from zero, or on very different scales.
//
// Gradient descent converges fastest when every input has a mean near 0 and
// about the same variance (LeCun, Bottou, Orr and Müller, "Efficient
// BackProp", 1998, section 4.3); large inputs also push tanh/sigmoid units into
// saturation from the first step. Measured on the training rows.
#include <algorithm>
#include <cmath>

#include "plexus/data/scaling.hpp"
#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// A feature whose |mean| or standard deviation exceeds this is far from the
// unit scale Efficient BackProp recommends. Ours: 10x that scale, so that
// features such as x in [0, 2pi] (mean 3.1, std 1.8) pass.
constexpr double kMaxMagnitude = 10.0;
// The largest feature standard deviation over the smallest (non-constant)
// one. Ours: beyond 100 the loss surface's curvature differs by 10^4 between
// directions, which plain SGD cannot follow with one learning rate.
constexpr double kMaxScaleRatio = 100.0;
// Standard deviations below this count as constant (data.constant_feature's
// business), as Standardizer::kMinScale.
constexpr double kMinStd = Standardizer::kMinScale;
// A feature whose |mean| and standard deviation are both below this is too
// small for the network to see: with weights and biases near 1 (their
// initial scale), x * w adds less than ~1e-4 of the bias to a unit's input, and
// below 1e-7 of it nothing at all in float32 arithmetic. Ours: 1e-4.
constexpr double kMinMagnitude = 1e-4;

}  // namespace

std::vector<Finding> data_unscaled(const TrainingRecord& r) {
    std::vector<std::string> large;
    double max_std = 0, min_std = std::numeric_limits<double>::infinity();
    std::string max_name, min_name;
    nlohmann::json features = nlohmann::json::array();
    for (const auto& f : r.data.features) {
        if (!std::isfinite(f.train_std) || !std::isfinite(f.train_mean)) continue;
        features.push_back({{"name", f.name}, {"mean", f.train_mean}, {"std", f.train_std}});
        const double magnitude = std::max(std::abs(f.train_mean), f.train_std);
        if (magnitude > kMaxMagnitude || (f.train_std > kMinStd && magnitude < kMinMagnitude))
            large.push_back(f.name + " (mean " + fmt(f.train_mean) + ", std " + fmt(f.train_std) + ")");
        if (f.train_std <= kMinStd) continue;
        if (f.train_std > max_std) max_std = f.train_std, max_name = f.name;
        if (f.train_std < min_std) min_std = f.train_std, min_name = f.name;
    }
    const double ratio = max_std > 0 && std::isfinite(min_std) ? max_std / min_std : 1.0;
    const bool spread = ratio > kMaxScaleRatio;
    if (large.empty() && !spread) return {};

    std::string message;
    if (!large.empty())
        message = "Features far from unit scale: " + join(large, ", ") + ".";
    if (spread)
        message += std::string(message.empty() ? "" : " ") + "Feature scales differ by a factor of " + fmt(ratio) +
                   " (std of " + max_name + ": " + fmt(max_std) + "; of " + min_name + ": " + fmt(min_std) + ").";
    message += " Networks train best on inputs near 0 with similar spreads: large inputs saturate tanh and sigmoid "
               "units, tiny ones vanish next to the biases, and different scales make one learning rate wrong for some weights.";
    nlohmann::json evidence = {{"features", features},
                               {"scale_ratio", ratio},
                               {"max_magnitude", kMaxMagnitude},
                               {"min_magnitude", kMinMagnitude},
                               {"max_scale_ratio", kMaxScaleRatio}};
    const std::string fix =
        "standardize the features with the training rows' statistics: Standardizer s; s.fit(x_train); "
        "x = s.transform(x) (plexus/data/scaling.hpp) (CLI: --standardize)";
    return {with_fix_options(make_finding("data.unscaled", "warning", message, evidence, fix), {{"fit", {{"standardize", true}}}})};
}

}  // namespace plexus::doctor
