// config.loss_activation_mismatch: the output activation does not fit the loss.
//
// Each case below is a known silent failure of Keras-style models: the model
// trains without an error but learns badly or not at all. There are no
// thresholds; the cases are exact.
//   softmax on one unit                   always outputs 1 (error)
//   from_logits on a softmax/sigmoid       squashes twice (error)
//   categorical cross-entropy on a linear (or tanh/relu) output without
//     from_logits                         logs of non-probabilities (error)
//   categorical cross-entropy on sigmoid   outputs need not sum to 1 (warning)
//   binary cross-entropy on a linear ... output without from_logits (error)
//   binary cross-entropy on softmax over several units (warning)
//   mse/mae/huber on a classification target or a softmax output (warning)
#include "plexus/doctor/rules.hpp"
#include "plexus/doctor/rules/common.hpp"

namespace plexus::doctor {

std::vector<Finding> config_loss_activation_mismatch(const TrainingRecord& r) {
    const ConfigFacts& c = r.config;
    const std::string& act = c.output_activation;
    const Index k = c.output_units;
    const bool categorical = c.loss == "categorical_crossentropy" || c.loss == "sparse_categorical_crossentropy";
    const bool binary = c.loss == "binary_crossentropy";
    const bool regression = c.loss == "mse" || c.loss == "mae" || c.loss == "huber";
    const bool squashing = act == "softmax" || act == "sigmoid";
    std::string severity, message, fix;

    if (act == "softmax" && k == 1) {
        severity = "error";
        message = "The output is a softmax over 1 unit, which is always exactly 1 whatever the input: the model "
                  "cannot learn anything.";
        fix = "for two classes use Dense({.units = 1, .activation = \"sigmoid\"}) with loss = \"binary_crossentropy\" "
              "(CLI: --output sigmoid --loss binary_crossentropy), or 2 softmax units with "
              "loss = \"sparse_categorical_crossentropy\"";
    } else if (c.from_logits && squashing) {
        severity = "error";
        message = "compile sets from_logits = true, which means the model outputs raw scores, but its output layer "
                  "already applies " + act + ": the loss squashes the outputs twice, so gradients are tiny and "
                  "probabilities wrong.";
        fix = "set from_logits = false in compile (CLI: drop --from-logits), or make the output linear "
              "(CLI: --output linear)";
    } else if (categorical && !c.from_logits && act != "softmax") {
        severity = act == "sigmoid" ? "warning" : "error";
        message = c.loss + " expects class probabilities that sum to 1, but the output activation is " + act +
                  (act == "sigmoid" ? ": the outputs need not sum to 1, so the loss rewards pushing every unit up."
                                    : ": outputs can be negative or above 1, and the loss clips them, so the model "
                                      "learns little or nothing.");
        fix = "use a softmax output: Dense({.units = " + std::to_string(k) +
              ", .activation = \"softmax\"}) (CLI: --output softmax), or keep a linear output and set "
              "from_logits = true in compile (CLI: --from-logits)";
    } else if (binary && !c.from_logits && act != "sigmoid") {
        if (act == "softmax") {
            severity = "warning";
            message = "binary_crossentropy scores each of the " + std::to_string(k) +
                      " output units as an independent yes/no, but softmax makes them compete: use one or the other.";
            fix = "use loss = \"categorical_crossentropy\" (one-hot targets) or \"sparse_categorical_crossentropy\" "
                  "(class indices) with the softmax output (CLI: --loss sparse_categorical_crossentropy), or sigmoid "
                  "outputs for multi-label targets (CLI: --output sigmoid)";
        } else {
            severity = "error";
            message = "binary_crossentropy expects probabilities in [0, 1], but the output activation is " + act +
                      ": outputs outside [0, 1] are clipped and learn nothing.";
            fix = "use a sigmoid output: Dense({.units = " + std::to_string(k) +
                  ", .activation = \"sigmoid\"}) (CLI: --output sigmoid), or keep a linear output and set "
                  "from_logits = true in compile (CLI: --from-logits)";
        }
    } else if (regression && (act == "softmax" || r.target.one_hot || (act == "sigmoid" && r.target.binary))) {
        severity = "warning";
        message = c.loss + " is a regression loss, but the " +
                  (r.target.one_hot || r.target.binary ? std::string("targets are class labels")
                                                       : "output is a softmax over classes") +
                  ": its gradient vanishes when a probability is confidently wrong, so classification trains slowly "
                  "and calibrates badly.";
        fix = r.target.binary && !r.target.one_hot && k == 1
                  ? "use loss = \"binary_crossentropy\" with a sigmoid output (CLI: --loss binary_crossentropy)"
                  : "use loss = \"categorical_crossentropy\" with a softmax output for one-hot targets, or "
                    "\"sparse_categorical_crossentropy\" for class indices (CLI: --loss sparse_categorical_crossentropy "
                    "--output softmax)";
    } else {
        return {};
    }
    nlohmann::json evidence = {{"loss", c.loss},
                               {"output_activation", act},
                               {"output_units", k},
                               {"from_logits", c.from_logits},
                               {"target_columns", r.target.columns},
                               {"target_one_hot", r.target.one_hot}};
    return {make_finding("config.loss_activation_mismatch", severity, message, evidence, fix)};
}

}  // namespace plexus::doctor
