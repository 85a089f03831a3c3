// CSV tables through the Preprocessor (data/preprocessor.hpp): the training
// side (prepare_training_data: the held-out test rows, the preprocessing
// fitted on the training rows only, the column report and the table findings)
// and the trained-model side (table_for_model: raw rows through the stored
// preprocessing, with notes on missing cells and unseen categories).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/data/preprocessor.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/model/split.hpp"
#include "plexus/run/config.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::run {

// The target column of a table as a Dataset without features (y, class_names,
// target_name, source), by read_csv's rules: classification if task says so, if
// class_names are given, or (auto) if a label is text or all are integers with
// at most kMaxAutoClasses values; class names sorted numerically when all are
// numbers, else by bytes. DataError naming the cell for a missing target, a
// label not among class_names, or a text target for regression.
Dataset table_labels(const RawTable& table, std::size_t target, const std::string& task,
                     const std::vector<std::string>& class_names = {});

// What a training run's data became.
struct PreparedData {
    Dataset data;                              // the rows training and validation use (features encoded)
    std::optional<Dataset> test;               // --test-split's held-out rows, same encoding
    RowList test_rows;                         // their row numbers in the file's data rows (0-based)
    std::optional<Preprocessor> preprocessor;  // set when the table needed one
    RowList preprocessor_rows;                 // the rows (of `data`) it was fitted on
    nlohmann::json columns;                    // report.json "columns": one entry per column, with its type
    std::vector<Finding> findings;             // data.missing_values, data.high_cardinality
};

// Loads the training data (load_dataset) and, for a CSV that needs it (text or
// missing cells, --categorical, --missing-indicator), fits the preprocessing on
// exactly the training rows fit will use (the split of plan_split, same seed
// stream), never on validation or test rows. `stored` is the preprocessing of a
// resumed model (reused, not refitted). --test-split holds out a stratified
// (classification) or random fraction first, from its own seed stream; non-empty
// `held_out` names the test rows instead (cross-validation folds).
PreparedData prepare_training_data(const RunConfig& config, const std::optional<Preprocessor>& stored = {},
                                   const RowList& held_out = {});

// The rows of `data` plan_split will train on (same function, seed stream and method).
RowList planned_training_rows(const Dataset& data, const FitConfig& fit);

// A CSV for a model saved with a preprocessor: raw rows in, encoded features out
// (labels mapped onto the model's classes when the target column is present).
// Notes go to `findings` (predict.unseen_category, data.missing_values).
Dataset table_for_model(const DataConfig& config, ModelFile& model, const Preprocessor& preprocessor, bool require_labels,
                        std::vector<Finding>* findings);

// The held-out test rows' evaluation (evaluation_json), inputs standardized like training's.
nlohmann::json evaluate_test(Sequential& model, const Dataset& test, const std::optional<Standardizer>& standardizer);
// Adds "columns" (with a preprocessor) and "test" (with --test-split) to a report.
void add_table_report(nlohmann::json& report, const PreparedData& prepared, const nlohmann::json& test_evaluation);

// The stored preprocessor of a model, if any (metadata.extra["preprocessor"]).
std::optional<Preprocessor> preprocessor_from_extra(const nlohmann::json& extra);

}  // namespace plexus::run
