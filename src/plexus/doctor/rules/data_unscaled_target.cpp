// data.unscaled_target: a regression target far from unit scale (say 25-346)
// that is not standardized. A freshly initialised network outputs values near
// 0 with a spread near 1, so it must first learn the target's offset and scale
// through its last bias and weights: with the default learning rates that takes
// thousands of steps, the mse is huge at first, and its large gradients
// saturate tanh units. Standardizing the target (and undoing it on the
// predictions) removes all of that; scikit-learn's TransformedTargetRegressor
// and most tabular tutorials do the same.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {

// Thresholds: kMaxTargetMagnitude and kMinTargetStd (common.hpp).
std::vector<Finding> data_unscaled_target(const TrainingRecord& r) {
    if (!target_unscaled(r)) return {};
    const TargetFacts& t = r.target;
    const std::string message = "The target has mean " + fmt(t.train_mean) + " and standard deviation " + fmt(t.train_std) +
                                " on the training rows (range " + fmt_range(t.min, t.max) +
                                "), far from the unit scale a new network outputs. It must first learn the offset and "
                                "scale through its last layer, which takes many epochs, and the large errors saturate "
                                "tanh and sigmoid units on the way.";
    const nlohmann::json evidence = {{"mean", t.train_mean},
                                     {"std", t.train_std},
                                     {"min", t.min},
                                     {"max", t.max},
                                     {"max_magnitude", kMaxTargetMagnitude},
                                     {"min_std", kMinTargetStd}};
    const std::string fix =
        "standardize the target with the training rows' mean and std and undo it on the predictions "
        "(Standardizer on y, plexus/data/scaling.hpp) (CLI: --standardize-target on)";
    return {with_fix_options(make_finding("data.unscaled_target", "warning", message, evidence, fix),
                             {{"fit", {{"standardize_target", "on"}}}})};
}

}  // namespace plexus::doctor
