// Helpers shared by the rules; see common.hpp.
#include "plexus/doctor/rules/common.hpp"

#include "plexus/doctor/rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace plexus::doctor {

std::string fmt(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0) return "0";
    const double a = std::abs(v);
    char buf[64];
    if (a >= 1e-3 && a < 1e6) {
        const int decimals = std::max(0, 2 - static_cast<int>(std::floor(std::log10(a))));
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        std::string out = buf;
        if (out.find('.') != std::string::npos) {  // "0.100" -> "0.1", "1.00" -> "1"
            while (out.back() == '0') out.pop_back();
            if (out.back() == '.') out.pop_back();
        }
        return out;
    } else {
        std::snprintf(buf, sizeof buf, "%.2g", v);
    }
    return buf;
}

std::string fmt_range(double lo, double hi) { return "[" + fmt(lo) + ", " + fmt(hi) + "]"; }

std::string percent(double fraction) {
    char buf[32];
    const double p = 100.0 * fraction;
    if (p > 0 && p < 1) std::snprintf(buf, sizeof buf, "%.1f%%", p);
    else std::snprintf(buf, sizeof buf, "%.0f%%", p);
    return buf;
}

std::string epoch_name(int epoch) { return "epoch " + std::to_string(epoch + 1); }

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

Finding make_finding(std::string id, std::string severity, std::string message, nlohmann::json evidence, std::string fix,
                     std::optional<int> epoch) {
    Finding f;
    f.id = std::move(id);
    f.severity = std::move(severity);
    f.message = std::move(message);
    f.evidence = std::move(evidence);
    f.fix = std::move(fix);
    f.epoch = epoch;
    return f;
}

std::string class_label(const LabelFacts& labels, Index c) {
    const auto i = static_cast<std::size_t>(c);
    if (i < labels.class_names.size() && labels.class_names[i] != std::to_string(c))
        return "class '" + labels.class_names[i] + "'";
    return "class " + std::to_string(c);
}

std::string describe_counts(const LabelFacts& labels, const std::vector<Index>& counts) {
    std::vector<std::string> parts;
    for (std::size_t c = 0; c < counts.size(); ++c)
        parts.push_back(std::to_string(counts[c]) + " of " + class_label(labels, static_cast<Index>(c)));
    if (parts.size() <= 1) return join(parts, "");
    const std::string last = parts.back();
    parts.pop_back();
    return join(parts, ", ") + " and " + last;
}

std::string describe_validation(const TrainingRecord& r) {
    const DataFacts& d = r.data;
    std::string s;
    if (d.split_method == "validation_data") {
        s = "The validation_data rows (" + std::to_string(d.validation_rows) + " rows)";
    } else if (d.validation_is_tail) {
        const double share = d.validation_split > 0 ? d.validation_split
                                                    : static_cast<double>(d.validation_rows) / static_cast<double>(d.rows);
        s = "The validation rows are the last " + percent(share) + " of the rows (rows " +
            std::to_string(d.rows - d.validation_rows + 1) + " to " + std::to_string(d.rows) + " of " +
            std::to_string(d.rows) + ")";
    } else {
        s = "The validation rows (" + std::to_string(d.validation_rows) + " of " + std::to_string(d.rows) +
            ", drawn at random" + (d.split_method == "stratified" ? " per class" : "") + ")";
    }
    if (r.labels.classification) {
        const auto& v = r.labels.validation_class_counts;
        Index nonzero = 0, only = -1;
        for (std::size_t c = 0; c < v.size(); ++c)
            if (v[c] > 0) {
                ++nonzero;
                only = static_cast<Index>(c);
            }
        if (nonzero == 1 && d.validation_rows > 1) s += ", all of " + class_label(r.labels, only) + ",";
    }
    // Features whose validation values leave the training range (or, for one
    // class, that class's training range), most affected first; at most two.
    struct Shift {
        const FeatureFacts* feature;
        Index rows;
        Index cls;  // -1: the whole validation part
    };
    std::vector<Shift> shifts;
    for (const auto& f : d.features)
        if (f.val_outside_range > 0) shifts.push_back({&f, f.val_outside_range, -1});
    if (shifts.empty() && r.labels.classification) {
        for (const auto& f : d.features)
            for (std::size_t c = 0; c < f.val_class_outside_range.size(); ++c)
                if (f.val_class_outside_range[c] > 0) shifts.push_back({&f, f.val_class_outside_range[c], static_cast<Index>(c)});
    }
    std::stable_sort(shifts.begin(), shifts.end(), [](const Shift& a, const Shift& b) { return a.rows > b.rows; });
    if (shifts.size() > 2) shifts.resize(2);
    std::vector<std::string> parts;
    for (const auto& sh : shifts) {
        const FeatureFacts& f = *sh.feature;
        if (sh.cls < 0) {
            parts.push_back(f.name + " in " + user_range(f, f.val_min, f.val_max) + " while the training rows have " + f.name +
                            " in " + user_range(f, f.train_min, f.train_max));
        } else {
            const auto c = static_cast<std::size_t>(sh.cls);
            const std::string cls = class_label(r.labels, sh.cls);
            parts.push_back(f.name + " in " + user_range(f, f.val_class_min[c], f.val_class_max[c]) +
                            (s.back() == ',' ? "" : " for " + cls) + ", where the training rows of " + cls + " have " +
                            f.name + " in " + user_range(f, f.train_class_min[c], f.train_class_max[c]));
        }
    }
    if (!parts.empty()) s += " with " + join(parts, "; and ");
    else if (!s.empty() && s.back() == ',') s.pop_back();
    return s + ".";
}

std::string split_fix(const TrainingRecord& r) {
    if (r.labels.classification) return "use split = Split::stratified in FitOptions (CLI: --split stratified)";
    return "use split = Split::random in FitOptions (CLI: --split random)";
}

nlohmann::json split_fix_options(const TrainingRecord& r) {
    return {{"fit", {{"split", r.labels.classification ? "stratified" : "random"}}}};
}

namespace {

// Keras's default learning rates.
double default_learning_rate(const std::string& optimizer) { return optimizer == "sgd" ? 0.01 : 0.001; }

// lr * factor; lowering a rate above kMaxDefaultMultiple x the optimizer's
// default goes straight to that multiple (a rate 5000x adam's default is not
// cured by dividing it by 10), and raising one that would stay below the
// default goes straight to the default. Ours.
constexpr double kMaxDefaultMultiple = 10.0;
double suggested_rate(const TrainingRecord& r, double factor) {
    const double lr = r.config.learning_rate;
    const double base = default_learning_rate(r.config.optimizer);
    if (factor < 1 && lr * factor > kMaxDefaultMultiple * base) return std::stod(fmt(kMaxDefaultMultiple * base));
    if (factor > 1 && lr * factor < base) return base;
    return std::stod(fmt(lr * factor));
}

}  // namespace

nlohmann::json learning_rate_fix_options(const TrainingRecord& r, double factor) {
    const double lr = r.config.learning_rate;
    if (!std::isfinite(lr) || lr <= 0) return nlohmann::json::object();
    return {{"model", {{"lr", suggested_rate(r, factor)}}}};
}

Finding with_fix_options(Finding f, nlohmann::json fix_options) {
    f.fix_options = std::move(fix_options);
    return f;
}

std::string hidden_activation(const TrainingRecord& r) {
    std::string act;
    for (const auto& l : r.layers) {
        if (l.is_output || l.activation.empty()) continue;
        if (!act.empty() && act != l.activation) return "";
        act = l.activation;
    }
    return act;
}

int hidden_layers(const TrainingRecord& r) {
    int n = 0;
    for (const auto& l : r.layers) n += !l.is_output && !l.activation.empty();
    return n;
}

std::string describe_hidden(const TrainingRecord& r) {
    const int n = hidden_layers(r);
    if (n == 0) return "no hidden layer";
    std::vector<std::string> acts;
    for (const auto& l : r.layers)
        if (!l.is_output && !l.activation.empty() && std::find(acts.begin(), acts.end(), l.activation) == acts.end())
            acts.push_back(l.activation);
    return std::to_string(n) + " hidden layer" + (n > 1 ? "s" : "") + " (" + join(acts, ", ") + ")";
}

bool target_unscaled(const TrainingRecord& r) {
    if (r.labels.classification || r.run.target_standardized || !std::isfinite(r.target.train_std)) return false;
    const std::string& loss = r.config.loss;
    if (loss.find("crossentropy") != std::string::npos || loss == "hinge") return false;
    return target_needs_scaling(r.target.train_mean, r.target.train_std);
}

bool target_needs_scaling(double mean, double std) {
    return std::isfinite(mean) && std::isfinite(std) &&
           (std::max(std::abs(mean), std) > kMaxTargetMagnitude || (std > 0 && std < kMinTargetStd));
}

double user_value(const FeatureFacts& f, double v) { return v * f.unit_scale + f.unit_offset; }

std::string user_range(const FeatureFacts& f, double lo, double hi) { return fmt_range(user_value(f, lo), user_value(f, hi)); }

std::string learning_rate_fix(const TrainingRecord& r, double factor) {
    const double lr = r.config.learning_rate;
    if (!std::isfinite(lr) || lr <= 0) return "change the optimizer's learning_rate in compile (CLI: --lr)";
    const std::string v = fmt(suggested_rate(r, factor));
    return "use learning_rate = " + v + " (compile({.optimizer = {.name = \"" + r.config.optimizer +
           "\", .learning_rate = " + v + "}}); CLI: --lr " + v + ")";
}

std::vector<double> finite_losses(const TrainingRecord& r) {
    std::vector<double> out;
    for (const auto& e : r.epochs)
        if (std::isfinite(e.loss)) out.push_back(e.loss);
    return out;
}

double final_loss(const TrainingRecord& r, std::size_t window) {
    double sum = 0;
    std::size_t n = 0;
    for (auto it = r.epochs.rbegin(); it != r.epochs.rend() && n < window; ++it) {
        if (!std::isfinite(it->loss)) return std::numeric_limits<double>::quiet_NaN();
        sum += it->loss;
        ++n;
    }
    return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

std::optional<double> loss_ratio(const TrainingRecord& r) {
    const double base = r.config.baseline_loss;
    const double last = final_loss(r);
    if (!std::isfinite(base) || base <= 1e-12 || !std::isfinite(last)) return std::nullopt;
    return last / base;
}

std::string baseline_phrase(const TrainingRecord& r) {
    const std::string& loss = r.config.loss;
    if (loss == "categorical_crossentropy" || loss == "sparse_categorical_crossentropy" || loss == "binary_crossentropy")
        return "always predicting the class shares";
    return loss == "mae" ? "always predicting the median target" : "always predicting the mean target";
}

bool poorly_fit(const TrainingRecord& r) {
    if (r.epochs.empty()) return false;
    if (!std::isfinite(final_loss(r))) return true;
    const auto ratio = loss_ratio(r);
    return ratio && *ratio > kPoorFitRatio;
}

std::vector<std::size_t> last_epochs(const TrainingRecord& r, std::size_t divisor) {
    const std::size_t n = r.epochs.size();
    const std::size_t count = std::max<std::size_t>(1, n / std::max<std::size_t>(1, divisor));
    std::vector<std::size_t> out;
    for (std::size_t i = n - std::min(n, count); i < n; ++i) out.push_back(i);
    return out;
}

}  // namespace plexus::doctor
