// train.stalled: the training loss barely moved from the start while the model
// is still far from fitting: the learning rate is too low, or the network is
// dead (saturated or dead units pass no gradient).
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// SageMaker Debugger's LossNotDecreasing rule asks for a decrease of at least
// diff_percent = 0.1% every num_steps = 10 steps. We judge the whole run at
// once: the best epoch's loss must be at least 5% below the first epoch's.
// Ours, with the gate below keeping converged runs out.
constexpr double kMinRelativeDecrease = 0.05;
// Fewer epochs are too short to call a stall. Ours.
constexpr std::size_t kMinEpochs = 5;
// Gate: the final loss is still above kPoorFitRatio (common.hpp) of the baseline.

}  // namespace

std::vector<Finding> train_stalled(const TrainingRecord& r) {
    const std::vector<double> loss = finite_losses(r);
    if (loss.size() < kMinEpochs || loss.front() <= 0 || !poorly_fit(r)) return {};
    const double first = loss.front();
    const double lowest = *std::min_element(loss.begin(), loss.end());
    const double decrease = (first - lowest) / first;
    if (decrease >= kMinRelativeDecrease) return {};
    double dead = 0;
    if (!r.epochs.empty())
        for (const auto& s : r.epochs.back().layers)
            if (std::isfinite(s.dead_fraction)) dead = std::max(dead, s.dead_fraction);
    std::string message = "Over " + std::to_string(loss.size()) + " epochs the training loss fell by only " +
                          percent(decrease) + " (from " + fmt(first) + " to at best " + fmt(lowest) + "), and it is " +
                          fmt(final_loss(r)) + " against " + fmt(r.config.baseline_loss) +
                          " for " + baseline_phrase(r) + ": the model is not learning.";
    message += dead >= 0.5 ? " Most units of a ReLU layer are dead (see model.dead_units)."
                           : " The learning rate (" + fmt(r.config.learning_rate) + ") is probably too low.";
    nlohmann::json evidence = {{"first_loss", first},
                               {"lowest_loss", lowest},
                               {"relative_decrease", decrease},
                               {"baseline_loss", r.config.baseline_loss},
                               {"learning_rate", r.config.learning_rate},
                               {"epochs", loss.size()}};
    std::string fix = learning_rate_fix(r, 10.0);
    if (r.config.optimizer != "adam") fix += ", or use the adam optimizer (CLI: --optimizer adam)";
    return {with_fix_options(make_finding("train.stalled", "warning", message, evidence, fix), learning_rate_fix_options(r, 10.0))};
}

}  // namespace plexus::doctor
