// Finding id -> settings change; see fixes.hpp. The table follows the "fix"
// column of docs/doctor.md, taking the first remedy that is a setting.
#include "fixes.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/run/outputs.hpp"

namespace plexus::web {
using json = nlohmann::json;

namespace {

SettingsFix change(const std::string& section, const std::string& key, const json& value, std::string label) {
    return {json{{section, {{key, value}}}}, std::move(label)};
}

std::string num(double v) { return run::csv_num(v); }

// The split that keeps both parts alike: stratified for classes, random for regression.
std::optional<SettingsFix> better_split(const run::RunConfig& c, const FixContext& x) {
    const std::string split = x.classification ? "stratified" : "random";
    if (c.fit.split == split || c.fit.split == "auto") {
        // Already split that way: a sorted file with --no-shuffle is the remaining cause.
        if (!c.fit.shuffle) return change("fit", "shuffle", true, "shuffle = on");
        return std::nullopt;
    }
    return change("fit", "split", split, "split = " + split);
}

std::optional<SettingsFix> scale_lr(const FixContext& x, double factor) {
    const double lr = x.learning_rate * factor;
    return change("model", "lr", lr, "learning rate = " + num(lr));
}

bool explained_by_split(const Finding& f) {
    const json& e = f.evidence;
    return e.is_object() && e.contains("explained_by") && e["explained_by"].is_array() && !e["explained_by"].empty();
}

}  // namespace

std::optional<SettingsFix> settings_fix(const Finding& f, const run::RunConfig& c, const FixContext& x) {
    const std::string& id = f.id;
    if (id == "split.label_shift" || id == "split.covariate_shift" || id == "data.sorted_by_label") return better_split(c, x);
    if (id == "fit.validation_gap" || id == "fit.overfitting") {
        if (explained_by_split(f))
            if (auto split = better_split(c, x)) return split;
        if (c.fit.early_stopping > 0) return std::nullopt;
        SettingsFix fix{json{{"fit", {{"early_stopping", 10}, {"restore_best_weights", true}}}}, "early stopping, patience 10"};
        return fix;
    }
    if (id == "data.unscaled") {
        if (c.fit.standardize) return std::nullopt;
        return change("fit", "standardize", true, "standardize = on");
    }
    if (id == "data.class_imbalance") {
        if (c.fit.class_weight == "balanced") return std::nullopt;
        return change("fit", "class_weight", "balanced", "class weight = balanced");
    }
    if (id == "train.nonfinite" || id == "train.diverging") return scale_lr(x, 0.1);
    if (id == "train.stalled") return scale_lr(x, 10.0);
    if (id == "model.exploding_gradients") {
        if (!c.model.clipnorm) return change("model", "clipnorm", 1.0, "clipnorm = 1");
        return scale_lr(x, 0.1);
    }
    if (id == "model.saturation" || id == "model.vanishing_gradients") {
        if (!c.fit.standardize) return change("fit", "standardize", true, "standardize = on");
        if (c.model.activation != "relu") return change("model", "activation", "relu", "activation = relu");
        return std::nullopt;
    }
    if (id == "model.dead_units") {
        if (c.model.activation == "leaky_relu") return scale_lr(x, 0.1);
        return change("model", "activation", "leaky_relu", "activation = leaky_relu");
    }
    if (id == "fit.underfitting") {
        const int epochs = std::min(c.fit.epochs * 2, x.max_epochs);
        if (epochs == c.fit.epochs) return std::nullopt;
        return change("fit", "epochs", epochs, "epochs = " + std::to_string(epochs));
    }
    if (id == "config.loss_activation_mismatch" || id == "config.labels_mismatch") {
        // The recipe's defaults always match the task: the output layer and loss it picks.
        if (c.model.output.empty() && c.model.loss.empty() && !c.model.from_logits) return std::nullopt;
        SettingsFix fix{json{{"model", {{"output", ""}, {"loss", ""}, {"from_logits", false}}}}, "output and loss = the task's defaults"};
        return fix;
    }
    return std::nullopt;  // data.duplicates_across_split, data.constant_feature, predict.extrapolation: other data
}

json apply_change(json config, const json& change) {
    for (const auto& [section, values] : change.items())
        for (const auto& [key, value] : values.items()) config[section][key] = value;
    return config;
}

}  // namespace plexus::web
