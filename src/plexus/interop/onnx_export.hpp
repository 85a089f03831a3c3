// ONNX export: a Plexus Sequential as a standard ONNX graph.
//
// The graph (opset 13, IR version 7, accepted by onnx 1.12's checker) takes the
// raw rows with a dynamic batch dimension and gives "output" (batch, outputs):
// exactly what `plexus predict` computes, so
//   - without a stored preprocessor the input is "input" (batch, features)
//     float32; with one (metadata.extra["preprocessor"]), one input per raw
//     column (onnx_preprocessor.hpp: numeric float32 with NaN for missing,
//     categorical string) and the imputation, scaling and one-hot encoding as
//     nodes (ai.onnx.ml LabelEncoder for the vocabularies);
//   - a stored standardizer (metadata.extra["standardizer"], written by
//     `plexus train --standardize`) becomes Sub/Div nodes on the model inputs,
//     a stored target standardizer Mul/Add nodes on the outputs;
//   - a model compiled with from_logits gets a final Softmax (several outputs)
//     or Sigmoid (one output), as predict applies;
//   - Dense is Gemm (MatMul without a bias), Dropout and GaussianNoise
//     disappear (inference), BatchNormalization is the BatchNormalization op
//     with the moving statistics, LayerNormalization ReduceMean/Sub/Mul/Sqrt/Div
//     (+ Mul gamma, Add beta), and activations are standard ops: Tanh, Sigmoid,
//     Relu, LeakyRelu(alpha), Elu, Selu, Softplus, Softmax(axis -1); gelu (no op
//     before opset 20) is 0.5·x·(1 + Erf(x/√2)) and swish is x·Sigmoid(x).
// metadata_props carry class_names and feature_names (JSON lists), the Plexus
// version and, with a preprocessor, "inputs" (each column's name and type) and
// "missing_spellings". ConfigError for a model that is not built or that ONNX
// cannot express (onnx_preprocessor.hpp).
#pragma once

#include <string>

#include "plexus/io/model_file.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::interop {

// Whether this build can write ONNX (Debian's libonnx and protobuf were found).
bool onnx_export_supported();

// The serialised ModelProto. IoError when the build has no ONNX support.
std::string export_onnx(Sequential& model, const ModelMetadata& metadata);

}  // namespace plexus::interop
