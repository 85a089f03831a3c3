// Internal to the ONNX exporter: a stored Preprocessor as ONNX nodes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/preprocessor.hpp"
#include "plexus/interop/onnx_graph.hpp"

namespace plexus::interop {

// The cell texts Plexus reads as missing for these --na-values (is_na, and the
// texts that parse as NaN) that an ONNX string input must spell out; cells such
// as "nan(1)" that also parse as NaN are not listed (docs/interop.md).
std::vector<std::string> missing_spellings(const std::vector<std::string>& na_values);

// Adds one graph input per raw column of `p` (named after the column: numeric
// columns float32 (batch, 1) with NaN for a missing cell, categorical columns
// string (batch, 1) with the cell's text) and the nodes that compute
// Preprocessor::transform from them; returns the (batch, p.output_dim()) tensor's
// name. `inputs` receives a description of each input for metadata_props.
// ConfigError naming the column and the fix for what ONNX cannot express: a
// numeric --na-values entry (a float input cannot tell "-999" from "-999.0").
std::string preprocess_onnx(onnx_graph::GraphBuilder& b, const Preprocessor& p, nlohmann::json& inputs);

}  // namespace plexus::interop
