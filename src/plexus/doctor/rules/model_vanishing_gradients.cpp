// model.vanishing_gradients: the first layer's gradients are tiny next to the
// last layer's (or every gradient is tiny), so the early layers barely learn.
//
// Per epoch, on the mean kernel-gradient norms of the sampled batches:
//   AUTOTRAINER (Zhang et al., ICSE 2021): first / last < beta_1 = 1e-3 and
//   first < beta_2 = 1e-4; or
//   SageMaker Debugger's VanishingGradient: mean |g| below threshold = 1e-7,
//   here in every layer and on the RMS of the gradient (which is at least the
//   mean |g|, so this fires no more often than SageMaker's test).
// It fires when an epoch qualifies in at least half of the last quarter of the
// run, and only while the model fits poorly (kPoorFitRatio): once a model has
// converged its gradients are small for the right reason (AUTOTRAINER too
// checks gradients only when training has not converged).
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"
#include "plexus/doctor/rules/gradient_ratio.hpp"

namespace plexus::doctor {
namespace {

constexpr double kMaxRatio = 1e-3;       // AUTOTRAINER beta_1
constexpr double kMaxFirstNorm = 1e-4;   // AUTOTRAINER beta_2
constexpr double kMaxRms = 1e-7;         // SageMaker Debugger VanishingGradient threshold
// Messages blame depth only from this many hidden tanh/sigmoid layers on (ours:
// with 0.25 the largest sigmoid derivative, three layers already shrink a gradient 64x).
constexpr int kDeepStack = 3;
}  // namespace

std::vector<Finding> model_vanishing_gradients(const TrainingRecord& r) {
    const auto ratios = gradient_ratios(r);
    if (ratios.empty() || !poorly_fit(r)) return {};
    const TailScan scan = scan_tail(ratios, [](const GradientRatio& g) {
        return (g.ratio < kMaxRatio && g.first < kMaxFirstNorm) || g.max_rms < kMaxRms;
    });
    if (!scan.persistent()) return {};
    const GradientRatio* example = scan.hits.front();
    const std::size_t hits = scan.hits.size(), tail = scan.checked;
    const auto [first, last] = gradient_layers(r);
    const auto& f = r.layers[static_cast<std::size_t>(first)];
    const auto& l = r.layers[static_cast<std::size_t>(last)];
    int squashing = 0;  // hidden tanh/sigmoid layers
    for (const auto& layer : r.layers) squashing += !layer.is_output && (layer.activation == "tanh" || layer.activation == "sigmoid");
    std::string message =
        "Vanishing gradients in " + std::to_string(hits) + " of the last " + std::to_string(tail) + " recorded epochs: ";
    if (example->max_rms < kMaxRms) {
        message += "every layer's gradient is nearly zero (the largest RMS is " + fmt(example->max_rms) +
                   "), so no weight changes. Dead ReLU units, saturated tanh/sigmoid units or a loss that cannot "
                   "pass a gradient cause this.";
    } else {
        message += (example->first == 0 ? "the gradient of the first layer '" + f.name + "' is exactly 0, while the last layer '" +
                                              l.name + "' has a gradient norm of " + fmt(example->last)
                                        : "the gradient norm of the first layer '" + f.name + "' is " + fmt(example->first) +
                                              ", " + fmt(example->ratio) + " times that of the last layer '" + l.name + "'") +
                   ". The early layers barely change, and the loss stays high.";
        message += squashing >= kDeepStack
                       ? " The model stacks " + std::to_string(squashing) + " tanh/sigmoid layers, and deep stacks "
                         "cause this: each multiplies the gradient by a derivative below 1."
                       : " The model has " + describe_hidden(r) + ", too few for depth alone to explain it: saturated "
                         "or dead units, unscaled inputs or an unsuitable learning rate usually do.";
    }
    const nlohmann::json evidence = gradient_evidence(r, *example, scan);
    std::vector<std::string> fixes;
    nlohmann::json options = nlohmann::json::object();
    if (squashing > 0) {
        fixes.push_back("use relu hidden units with kernel_initializer = {.name = \"he_uniform\"} (CLI: --activation relu)");
        options = {{"model", {{"activation", "relu"}}}};
    }
    if (squashing >= kDeepStack) fixes.push_back("use fewer layers");
    if (!r.run.inputs_standardized) {
        fixes.push_back("standardize the features (CLI: --standardize)");
        if (options.empty()) options = {{"fit", {{"standardize", true}}}};
    }
    if (fixes.empty()) fixes.push_back("try another learning rate (CLI: --lr) or optimizer (CLI: --optimizer)");
    return {with_fix_options(make_finding("model.vanishing_gradients", "warning", message, evidence, join(fixes, ", or "),
                                          example->epoch),
                             options)};
}

}  // namespace plexus::doctor
