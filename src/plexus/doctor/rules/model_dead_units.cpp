// model.dead_units: ReLU units that output 0 on every sampled row of the epoch
// ("dying ReLU"): no gradient flows through them, so they never recover.
//
// The Recorder examines up to 8 batches per recorded epoch (64+ rows); the rule
// averages the per-epoch dead share over the last tenth of the run, so a unit
// counts fully only if it is inactive on every sample of every such epoch, and
// a unit active on a few percent of rows counts a little: close to SageMaker
// Debugger's DeadRelu, which calls a unit dead below threshold_inactivity = 1%
// activity.
#include <cmath>

#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {
namespace {

// A layer is flagged when more than this share of its units is dead: SageMaker
// Debugger's DeadRelu threshold_layer = 50% (AUTOTRAINER uses 70% of zero
// gradients, gamma = 0.7).
constexpr double kMaxDeadUnits = 0.5;
// Judged on the mean over the last tenth of the epochs (at least one). Ours.
constexpr std::size_t kTailDivisor = 10;
// Severity: warning while the model fits poorly (kPoorFitRatio) or when a whole
// layer is dead; info otherwise (the surviving units suffice).

}  // namespace

std::vector<Finding> model_dead_units(const TrainingRecord& r) {
    if (r.epochs.empty()) return {};
    const auto tail = last_epochs(r, kTailDivisor);
    std::vector<std::string> layers;
    nlohmann::json evidence_layers = nlohmann::json::array();
    bool whole_layer = false;
    for (std::size_t i = 0; i < r.layers.size(); ++i) {
        const LayerFacts& layer = r.layers[i];
        if (layer.is_output || layer.activation != "relu") continue;
        double dead = 0;
        std::size_t n = 0;
        for (std::size_t e : tail) {
            if (r.epochs[e].layers.size() <= i) continue;  // an epoch without layer statistics
            const double d = r.epochs[e].layers[i].dead_fraction;
            if (!std::isfinite(d)) continue;
            dead += d;
            ++n;
        }
        if (n == 0) continue;
        dead /= static_cast<double>(n);
        if (dead <= kMaxDeadUnits) continue;
        whole_layer = whole_layer || dead >= 1.0;
        layers.push_back("'" + layer.name + "' (" + std::to_string(layer.units) + " units): " + percent(dead) + " dead");
        evidence_layers.push_back({{"layer", layer.name}, {"dead_fraction", dead}, {"units", layer.units}});
    }
    if (layers.empty()) return {};
    const bool serious = whole_layer || poorly_fit(r);
    std::string message = "ReLU units that output 0 on every sampled row in the last " + std::to_string(tail.size()) +
                          " epoch" + (tail.size() > 1 ? "s" : "") + ": " + join(layers, "; ") +
                          ". No gradient flows through a dead unit, so it never comes back; the layer works with "
                          "fewer units than it has.";
    if (whole_layer) message += " A layer with every unit dead blocks the whole network: its output is constant.";
    const bool leaky = hidden_activation(r) == "leaky_relu";
    const std::string fix = std::string(leaky ? "" : "use leaky_relu hidden units (CLI: --activation leaky_relu), ") +
                            learning_rate_fix(r, 0.1) +
                            ", or initialise with kernel_initializer = {.name = \"he_uniform\"} in DenseOptions";
    return {with_fix_options(make_finding("model.dead_units", serious ? "warning" : "info", message,
                                          {{"layers", evidence_layers}, {"threshold_layer", kMaxDeadUnits}}, fix,
                                          r.epochs[tail.front()].epoch),
                             leaky ? learning_rate_fix_options(r, 0.1) : nlohmann::json{{"model", {{"activation", "leaky_relu"}}}})};
}

}  // namespace plexus::doctor
