// Model files: one versioned file with everything needed to use or resume a model.
//
// Layout (all integers little-endian):
//   8 bytes   magic "PLEXUS\x00M"
//   u32       format version (1)
//   u64       header length H
//   H bytes   JSON header: model config (layers, input width, loss, optimizer,
//             metrics), metadata (class names, feature names, per-feature
//             training ranges, epochs done, free-form extra), the tensor table
//             (name, shape, byte offset into the payload), the optimizer state
//             (iterations, base learning rate), and a self-test pair
//             (input rows and the outputs the model gave for them when saved)
//   u32       CRC-32 (zlib) of the header bytes followed by the payload
//   payload   tensors as little-endian float32: weights, then optimizer slots
// load_model treats the file as untrusted: it checks the magic, version, sizes
// and checksum, parses the header with bounded size and depth, validates every
// header field (types, ranges, each tensor and slot inside the payload, the
// ModelLimits caps) before it allocates the model or reads a tensor, rebuilds the model,
// then replays the self-test input and compares the outputs (|diff| <= 1e-4 +
// 1e-4|y|), so a model that does not compute what it computed when saved is
// never returned. Files are written atomically (temporary file, then rename).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/json_limits.hpp"
#include "plexus/core/limits.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

struct ModelMetadata {
    std::vector<std::string> class_names;            // classification: index -> name
    std::vector<std::string> feature_names;
    std::vector<std::pair<double, double>> feature_ranges;  // training min/max per feature
    int epoch = 0;                                   // epochs completed
    nlohmann::json extra = nlohmann::json::object(); // e.g. training options for --resume
};

// Throws ConfigError if the model is not built/compiled, IoError on write failure.
void save_model(Sequential& model, const std::string& path, const ModelMetadata& metadata = {});

struct LoadedModel {
    Sequential model;
    ModelMetadata metadata;
};

// Caps applied while loading (see core/limits.hpp and core/json_limits.hpp).
struct ModelLoadOptions {
    ModelLimits model{};
    JsonLimits header{};  // the JSON header's size and nesting depth
};

// Throws IoError naming the file and what is wrong (missing, truncated,
// corrupted: a header field of the wrong type or range, naming its path;
// checksum or self-test mismatch; unsupported version; over a limit). Never
// anything but a plexus::Error for any content of the file.
LoadedModel load_model(const std::string& path, const ModelLoadOptions& options = {});
// load_model on the bytes of a model file already in memory; `path` names them in messages.
LoadedModel load_model_bytes(std::string_view bytes, const std::string& path, const ModelLoadOptions& options = {});

}  // namespace plexus
