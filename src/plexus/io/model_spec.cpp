#include "plexus/io/model_spec.hpp"

#include <limits>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/layers/layer.hpp"

namespace plexus {
namespace {

constexpr const char* kSpecExample =
    "[{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}, {\"type\": \"Dense\", \"units\": 2, \"activation\": \"softmax\"}]";

std::string layer_label(std::size_t i, const Layer& layer) {
    return "layer " + std::to_string(i + 1) + " (" + layer.type() + " '" + excerpt(layer.name(), 40) + "')";
}

}  // namespace

void check_model_limits(const Sequential& model, Index input_dim, const ModelLimits& limits, std::string_view what) {
    const std::string where(excerpt(what, 200));
    const auto& layers = model.layers();
    if (static_cast<Index>(layers.size()) > limits.max_layers)
        throw ConfigError(where + ": the model has " + std::to_string(layers.size()) + " layers, more than the limit of " +
                          std::to_string(limits.max_layers) + "; fix: use fewer layers (or raise ModelLimits::max_layers; CLI: --max-layers)");
    if (input_dim > limits.max_units)
        throw ConfigError(where + ": the input has " + std::to_string(input_dim) + " features, more than the limit of " +
                          std::to_string(limits.max_units) + "; fix: raise the cap (ModelLimits::max_units; CLI: --max-units)");
    Index width = input_dim;
    if (width <= 0) width = layers.empty() || layers.front()->declared_input_dim() <= 0 ? 1 : layers.front()->declared_input_dim();
    std::int64_t total = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        for (const auto& spec : layers[i]->param_specs(width)) {
            const std::int64_t remaining = limits.max_parameters - total;
            const bool too_many = spec.rows < 0 || spec.cols < 0 ||
                                  (spec.rows > 0 && spec.cols > remaining / spec.rows);
            if (too_many)
                throw ConfigError(where + ": " + layer_label(i, *layers[i]) + ": its " + spec.name + " of " + std::to_string(spec.rows) +
                                  " x " + std::to_string(spec.cols) + " takes the model past the limit of " +
                                  std::to_string(limits.max_parameters) +
                                  " parameters; fix: use fewer units (or raise ModelLimits::max_parameters; CLI: --max-parameters)");
            total += spec.rows * spec.cols;
        }
        width = layers[i]->output_dim(width);
        if (width > limits.max_units)
            throw ConfigError(where + ": " + layer_label(i, *layers[i]) + " has " + std::to_string(width) +
                              " units, more than the limit of " + std::to_string(limits.max_units) +
                              "; fix: use fewer units (or raise ModelLimits::max_units; CLI: --max-units)");
    }
}

Sequential model_from_spec(const nlohmann::json& spec, std::string_view what, const ModelLimits& limits) {
    const std::string where(excerpt(what, 200));
    const nlohmann::json* list = &spec;
    if (spec.is_object() && spec.contains("layers")) list = &spec["layers"];
    if (!list->is_array() || list->empty())
        throw ConfigError(where + ": expected a non-empty JSON list of layers, received " + json_excerpt(*list, 60) +
                          "; fix: e.g. " + kSpecExample);
    if (static_cast<Index>(list->size()) > limits.max_layers)
        throw ConfigError(where + ": the spec lists " + std::to_string(list->size()) + " layers, more than the limit of " +
                          std::to_string(limits.max_layers) + "; fix: use fewer layers (or raise ModelLimits::max_layers; CLI: --max-layers)");
    Sequential model;
    for (std::size_t i = 0; i < list->size(); ++i) {
        try {
            model.add(LayerHandle(std::shared_ptr<Layer>(layer_from_config((*list)[i]))));
        } catch (const Error& e) {
            throw ConfigError(where + ": layer " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    try {
        check_model_limits(model, 0, limits, where);
    } catch (const ShapeError& e) {
        throw ConfigError(where + ": " + e.what());
    }
    return model;
}

Sequential model_from_spec_text(std::string_view text, std::string_view what, const ModelLimits& limits,
                                const JsonLimits& json_limits) {
    return model_from_spec(parse_json_bounded(text, json_limits, what, JsonErrorKind::config), what, limits);
}

}  // namespace plexus
