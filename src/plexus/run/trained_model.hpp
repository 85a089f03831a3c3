// A trained model as the front ends use it: the model file, its metadata,
// the feature standardizer `--standardize` stores with it, the sample of
// training rows that checks where later inputs lie, and outputs as
// probabilities (softmax/sigmoid applied to a from_logits model).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "plexus/data/scaling.hpp"
#include "plexus/data/support_summary.hpp"
#include "plexus/io/model_file.hpp"

namespace plexus::run {

struct ModelFile {
    std::string path;
    LoadedModel loaded;
    std::optional<Standardizer> standardizer;  // from metadata.extra["standardizer"]
    // Regression trained on a standardized target (--standardize-target): from
    // metadata.extra["target_standardizer"]; predict_outputs(ModelFile&) undoes it.
    std::optional<Standardizer> target_standardizer;

    Sequential& model() { return loaded.model; }
    const ModelMetadata& metadata() const { return loaded.metadata; }
    // From the stored class names; a model saved without them (from the C++ API) is a
    // classifier when its loss is, and open_model names its classes "0", "1", ...
    bool classification() const { return !loaded.metadata.class_names.empty(); }
    Index input_dim() const { return loaded.model.input_dim(); }
};

// Loads `path` (or `path`/model.plexus when `path` is a run folder). IoError
// messages are prefixed with `option` and end with a fix. `options` caps what the
// file may hold (layers, units, parameters, header size: --max-layers etc.).
ModelFile open_model(const std::string& path, const std::string& option = "--model", const ModelLoadOptions& options = {});

// The standardizer as stored in metadata.extra, and back.
nlohmann::json to_json(const Standardizer& s);
// `key` is "standardizer" (the features) or "target_standardizer".
std::optional<Standardizer> standardizer_from_extra(const nlohmann::json& extra, const std::string& key = "standardizer");

// Where the training data lies, for predict.extrapolation and the hatched region
// of the boundary picture. A model file stores metadata.extra["support_summary"]
// (SupportSummary in base64: coarse ranges and centroids of >= 20 rows each, no
// training row). Only with --store-training-rows does it also store
// metadata.extra["support_sample"]: raw rows, every row up to a budget, else an
// even stride plus the rows holding each feature's minimum and maximum.
std::string support_summary_text(ConstMatrixRef x_train, std::uint64_t seed);
// The same for the rows of x that `rows` lists (read in place, no copy).
std::string support_summary_text(ConstMatrixRef x, std::span<const RowIndex> rows, std::uint64_t seed);
nlohmann::json support_sample_json(ConstMatrixRef x_train);
std::optional<Matrix> support_sample_from_extra(const nlohmann::json& extra);
// The summary a model file stores; for files written before summaries (which
// hold support_sample), one fitted on that sample. nullopt when it has neither.
// IoError naming `file` for a summary that does not decode.
std::optional<SupportSummary> support_from_extra(const nlohmann::json& extra, const std::string& file);

// The model's input for raw features x: standardized when the model was trained so.
Matrix model_inputs(const ModelFile& model, const Matrix& x);

// Probabilities (or regression outputs) for model inputs: softmax/sigmoid is
// applied when the model was compiled with from_logits.
Matrix predict_outputs(Sequential& model, ConstMatrixRef inputs);
// The same conversion of outputs the model already computed (predict's or evaluate's).
Matrix as_probabilities(const Sequential& model, Matrix outputs);
// The same in the user's units: a standardized target's scaling undone.
Matrix predict_outputs(ModelFile& model, const Matrix& inputs);

}  // namespace plexus::run
