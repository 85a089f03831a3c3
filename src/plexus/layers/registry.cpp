// The layer registry: one line per layer type.
#include <utility>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/core/text.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/layers/activation_layer.hpp"
#include "plexus/layers/batch_normalization.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/layers/dropout.hpp"
#include "plexus/layers/gaussian_noise.hpp"
#include "plexus/layers/layer_normalization.hpp"

namespace plexus {
namespace {

using Factory = std::unique_ptr<Layer> (*)(const nlohmann::json&);
const std::vector<std::pair<std::string, Factory>>& table() {
    static const std::vector<std::pair<std::string, Factory>> entries = {
        {"Dense", &Dense::from_config},
        {"Activation", &Activation::from_config},
        {"Dropout", &Dropout::from_config},
        {"BatchNormalization", &BatchNormalization::from_config},
        {"LayerNormalization", &LayerNormalization::from_config},
        {"GaussianNoise", &GaussianNoise::from_config},
    };
    return entries;
}

}  // namespace

std::vector<std::string> layer_types() {
    std::vector<std::string> names;
    for (const auto& entry : table()) names.push_back(entry.first);
    return names;
}

std::unique_ptr<Layer> layer_from_config(const nlohmann::json& config) {
    if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
        throw ConfigError("layer config needs a string \"type\" (one of: " + join(layer_types()) +
                          "); received " + json_excerpt(config, 80));
    const auto type = config["type"].get<std::string>();
    for (const auto& [name, factory] : table()) {
        if (name == type) {
            try {
                return factory(config);
            } catch (const nlohmann::json::exception& e) {
                throw ConfigError(excerpt(type, 40) + ": bad field in " + json_excerpt(config, 80));
            }
        }
    }
    throw_unknown_name("layer type", excerpt(type, 40), layer_types());
}

}  // namespace plexus
