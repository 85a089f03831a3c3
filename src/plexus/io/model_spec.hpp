// Models from untrusted layer lists (the CLI's --model-spec, run configs,
// importers), and the size caps every loader applies before allocating.
//
// A spec is a Keras-like list of layer configs, or an object holding it:
//   [{"type": "Dense", "units": 4, "activation": "tanh"}, {"type": "Dense", "units": 2}]
//   {"layers": [...]}
// Errors are ConfigErrors that start with `what` (the file or option), name the
// layer ("layer 3: Dense.units: expected an integer in [1, 16777216], ...") and
// quote at most a short excerpt of the input.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "plexus/core/json_limits.hpp"
#include "plexus/core/limits.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

// Checks `model` against `limits`: at most max_layers layers, every width (the
// input's when input_dim > 0, and each layer's output) at most max_units, and at
// most max_parameters parameters in all (computed without overflow; with
// input_dim == 0 the first layer's input width is taken from its declared
// input_dim, or 1). Throws ConfigError "<what>: ..." naming the layer and the
// limit to raise. Call it again with the data's width before build().
void check_model_limits(const Sequential& model, Index input_dim, const ModelLimits& limits, std::string_view what);

// Builds (does not compile or build) the layers of a parsed spec; checks the
// list length against limits.max_layers before constructing any layer, then
// check_model_limits(model, 0, ...).
Sequential model_from_spec(const nlohmann::json& spec, std::string_view what, const ModelLimits& limits = {});

// parse_json_bounded(text, json_limits, what) (errors as ConfigError), then model_from_spec.
Sequential model_from_spec_text(std::string_view text, std::string_view what, const ModelLimits& limits = {},
                                const JsonLimits& json_limits = {});

}  // namespace plexus
