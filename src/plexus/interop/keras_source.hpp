// Internal to the importer: what each file format yields (the model config,
// the training config and a way to read a layer's weights).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/interop/hdf5.hpp"
#include "plexus/interop/keras_config.hpp"

namespace plexus::interop {

using FloatArray = hdf5::FloatArray;

struct KerasSource {
    nlohmann::json model_config;              // {"class_name", "config"}
    nlohmann::json training_config;           // null when absent
    std::string format, keras_version;
    // The weight arrays of architecture.layers[i], in Keras order (kernel, then
    // bias); IoError when missing or larger than max_values.
    std::function<std::vector<FloatArray>(const KerasArchitecture&, std::size_t i, std::uint64_t max_values)> weights;
};

// Limits on what a file may declare before anything is allocated.
inline constexpr std::uint64_t kMaxJsonBytes = std::uint64_t{64} << 20;
inline constexpr std::uint64_t kMaxWeightBytes = std::uint64_t{4} << 30;

KerasSource open_keras_hdf5(const std::string& path);   // Keras 1 and 2 (keras_files.cpp)
KerasSource open_keras_zip(const std::string& path);    // Keras 3 (keras_files.cpp)
KerasSource open_tfjs(const std::string& path, const nlohmann::json& model_json);  // tfjs.cpp

}  // namespace plexus::interop
