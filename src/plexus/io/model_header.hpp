// Validation of a model file's JSON header (internal to io/model_file.cpp).
//
// read_model_header checks every field the loader uses (type, range, and that
// each tensor and optimizer slot lies inside the payload, with overflow-safe
// arithmetic) and copies it out, so that nothing downstream indexes the JSON
// directly. Throws IoError "<path>: corrupted model file (<field path>: ...)".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/tensor.hpp"
#include "plexus/io/model_file.hpp"

namespace plexus::detail {

struct TensorEntry {
    std::size_t layer = 0, index = 0;
    Index rows = 0, cols = 0;
    std::size_t offset = 0;  // bytes into the payload; offset + 4 rows cols <= payload size
};

struct SlotEntry {
    std::size_t offset = 0, size = 0;  // offset + 4 size <= payload size
};

struct ModelHeader {
    const nlohmann::json* layers = nullptr;  // the config's layer list (each an object)
    const nlohmann::json* optimizer = nullptr;
    std::string loss;
    std::vector<std::string> metrics;
    bool from_logits = false;
    double huber_delta = 1.0;
    Index input_dim = 0;
    std::uint64_t seed = 0;
    std::vector<TensorEntry> tensors;
    std::int64_t iterations = 0;
    double base_learning_rate = 0.0;
    std::vector<SlotEntry> slots;
    ModelMetadata metadata;
    Matrix self_test_input, self_test_output;
};

ModelHeader read_model_header(const nlohmann::json& header, std::size_t payload_size, const ModelLoadOptions& options,
                              const std::string& path);

}  // namespace plexus::detail
