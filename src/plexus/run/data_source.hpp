// Where a run's rows come from: a built-in dataset (generated from the seed),
// a CSV file (target column by name or index) or an NPY pair (features and
// targets), for training (load_dataset) or for a trained model
// (load_data_for_model: columns checked and ordered as the model's, class
// names mapped onto the model's). Errors name the option (--data, --labels,
// --target, --task), the file, line and column, and the fix.
#pragma once

#include <cstdint>
#include <string>

#include "plexus/data/dataset.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/run/config.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::run {

bool is_builtin_dataset(const std::string& name);

// Training data: a built-in dataset generated from `seed`, a CSV or an NPY pair.
// Throws UsageError for a missing file/unknown name or a missing --labels, and
// the readers' DataError/IoError (which name the file, line and column).
// npy: NpyLoad::map uses an .npy of features in place when its layout allows
// (read_npy_dataset; read the features through Dataset::inputs()).
Dataset load_dataset(const DataConfig& config, std::uint64_t seed, NpyLoad npy = NpyLoad::read);

// Data to run a loaded model on. Feature count is checked against the model;
// labels, when present, are mapped onto the model's class names (unknown
// labels are an error). Without labels (require_labels false and the file has
// only feature columns, or an .npy without --labels) y has no rows.
// A model saved with a preprocessor (table_source.hpp) takes a CSV of raw rows;
// its notes (predict.unseen_category, data.missing_values) go to `findings`.
Dataset load_data_for_model(const DataConfig& config, std::uint64_t seed, ModelFile& model, bool require_labels,
                            std::vector<Finding>* findings = nullptr, NpyLoad npy = NpyLoad::read);

}  // namespace plexus::run
