// Keras model configs (the JSON that Keras 1, 2, 3 and TensorFlow.js store
// with a model) mapped to Plexus layers, and Keras training configs mapped to
// CompileOptions. No file access here: keras_import reads the files.
//
// What maps: Sequential models and functional models that are a single chain;
// layers InputLayer, Dense (units/output_dim, activation, use_bias/bias,
// L1/L2 kernel regularizers, initializers), Activation, Dropout, LeakyReLU
// (its slope), ReLU (default max_value and threshold; negative_slope), ELU
// (alpha 1), Softmax (last axis), BatchNormalization (momentum, epsilon,
// center, scale; Keras 1 mode 0 only; no renorm or virtual batches),
// LayerNormalization (epsilon, center, scale; no rms_scaling), both over the
// features only (axis -1, or Keras 2's resolved [1]), GaussianNoise (stddev;
// identity at inference), and Flatten of a 1-D input; activations by
// Keras's names (snake_case or TensorFlow.js's camelCase). Anything else
// throws ConfigError naming the layer, its class and what is supported.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/model/sequential.hpp"

namespace plexus::interop {

// One Keras layer that became a Plexus layer.
struct KerasLayer {
    std::string keras_class;      // "Dense", "LeakyReLU", ...
    std::string keras_name;       // the layer's name in the Keras model ("dense_1")
    nlohmann::json plexus_config; // for layer_from_config
    Index units = 0;              // Dense only: output width
    bool use_bias = true;         // Dense only
    std::size_t position = 0;     // index into KerasArchitecture::all_classes
    // Whether the file holds weights for it (Dense, BatchNormalization, and
    // LayerNormalization unless both center and scale are off).
    bool has_weights() const {
        if (keras_class == "LayerNormalization") return plexus_config.value("center", true) || plexus_config.value("scale", true);
        return keras_class == "Dense" || keras_class == "BatchNormalization";
    }
    // The names of its weights in Keras order (tfjs names them "<layer>/<name>").
    std::vector<std::string> weight_names() const;
};

struct KerasArchitecture {
    std::vector<KerasLayer> layers;   // in order; InputLayer and Flatten are dropped
    // Every Keras layer's class in order, InputLayer included (Keras 3 names weight
    // groups by class and position among all layers).
    std::vector<std::string> all_classes;
    Index input_dim = 0;              // 0 when the config does not say
    std::vector<std::string> notes;   // what was ignored, for the user
};

// Parses a model config {"class_name": ..., "config": ...}. `where` prefixes
// messages (the file name). ConfigError for anything Plexus cannot represent.
KerasArchitecture parse_keras_model(const nlohmann::json& model_config, const std::string& where);

// Plexus layers (fresh, unbuilt) for an architecture.
Sequential make_sequential(const KerasArchitecture& architecture);

// A training config (Keras 2 `training_config`, Keras 3 `compile_config`,
// TensorFlow.js `trainingConfig`) as CompileOptions; nullopt when `config` is
// null. What cannot be mapped (custom losses, unknown optimizers or metrics)
// is left at Plexus's defaults and described in `notes`.
std::optional<CompileOptions> parse_keras_training(const nlohmann::json& config, std::vector<std::string>& notes);

// Keras's or TensorFlow.js's activation name as a Plexus name ("silu" -> "swish",
// "leakyReLU" -> "leaky_relu"), or nullopt when Plexus has no such activation.
std::optional<std::string> plexus_activation(const std::string& keras_name);

// "leakyReLU" -> "leaky_re_lu", "LeakyReLU" -> "leaky_re_lu" (Keras's to_snake_case).
std::string snake_case(const std::string& name);

}  // namespace plexus::interop
