// train.diverging: the training loss rises, or oscillates strongly, instead of
// falling: the learning rate is too high.
//
// On the per-epoch training loss L (finite values only; non-finite ones are
// train.nonfinite's), it fires when any of:
//   rising     the last epochs' loss exceeds the first epoch's by kMaxRise of
//              the loss's scale (the first loss, or the baseline loss if larger);
//   rebound    the loss gave back more than kMaxRebound of its initial drop;
//   oscillating at least kMinOscillationShare of the epochs raise the loss by
//              kMinJump of the first epoch's loss or more.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// SageMaker Debugger's LossNotDecreasing rule: increase_threshold_percent = 5,
// the most a loss may increase.
constexpr double kMaxRise = 0.05;
// Ours: a run that falls and then climbs back more than halfway has diverged
// even if it ends below where it started...
constexpr double kMaxRebound = 0.5;
// ...provided it ends at least this many times its minimum (so that noise
// around a loss near 0 does not count). Ours.
constexpr double kMinReboundFactor = 1.5;
// AUTOTRAINER's unstable-training check (Zhang et al., ICSE 2021): at least
// eta = 20% of the epochs oscillate by at least zeta = 0.03. AUTOTRAINER
// measures accuracy; we measure the loss, relative to its scale (the larger of
// the first epoch's loss and the baseline loss, so that wiggles of a loss
// already near 0 do not count), and require a larger jump (10%) because the
// loss is noisier.
constexpr double kMinOscillationShare = 0.2;
constexpr double kMinJump = 0.1;
constexpr std::size_t kMinOscillations = 3;
// Fewer epochs say nothing about a trend.
constexpr std::size_t kMinEpochs = 3;
// The "last epochs": a tenth of the run, at least one.
constexpr std::size_t kTailDivisor = 10;

}  // namespace

std::vector<Finding> train_diverging(const TrainingRecord& r) {
    const std::vector<double> loss = finite_losses(r);
    if (loss.size() < kMinEpochs) return {};
    const double first = loss.front();
    const std::size_t tail = std::max<std::size_t>(1, loss.size() / kTailDivisor);
    double last = 0;
    for (std::size_t i = loss.size() - tail; i < loss.size(); ++i) last += loss[i] / static_cast<double>(tail);
    // The loss's scale: the first epoch's loss, or the baseline if larger (a run
    // resumed near 0 would otherwise count tiny wiggles as large relative moves).
    const double scale = std::isfinite(r.config.baseline_loss) ? std::max(first, r.config.baseline_loss) : first;
    const auto min_it = std::min_element(loss.begin(), loss.end());
    const double lowest = *min_it;
    std::size_t jumps = 0;
    for (std::size_t i = 1; i < loss.size(); ++i)
        if (loss[i] - loss[i - 1] >= kMinJump * scale) ++jumps;
    const bool rising = last - first > kMaxRise * scale;
    const bool rebound = first > lowest && last - lowest > kMaxRebound * (first - lowest) && last > kMinReboundFactor * lowest;
    const bool oscillating =
        jumps >= kMinOscillations && static_cast<double>(jumps) >= kMinOscillationShare * static_cast<double>(loss.size() - 1);
    if (!rising && !rebound && !oscillating) return {};

    // The epoch (among finite ones) where the loss was lowest: divergence starts after it.
    int best_epoch = 0;
    for (const auto& e : r.epochs)
        if (std::isfinite(e.loss) && e.loss == lowest) {
            best_epoch = e.epoch;
            break;
        }
    std::string message;
    if (rising)
        message = "The training loss rose from " + fmt(first) + " in the first epoch to " + fmt(last) +
                  " at the end (lowest: " + fmt(lowest) + " in " + epoch_name(best_epoch) + ").";
    else if (rebound)
        message = "The training loss fell from " + fmt(first) + " to " + fmt(lowest) + " (" + epoch_name(best_epoch) +
                  "), then climbed back to " + fmt(last) + " at the end.";
    if (oscillating)
        message += std::string(message.empty() ? "" : " ") + "In " + std::to_string(jumps) + " of " +
                   std::to_string(loss.size() - 1) + " epochs the loss jumped up by " + fmt(kMinJump * scale) + " or more.";
    message += " The optimizer overshoots: the learning rate (" + fmt(r.config.learning_rate) + ") is too high.";
    nlohmann::json evidence = {{"first_loss", first},  {"lowest_loss", lowest},      {"final_loss", last},
                               {"best_epoch", best_epoch + 1}, {"upward_jumps", jumps}, {"rising", rising},
                               {"rebound", rebound},   {"oscillating", oscillating}, {"learning_rate", r.config.learning_rate},
                               {"jump_threshold", kMinJump * scale}};
    return {with_fix_options(make_finding("train.diverging", "warning", message, evidence, learning_rate_fix(r, 0.1), best_epoch),
                             learning_rate_fix_options(r, 0.1))};
}

}  // namespace plexus::doctor
