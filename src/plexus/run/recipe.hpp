// The recipe: the model, loss and metrics a run's configuration and data call
// for. Hidden Dense layers from ModelConfig::layers (or a layer list from
// ModelConfig::model_spec), an output layer sized to the task (softmax over
// the classes, one sigmoid unit for two classes with output = sigmoid, linear
// for regression), and unless given: sparse categorical cross-entropy
// (from_logits with a linear output), binary cross-entropy after a sigmoid,
// mse for regression; accuracy or mae as the metric.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plexus/data/dataset.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/run/config.hpp"

namespace plexus::run {

// Builds and compiles the model for `data`, and writes what it resolved (loss,
// from_logits, metrics, output) back into `config.model`. UsageError for
// options that do not fit the data.
Sequential build_model(ModelConfig& config, const Dataset& data, std::uint64_t seed);

// "16,16" -> {16, 16}; "" or "none" -> {}. UsageError for anything else.
std::vector<Index> parse_layers(const std::string& s);

// A model from a JSON file of layer configs ([{"type": "Dense", ...}, ...] or
// {"layers": [...]}, see Sequential::from_config); UsageError with the file,
// line and column for invalid JSON.
Sequential model_from_spec(const std::string& path, const ModelLimits& limits = {});

// The activation the model ends with ("" if none).
std::string output_activation(const Sequential& model);

// Class weights for `--class-weight`: "balanced" (n / (k * count) over the
// training rows, as sklearn and Keras users compute it) or "name:weight,...".
std::map<int, double> class_weights(const std::string& spec, const Dataset& data, const RowList& train_rows);

// Rows of each class among `rows`.
std::vector<Index> count_classes(const Dataset& data, const RowList& rows);

}  // namespace plexus::run
