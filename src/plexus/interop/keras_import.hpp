// Keras models in: a Keras model file becomes a Plexus Sequential with the
// same weights, computing the same predictions.
//
// The format is told from the file's first bytes, not its extension:
//   "\x89HDF\r\n\x1a\n"  Keras 1 or 2 HDF5 (.h5, and .keras files Keras 2 wrote)
//   "PK\x03\x04"         Keras 3 .keras (zip of config.json, metadata.json, model.weights.h5)
//   "{" (JSON)           TensorFlow.js layers format (model.json with modelTopology and
//                        weightsManifest; weight files next to it), or, for
//                        keras_architecture only, a bare Keras model config
//                        ({"class_name": ..., "config": ...}, as model.to_json() writes)
// What maps is listed in keras_config.hpp. Errors: IoError for unreadable or
// damaged files (truncated, wrong magic, missing weights, huge declared
// sizes), ShapeError when the weights do not fit the config, ConfigError for
// what Plexus cannot represent; every message names the file and the layer.
#pragma once

#include <string>
#include <vector>

#include "plexus/io/model_file.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::interop {

struct ImportedKerasModel {
    Sequential model;                 // built, compiled, holding the Keras weights
    ModelMetadata metadata;           // class names for softmax outputs; extra["imported_from"]
    std::string format;               // "Keras 2 HDF5", "Keras 1 HDF5", "Keras 3 .keras", "TensorFlow.js layers"
    std::string keras_version;        // as the file says, or empty
    bool compile_from_file = false;   // loss and optimizer came from the file's training config
    std::vector<std::string> notes;   // what was ignored or defaulted
};

// Whether this build can read HDF5 and zip files (libhdf5 and libzip were found).
bool keras_files_supported();

// Reads a Keras model file with its weights. Without a training config in the
// file the model is compiled with rmsprop and a loss chosen from the output
// (softmax: categorical_crossentropy, sigmoid: binary_crossentropy, else mse),
// and a note says so.
ImportedKerasModel import_keras(const std::string& path);

// True when `path` is a Keras model rather than a Plexus layer list: HDF5 or zip
// magic, or a JSON object with "class_name" or "modelTopology". Never throws
// (false for unreadable files).
bool is_keras_model(const std::string& path);

// The architecture of a Keras model file or config JSON: fresh, unbuilt
// layers (weights are initialised by the next build/fit), not compiled.
Sequential keras_architecture(const std::string& path);

}  // namespace plexus::interop
