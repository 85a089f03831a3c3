// Reconciling the doctor's findings; see reconcile.hpp.
#include "plexus/doctor/reconcile.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace plexus::doctor {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Symptoms that a diverging or non-finite run explains.
const std::vector<std::string> kDivergenceSymptoms = {
    "fit.underfitting",   "fit.overfitting",  "fit.validation_gap",         "train.stalled",
    "model.saturation",   "model.dead_units", "model.vanishing_gradients", "model.exploding_gradients"};

std::string hidden_activation(const TrainingRecord& r) {
    std::string act;
    for (const auto& l : r.layers) {
        if (l.is_output || l.activation.empty()) continue;
        if (!act.empty() && act != l.activation) return "";  // mixed
        act = l.activation;
    }
    return act;
}

bool in_force(const std::string& section, const std::string& key, const nlohmann::json& v, const TrainingRecord& r) {
    if (section == "fit") {
        if (key == "standardize") return v.is_boolean() && v.get<bool>() == r.run.inputs_standardized;
        if (key == "standardize_target") return v.is_string() && ((v == "on") == r.run.target_standardized);
        if (key == "epochs") return v.is_number() && v.get<int>() <= r.config.epochs;
        if (key == "split") return v.is_string() && v.get<std::string>() == r.data.split_method;
        if (key == "early_stopping") return v.is_number() && v.get<int>() == r.run.early_stopping_patience;
    }
    if (section == "model") {
        if (key == "activation") return v.is_string() && v.get<std::string>() == hidden_activation(r);
        if (key == "optimizer") return v.is_string() && v.get<std::string>() == r.config.optimizer;
        if (key == "lr")
            return v.is_number() && std::isfinite(r.config.learning_rate) &&
                   std::abs(v.get<double>() - r.config.learning_rate) <= 1e-9 * std::max(1.0, r.config.learning_rate);
    }
    return false;
}

}  // namespace

const std::vector<std::string>& causes_of(const std::string& id) {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"train.nonfinite", {"train.diverging"}},
        {"split.label_shift", {"data.sorted_by_label"}},
        {"split.covariate_shift", {"data.sorted_by_label", "split.label_shift"}},
        {"model.saturation", {"data.unscaled", "data.unscaled_target"}},
        {"model.dead_units", {"data.unscaled", "data.unscaled_target"}},
        {"model.exploding_gradients", {"data.unscaled", "data.unscaled_target"}},
        {"model.vanishing_gradients", {"model.saturation", "model.dead_units", "data.unscaled"}},
        {"train.stalled", {"model.dead_units", "model.saturation", "data.unscaled"}},
        {"fit.underfitting",
         {"data.unscaled_target", "data.unscaled", "train.stalled", "model.dead_units", "model.saturation",
          "model.vanishing_gradients", "model.exploding_gradients"}},
        {"fit.overfitting", {"split.label_shift", "split.covariate_shift"}},
        {"fit.validation_gap", {"split.label_shift", "split.covariate_shift", "data.sorted_by_label", "fit.overfitting"}},
    };
    static const std::vector<std::string> none;
    const auto it = table.find(id);
    return it == table.end() ? none : it->second;
}

void drop_settings_in_force(nlohmann::json& fix_options, const TrainingRecord& r) {
    if (!fix_options.is_object()) {
        fix_options = nlohmann::json::object();
        return;
    }
    for (auto section = fix_options.begin(); section != fix_options.end();) {
        if (section->is_object()) {
            for (auto it = section->begin(); it != section->end();)
                it = in_force(section.key(), it.key(), *it, r) ? section->erase(it) : std::next(it);
        }
        section = section->empty() ? fix_options.erase(section) : std::next(section);
    }
}

std::vector<Finding> reconcile(std::vector<Finding> found, const TrainingRecord& r) {
    std::vector<std::string> ids;
    for (const auto& f : found) ids.push_back(f.id);
    // 1. Divergence and non-finite values explain their symptoms.
    const std::string divergence = contains(ids, "train.diverging") ? "train.diverging"
                                   : contains(ids, "train.nonfinite") ? "train.nonfinite" : "";
    // 2. Over- and underfitting never together.
    const bool both_fits = contains(ids, "fit.underfitting") && contains(ids, "fit.overfitting");
    std::vector<std::string> suppressed;
    std::vector<Finding> kept;
    for (auto& f : found) {
        if ((!divergence.empty() && contains(kDivergenceSymptoms, f.id)) || (both_fits && f.id == "fit.overfitting")) {
            suppressed.push_back(f.id);
            continue;
        }
        kept.push_back(std::move(f));
    }
    ids.clear();
    for (const auto& f : kept) ids.push_back(f.id);
    // 3. Root causes.
    auto root_of = [&](const std::string& id) {
        std::string cur = id;
        for (int depth = 0; depth < 8; ++depth) {
            std::string next;
            for (const auto& c : causes_of(cur))
                if (c != cur && contains(ids, c)) {
                    next = c;
                    break;
                }
            if (next.empty()) break;
            cur = next;
        }
        return cur;
    };
    std::map<std::string, const Finding*> by_id;
    for (const auto& f : kept) by_id.emplace(f.id, &f);
    for (auto& f : kept) {
        f.cause = root_of(f.id);
        if (f.id == divergence && !suppressed.empty()) f.evidence["suppressed"] = suppressed;
    }
    for (auto& f : kept) {
        if (f.cause == f.id) continue;
        const Finding& root = *by_id.at(f.cause);
        f.message += " Its root cause is " + root.id + " (reported above).";
        if (!root.fix.empty()) f.fix = "fix " + root.id + " first (its fix above)" + (f.fix.empty() ? "" : "; if this remains: " + f.fix);
        if (!root.fix_options.empty()) f.fix_options = root.fix_options;
    }
    // 4. Never a setting in force.
    for (auto& f : kept) drop_settings_in_force(f.fix_options, r);
    // 5. Root first, each followed by its effects.
    // The order first, then the findings moved into it (copied where one is placed twice:
    // the effects of two roots with the same id).
    std::vector<std::size_t> order, uses(kept.size(), 0);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (kept[i].cause != kept[i].id) continue;
        order.push_back(i);
        for (std::size_t j = 0; j < kept.size(); ++j)
            if (kept[j].cause == kept[i].id && kept[j].id != kept[i].id) order.push_back(j);
    }
    for (const std::size_t i : order) ++uses[i];
    std::vector<Finding> out;
    out.reserve(order.size());
    for (const std::size_t i : order) out.push_back(--uses[i] > 0 ? kept[i] : std::move(kept[i]));
    return out;
}

}  // namespace plexus::doctor
