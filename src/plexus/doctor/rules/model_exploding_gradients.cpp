// model.exploding_gradients: the first layer's gradients are huge next to the
// last layer's, so the early layers take wild steps.
//
// Per epoch, on the mean kernel-gradient norms of the sampled batches:
// first / last > beta_3 = 70, AUTOTRAINER's exploding-gradient threshold
// (Zhang et al., ICSE 2021). It fires when an epoch qualifies in at least half
// of the last quarter of the run, and only while the model fits poorly
// (kPoorFitRatio), as AUTOTRAINER diagnoses only unconverged runs. NaN/Inf
// gradients are train.nonfinite's.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/rules/gradient_ratio.hpp"

namespace plexus::doctor {
namespace {

constexpr double kMinRatio = 70.0;       // AUTOTRAINER beta_3
constexpr std::size_t kTailDivisor = 4;  // the last quarter of the epochs (ours)
constexpr double kMinShare = 0.5;        // of which at least half qualify (ours)

}  // namespace

std::vector<Finding> model_exploding_gradients(const TrainingRecord& r) {
    const auto ratios = gradient_ratios(r);
    if (ratios.empty() || !poorly_fit(r)) return {};
    const std::size_t tail = std::max<std::size_t>(1, ratios.size() / kTailDivisor);
    std::size_t hits = 0;
    const GradientRatio* example = nullptr;
    for (std::size_t i = ratios.size() - tail; i < ratios.size(); ++i) {
        if (ratios[i].ratio > kMinRatio) {
            ++hits;
            if (!example || ratios[i].ratio > example->ratio) example = &ratios[i];
        }
    }
    if (!example || static_cast<double>(hits) < kMinShare * static_cast<double>(tail)) return {};
    const auto [first, last] = gradient_layers(r);
    const auto& f = r.layers[static_cast<std::size_t>(first)];
    const auto& l = r.layers[static_cast<std::size_t>(last)];
    const std::string message =
        "Exploding gradients in " + std::to_string(hits) + " of the last " + std::to_string(tail) +
        " recorded epochs: the gradient norm of the first layer '" + f.name + "' reaches " + fmt(example->first) + ", " +
        fmt(example->ratio) + " times that of the last layer '" + l.name +
        "'. Updates that large make the early layers jump around instead of converging; large unscaled inputs and "
        "high learning rates cause it.";
    nlohmann::json evidence = {{"first_layer", f.name},           {"last_layer", l.name},
                               {"first_gradient_norm", example->first}, {"last_gradient_norm", example->last},
                               {"ratio", example->ratio},          {"epochs_affected", hits},
                               {"epochs_checked", tail}};
    const std::string fix =
        "clip gradients with clipnorm = 1.0 in the optimizer options (CLI: --clipnorm 1), standardize the features "
        "(CLI: --standardize), or " + learning_rate_fix(r, 0.1);
    return {make_finding("model.exploding_gradients", "warning", message, evidence, fix, example->epoch)};
}

}  // namespace plexus::doctor
