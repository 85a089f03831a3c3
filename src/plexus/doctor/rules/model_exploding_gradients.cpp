// model.exploding_gradients: the first layer's gradients are huge next to the
// last layer's, so the early layers take wild steps.
//
// Per epoch, on the mean kernel-gradient norms of the sampled batches:
// first / last > beta_3 = 70, AUTOTRAINER's exploding-gradient threshold
// (Zhang et al., ICSE 2021). It fires when an epoch qualifies in at least half
// of the last quarter of the run, and only while the model fits poorly
// (kPoorFitRatio), as AUTOTRAINER diagnoses only unconverged runs. NaN/Inf
// gradients are train.nonfinite's.
#include <algorithm>
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/rules/gradient_ratio.hpp"

namespace plexus::doctor {
namespace {
constexpr double kMinRatio = 70.0;  // AUTOTRAINER beta_3
}  // namespace

std::vector<Finding> model_exploding_gradients(const TrainingRecord& r) {
    const auto ratios = gradient_ratios(r);
    if (ratios.empty() || !poorly_fit(r)) return {};
    const TailScan scan = scan_tail(ratios, [](const GradientRatio& g) { return g.ratio > kMinRatio; });
    if (!scan.persistent()) return {};
    const GradientRatio* example =
        *std::max_element(scan.hits.begin(), scan.hits.end(), [](auto* a, auto* b) { return a->ratio < b->ratio; });
    const auto [first, last] = gradient_layers(r);
    const auto& f = r.layers[static_cast<std::size_t>(first)];
    const auto& l = r.layers[static_cast<std::size_t>(last)];
    const std::size_t hits = scan.hits.size(), tail = scan.checked;
    const std::string message =
        "Exploding gradients in " + std::to_string(hits) + " of the last " + std::to_string(tail) +
        " recorded epochs: the gradient norm of the first layer '" + f.name + "' reaches " + fmt(example->first) + ", " +
        fmt(example->ratio) + " times that of the last layer '" + l.name +
        "'. Updates that large make the early layers jump around instead of converging; large unscaled inputs and "
        "high learning rates cause it.";
    const nlohmann::json evidence = gradient_evidence(r, *example, scan);
    const std::string fix = learning_rate_fix(r, 0.1) +
                            (r.run.inputs_standardized ? "" : ", standardize the features (CLI: --standardize)") +
                            ", or clip gradients with clipnorm = 1.0 in the optimizer options (CLI: --clipnorm 1)";
    return {with_fix_options(make_finding("model.exploding_gradients", "warning", message, evidence, fix, example->epoch),
                             learning_rate_fix_options(r, 0.1))};
}

}  // namespace plexus::doctor
