// Fuzz entry points: one function per reader of untrusted input, shared by the
// libFuzzer targets (fuzz_target.cpp, built with clang by scripts/fuzz.sh) and
// the replay test in the normal suite (tests/unit/fuzz_replay_test.cpp), which
// feeds every file of tests/fuzz/corpus/<target>/ through the same function.
// Each entry swallows plexus::Error (the expected outcome for bad input); any
// other exception, crash, sanitizer report or hang is a finding.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace plexus::fuzz {

using Entry = void (*)(std::string_view data);

void csv(std::string_view data);         // read_csv_text; the first byte picks task and header options
void npy(std::string_view data);         // parse_npy
void model_file(std::string_view data);  // CRC fixed up, load_model_bytes (small ModelLimits), summary, config
void model_spec(std::string_view data);  // model_from_spec_text, then compile, build and predict
void json(std::string_view data);        // parse_json_bounded, json_excerpt and checked reads
// The Keras importer on a TensorFlow.js model: the bytes up to the first NUL are
// model.json, the rest weights.bin (absent without a NUL), written to a private
// temporary folder; then import_keras (or keras_architecture for a bare Keras
// config), and a prediction. HDF5 and zip files are not fuzzed here (libhdf5's
// own parser is not Plexus's code).
void keras(std::string_view data);

// {"csv", &csv}, ... {"keras", &keras} in this order.
const std::vector<std::pair<const char*, Entry>>& entries();

}  // namespace plexus::fuzz
