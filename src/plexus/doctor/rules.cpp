// The rule registry; see rules.hpp.
#include "plexus/doctor/rules.hpp"

namespace plexus::doctor {

std::string to_string(Phase phase) {
    switch (phase) {
        case Phase::preflight: return "preflight";
        case Phase::epoch: return "epoch";
        case Phase::final: return "final";
        case Phase::predict: return "predict";
    }
    return "preflight";
}

const std::vector<Rule>& all_rules() {
    static const std::vector<Rule> rules = {
        {"split.label_shift", Phase::preflight, split_label_shift,
         "the validation part's class distribution differs from the training part's"},
        {"split.covariate_shift", Phase::preflight, split_covariate_shift,
         "validation rows lie outside the training rows' range or support"},
        {"data.sorted_by_label", Phase::preflight, data_sorted_by_label, "the rows are ordered by label (long runs)"},
        {"data.unscaled", Phase::preflight, data_unscaled, "features far from zero or on very different scales"},
        {"data.unscaled_target", Phase::preflight, data_unscaled_target,
         "a regression target far from unit scale (|mean| or std > 10, or std < 0.1), not standardized"},
        {"data.class_imbalance", Phase::preflight, data_class_imbalance, "the largest class outnumbers the smallest by > 10x"},
        {"data.duplicates_across_split", Phase::preflight, data_duplicates_across_split,
         "identical rows in the training and validation parts"},
        {"data.constant_feature", Phase::preflight, data_constant_feature, "a feature has one value in every training row"},
        {"config.loss_activation_mismatch", Phase::preflight, config_loss_activation_mismatch,
         "the output activation does not fit the loss"},
        {"config.labels_mismatch", Phase::preflight, config_labels_mismatch, "the label encoding does not fit the loss"},
        {"train.nonfinite", Phase::epoch, train_nonfinite, "NaN or Inf in the loss, activations, gradients or weights"},
        {"train.diverging", Phase::epoch, train_diverging, "the training loss rises or oscillates strongly"},
        {"train.stalled", Phase::epoch, train_stalled, "the training loss barely moves from the start"},
        {"model.saturation", Phase::epoch, model_saturation, "tanh/sigmoid units saturated on most rows"},
        {"model.dead_units", Phase::epoch, model_dead_units, "ReLU units that output 0 on every row"},
        {"model.vanishing_gradients", Phase::epoch, model_vanishing_gradients,
         "the first layer's gradients are tiny next to the last layer's"},
        {"model.exploding_gradients", Phase::epoch, model_exploding_gradients,
         "the first layer's gradients are huge next to the last layer's"},
        {"fit.overfitting", Phase::final, fit_overfitting, "validation loss rises while training loss falls"},
        {"fit.underfitting", Phase::final, fit_underfitting, "the training loss stays high"},
        {"fit.validation_gap", Phase::final, fit_validation_gap, "the training metric is far above the validation metric"},
        {"predict.extrapolation", Phase::predict, predict_extrapolation, "inputs outside the training support"},
    };
    return rules;
}

std::vector<Finding> run_rules(const TrainingRecord& record, Phase phase) {
    std::vector<Finding> out;
    for (const Rule& rule : all_rules()) {
        if (rule.phase != phase) continue;
        for (auto& f : rule.check(record)) out.push_back(std::move(f));
    }
    return out;
}

}  // namespace plexus::doctor
