// The Preprocessor: turns the raw cells of a table into the model's numeric
// inputs, as scikit-learn's ColumnTransformer(SimpleImputer + StandardScaler for
// numbers, SimpleImputer + OneHotEncoder for categories) does, and is saved with
// the model (metadata.extra["preprocessor"]) so that predict and evaluate take
// raw rows.
//
// Column types: a feature column is categorical if any of its non-missing cells
// is text, or if it is named in PreprocessOptions::categorical (integer codes);
// otherwise numeric. fit() learns, from the training rows it is given ONLY, per
// numeric column the median (imputation), mean and standard deviation
// (standardization, when scale), and per categorical column the vocabulary
// (categories with at least min_frequency training rows, sorted; rarer ones pooled
// into "other") and the most frequent category (imputation).
//
// Outputs, in column order: a numeric column gives one input (name) plus, with
// missing_indicator and missing cells in training, "name_missing" (0/1); a
// categorical column gives one 0/1 input per category ("name=cat"), plus
// "name=other" when rare categories were pooled. At transform time a category
// not in the vocabulary maps to "other" (or to all zeros without an "other"
// input, as scikit-learn's handle_unknown="ignore"); it is counted in
// TransformNotes, as are the missing cells, for predict.unseen_category and
// data.missing_values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/tensor.hpp"
#include "plexus/data/table.hpp"

namespace plexus {

struct PreprocessOptions {
    std::vector<std::string> categorical;      // columns to treat as categories even if numeric (CLI --categorical)
    std::vector<std::string> na_values = default_na_values();  // cells that mean "missing" (CLI --na-values)
    std::string impute = "auto";               // auto: median / most frequent; missing: median / a "missing"
                                               // category; none: a missing cell is a DataError (CLI --impute)
    bool missing_indicator = false;            // add name_missing inputs (CLI --missing-indicator)
    std::size_t min_frequency = 1;             // rarer categories (training rows) pool into "other" (CLI --min-frequency)
    bool scale = true;                         // standardize numeric columns (CLI --scale standard|none)
};
nlohmann::json to_json(const PreprocessOptions& o);
PreprocessOptions preprocess_options_from_json(const nlohmann::json& j);
// ConfigError naming the option for a bad impute value or min_frequency 0.
void validate(const PreprocessOptions& o);

struct ColumnTransform {
    std::string name;
    bool categorical = false;
    // numeric
    double median = 0, mean = 0, scale = 1;
    bool indicator = false;                   // emits name_missing
    // categorical
    std::vector<std::string> categories;      // the vocabulary, sorted; may include "missing"
    bool other = false;                       // emits name=other (rare categories were pooled)
    std::vector<std::string> pooled;          // the rare training categories in "other", sorted (not "unseen")
    std::string fill;                         // the category a missing cell becomes
    // facts from the training rows
    Index missing = 0;                        // missing cells
    Index distinct = 0;                       // distinct non-missing values (categorical)
};

// What transform saw, per column name.
struct TransformNotes {
    std::map<std::string, Index> missing;                   // missing cells
    std::map<std::string, Index> unseen;                    // categories not in the vocabulary
    std::map<std::string, std::vector<std::string>> unseen_examples;  // up to 5 per column
    Index rows = 0;
};

class Preprocessor {
public:
    Preprocessor() = default;
    explicit Preprocessor(PreprocessOptions options) : options_(std::move(options)) {}

    // Learns the column types and statistics from rows `rows` of `table`, ignoring
    // column `target`. DataError for a missing cell with impute none (naming the
    // cell), a column that is entirely missing in the training rows, or no feature
    // column; ConfigError for a --categorical name that is not a column.
    void fit(const RawTable& table, std::size_t target, const RowList& rows);
    // The model inputs for every row of `table` (columns matched by name; other
    // columns, such as the target, are ignored). DataError naming the cell for a
    // text cell in a numeric column, a missing cell with impute none, or a missing column.
    Matrix transform(const RawTable& table, TransformNotes* notes = nullptr) const;

    bool fitted() const { return !columns_.empty(); }
    const std::vector<ColumnTransform>& columns() const { return columns_; }
    const PreprocessOptions& options() const { return options_; }
    // The names of the model inputs, in order.
    std::vector<std::string> output_names() const;
    Index output_dim() const { return static_cast<Index>(output_names().size()); }

    // Saved form (metadata.extra["preprocessor"]) and back; ConfigError for a malformed one.
    nlohmann::json to_json() const;
    static Preprocessor from_json(const nlohmann::json& j);
    // One line per column for `plexus summary` and the training printout.
    std::string describe() const;

private:
    PreprocessOptions options_;
    std::vector<ColumnTransform> columns_;
};

// Whether a table needs the Preprocessor (a text or missing cell in a feature
// column, or options that ask for it); a numeric, complete table keeps the plain path.
bool needs_preprocessing(const RawTable& table, std::size_t target, const PreprocessOptions& options);

}  // namespace plexus
