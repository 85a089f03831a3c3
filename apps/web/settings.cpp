// The playground's request checks, caps and command line; see settings.hpp.
#include "settings.hpp"

#include <fmt/format.h>

#include "plexus/core/registry.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/recipe.hpp"

namespace plexus::web {
using json = nlohmann::json;
using run::UsageError;

namespace {

// Optional numbers (null in RunConfig's JSON when unset) and which of them are integers.
bool is_optional_number(const std::string& key) {
    return key == "samples" || key == "noise" || key == "classes" || key == "lr" || key == "clipnorm" || key == "clipvalue";
}
bool is_integer_key(const std::string& key) {
    return key == "samples" || key == "classes" || key == "epochs" || key == "batch_size" || key == "seed" ||
           key == "early_stopping" || key == "reduce_lr_on_plateau" || key == "verbose" || key == "final_train_rows";
}

std::string describe(const json& v) {
    std::string text = v.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text + " (" + v.type_name() + ")";
}

std::vector<std::string> keys_of(const json& object) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : object.items()) keys.push_back(k);
    return keys;
}

// "unknown setting 'fit.epoch'; did you mean 'fit.epochs'? valid: ..."
[[noreturn]] void unknown_key(const std::string& where, const std::string& key, const json& known) {
    const auto valid = keys_of(known);
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& k : valid)
        if (const auto d = edit_distance(key, k); d < best_distance) best = k, best_distance = d;
    throw UsageError(fmt::format("config: unknown setting '{}{}'{}; fix: use one of {}", where, key,
                                 best.empty() ? "" : "; did you mean '" + where + best + "'?", join(valid)));
}

// One value against the type of its default in RunConfig's JSON.
void check_value(const std::string& name, const std::string& key, const json& value, const json& reference) {
    auto expect = [&](const char* what) {
        throw UsageError(fmt::format("config: {} must be {}, received {}; fix: send {} in the request's JSON", name, what,
                                     describe(value), what));
    };
    if (is_optional_number(key)) {
        if (value.is_null()) return;
        if (is_integer_key(key) ? !value.is_number_integer() : !value.is_number()) expect(is_integer_key(key) ? "an integer or null" : "a number or null");
    } else if (reference.is_string()) {
        if (!value.is_string()) expect("a string");
    } else if (reference.is_boolean()) {
        if (!value.is_boolean()) expect("true or false");
    } else if (is_integer_key(key)) {
        if (!value.is_number_integer()) expect("an integer");
    } else if (reference.is_number()) {
        if (!value.is_number()) expect("a number");
    }
    if (value.is_number_integer() && value.get<std::int64_t>() < 0 && (key == "seed" || key == "samples"))
        throw UsageError(fmt::format("config: {} must be 0 or more, received {}; fix: e.g. 0", name, value.dump()));
}

}  // namespace

run::RunConfig config_from_request(const json& config, bool upload) {
    if (!config.is_object())
        throw UsageError("request: \"config\" must be an object such as {\"data\": {\"data\": \"moons\"}, \"model\": {...}, \"fit\": {...}}, received " +
                         describe(config) + "; fix: send the page's settings as \"config\"");
    const json reference = run::to_json(run::RunConfig{});
    for (const auto& [section, values] : config.items()) {
        if (!reference.contains(section)) unknown_key("", section, reference);
        if (!values.is_object())
            throw UsageError(fmt::format("config: {} must be an object, received {}; fix: send {{\"{}\": {{...}}}}", section,
                                         describe(values), section));
        for (const auto& [key, value] : values.items()) {
            if (!reference[section].contains(key)) unknown_key(section + ".", key, reference[section]);
            check_value(section + "." + key, key, value, reference[section][key]);
        }
    }
    run::RunConfig c = run::run_config_from_json(config);
    if (!c.data.labels.empty() || !c.model.model_spec.empty())
        throw UsageError("config: data.labels and model.model_spec name files on the server, which a page cannot use; fix: leave them empty and upload a CSV");
    if (upload) {
        if (!c.data.data.empty() && !run::is_builtin_dataset(c.data.data))
            throw UsageError("config: data.data \"" + c.data.data + "\" with an upload; fix: leave data.data empty, the server sets it to the uploaded file");
    } else if (!run::is_builtin_dataset(c.data.data)) {
        std::vector<std::string> names;
        for (const auto& d : list_datasets()) names.push_back(d.name);
        throw UsageError("config: data.data \"" + c.data.data + "\" is not a built-in dataset; fix: use one of " + join(names) +
                         ", or upload a CSV");
    }
    c.fit.verbose = 0;
    run::validate(c);
    return c;
}

void check_caps_before_load(const run::RunConfig& c, const Limits& limits) {
    if (c.data.samples && *c.data.samples > limits.max_rows)
        throw UsageError(fmt::format("config: data.samples {} is above this server's cap of {} rows; fix: use at most {} (or start the server with --max-rows)",
                                     *c.data.samples, limits.max_rows, limits.max_rows));
    if (c.fit.epochs > limits.max_epochs)
        throw UsageError(fmt::format("config: fit.epochs {} is above this server's cap of {}; fix: use at most {} (or start the server with --max-epochs)",
                                     c.fit.epochs, limits.max_epochs, limits.max_epochs));
}

Index count_parameters(const run::RunConfig& c, const Dataset& data) {
    const auto hidden = run::parse_layers(c.model.layers);
    const bool classification = data.is_classification();
    const Index k = classification ? static_cast<Index>(data.num_classes()) : data.y.cols();
    const Index outputs = classification && c.model.output == "sigmoid" && k == 2 ? 1 : k;
    Index total = 0, width = data.features();
    for (const Index units : hidden) {
        total += (width + 1) * units;
        width = units;
    }
    return total + (width + 1) * outputs;
}

void check_caps(const run::RunConfig& c, const Dataset& data, const Limits& limits) {
    check_caps_before_load(c, limits);
    if (data.rows() > limits.max_rows)
        throw UsageError(fmt::format("{}: {} rows is above this server's cap of {}; fix: use fewer rows (or start the server with --max-rows)",
                                     data.source, data.rows(), limits.max_rows));
    const Index parameters = count_parameters(c, data);
    if (parameters > limits.max_parameters)
        throw UsageError(fmt::format("config: model.layers \"{}\" on {} features gives {} parameters, above this server's cap of {}; fix: use fewer or narrower layers",
                                     c.model.layers, data.features(), parameters, limits.max_parameters));
}

std::string shell_quote(const std::string& value) {
    const bool plain = !value.empty() && value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/+=@%") == std::string::npos;
    if (plain) return value;
    std::string quoted = "'";
    for (const char ch : value) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return quoted + "'";
}

std::string train_command(const run::RunConfig& c, const std::string& data_name) {
    const run::RunConfig d;  // the defaults
    const auto& m = c.model;
    const auto& f = c.fit;
    std::string out = "plexus train";
    auto opt = [&](const char* flag, const std::string& value) { out += std::string(" ") + flag + " " + shell_quote(value); };
    auto num = [](double v) { return run::csv_num(v); };
    opt("--data", data_name);
    if (!c.data.target.empty()) opt("--target", c.data.target);
    if (c.data.task != d.data.task) opt("--task", c.data.task);
    if (c.data.samples) opt("--samples", std::to_string(*c.data.samples));
    if (c.data.noise) opt("--noise", num(*c.data.noise));
    if (c.data.classes) opt("--classes", std::to_string(*c.data.classes));
    opt("--layers", m.layers.empty() ? "none" : m.layers);
    opt("--activation", m.activation);
    if (!m.output.empty()) opt("--output", m.output);
    if (!m.loss.empty()) opt("--loss", m.loss);
    if (m.from_logits) out += " --from-logits";
    opt("--optimizer", m.optimizer);
    if (m.lr) opt("--lr", num(*m.lr));
    if (m.momentum != d.model.momentum) opt("--momentum", num(m.momentum));
    if (m.nesterov) out += " --nesterov";
    if (m.clipnorm) opt("--clipnorm", num(*m.clipnorm));
    if (m.clipvalue) opt("--clipvalue", num(*m.clipvalue));
    if (!m.metrics.empty()) opt("--metrics", m.metrics);
    opt("--epochs", std::to_string(f.epochs));
    opt("--batch-size", std::to_string(f.batch_size));
    opt("--validation-split", num(f.validation_split));
    opt("--split", f.split);
    opt("--seed", std::to_string(f.seed));
    if (f.early_stopping) opt("--early-stopping", std::to_string(f.early_stopping));
    if (f.restore_best_weights) out += " --restore-best-weights";
    if (!f.monitor.empty()) opt("--monitor", f.monitor);
    if (f.reduce_lr_on_plateau) opt("--reduce-lr-on-plateau", std::to_string(f.reduce_lr_on_plateau));
    if (f.reduce_lr_factor != d.fit.reduce_lr_factor) opt("--reduce-lr-factor", num(f.reduce_lr_factor));
    if (f.checkpoint) out += " --checkpoint";
    if (f.standardize) out += " --standardize";
    if (!f.shuffle) out += " --no-shuffle";
    if (!f.class_weight.empty()) opt("--class-weight", f.class_weight);
    if (f.final_train_rows != d.fit.final_train_rows) opt("--final-train-rows", std::to_string(f.final_train_rows));
    return out;
}

}  // namespace plexus::web
