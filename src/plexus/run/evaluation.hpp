// Evaluation of a model on encoded targets, as report.json and `plexus
// evaluate --json` show it: loss and compiled metrics, mse/mae/R² for
// regression (metrics/), and for classification macro precision/recall/F1,
// per-class precision/recall/F1/support and the confusion matrix.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::run {

// y as the loss wants it: class indices for sparse_categorical_crossentropy and
// one-unit outputs, one-hot otherwise; regression targets unchanged.
Matrix encode_targets(const Dataset& data, const std::string& loss, Index output_units);
// Whether encode_targets returns data.y unchanged (then data.y can be used in place).
bool targets_used_as_is(const Dataset& data, const std::string& loss, Index output_units);

// The class index of every row of a classification Dataset.
std::vector<int> dataset_labels(const Dataset& data);

// Loss and metrics of `inputs` against encoded targets (rows: confusion matrix
// rows are true classes, columns predicted classes). With `target` (a model
// trained on a standardized target, y_encoded standardized too), the loss stays
// on the standardized scale but every regression metric (mse, mae, r2 and the
// compiled ones) is computed in the target's own units, and "target_units" says so.
nlohmann::json evaluation_json(Sequential& model, ConstMatrixRef inputs, const Matrix& y_encoded,
                               const std::vector<int>& labels, const std::vector<std::string>& class_names,
                               const Standardizer* target = nullptr);
// The same on the rows of a view (a part of the data read in place through its row
// indices); y_encoded holds the targets of those rows only.
nlohmann::json evaluation_json(Sequential& model, const RowView& inputs, const Matrix& y_encoded,
                               const std::vector<int>& labels, const std::vector<std::string>& class_names,
                               const Standardizer* target = nullptr);
// The same from the outputs and logs of a pass fit already made over those rows with the
// model's present parameters (FitOptions::keep_validation), without running the model again.
nlohmann::json evaluation_json(Sequential& model, ValidationPass&& pass, const Matrix& y_encoded,
                               const std::vector<int>& labels, const std::vector<std::string>& class_names,
                               const Standardizer* target = nullptr);

}  // namespace plexus::run
