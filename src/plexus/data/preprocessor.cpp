#include "plexus/data/preprocessor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {
namespace {

const std::string kOther = "other";

std::string g4(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return buffer;
}
const std::string kMissing = "missing";

bool forced_categorical(const PreprocessOptions& o, const std::string& name) {
    return std::find(o.categorical.begin(), o.categorical.end(), name) != o.categorical.end();
}

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// A numeric column's statistics over the training rows.
void fit_numeric(ColumnTransform& c, const std::vector<double>& values, const PreprocessOptions& o) {
    c.median = median_of(values);
    double sum = 0, squares = 0;
    for (double v : values) sum += v;
    c.mean = sum / static_cast<double>(values.size());
    for (double v : values) squares += (v - c.mean) * (v - c.mean);
    const double sd = std::sqrt(squares / static_cast<double>(values.size()));  // biased, as StandardScaler
    c.scale = o.scale && sd > 0 ? sd : 1.0;
    if (!o.scale) c.mean = 0.0;
    c.indicator = o.missing_indicator && c.missing > 0;
}

// A categorical column's vocabulary over the training rows.
void fit_categorical(ColumnTransform& c, const std::map<std::string, Index>& counts, const PreprocessOptions& o) {
    c.distinct = static_cast<Index>(counts.size());
    Index best = -1;
    for (const auto& [value, n] : counts) {
        if (n > best) best = n, c.fill = value;  // ties: the first in sorted order (as SimpleImputer)
        if (static_cast<std::size_t>(n) >= o.min_frequency) c.categories.push_back(value);
        else c.other = true, c.pooled.push_back(value);
    }
    if (o.impute == "missing" && c.missing > 0) {
        c.fill = kMissing;
        if (std::find(c.categories.begin(), c.categories.end(), kMissing) == c.categories.end()) {
            c.categories.push_back(kMissing);
            std::sort(c.categories.begin(), c.categories.end());
        }
    }
    if (!c.other && std::find(c.categories.begin(), c.categories.end(), c.fill) == c.categories.end()) c.fill = c.categories.front();
}

}  // namespace

nlohmann::json to_json(const PreprocessOptions& o) {
    return {{"categorical", o.categorical}, {"na_values", o.na_values},       {"impute", o.impute},
            {"missing_indicator", o.missing_indicator}, {"min_frequency", o.min_frequency}, {"scale", o.scale}};
}

PreprocessOptions preprocess_options_from_json(const nlohmann::json& j) {
    PreprocessOptions o;
    o.categorical = j.value("categorical", o.categorical);
    o.na_values = j.value("na_values", o.na_values);
    o.impute = j.value("impute", o.impute);
    o.missing_indicator = j.value("missing_indicator", o.missing_indicator);
    o.min_frequency = j.value("min_frequency", o.min_frequency);
    o.scale = j.value("scale", o.scale);
    return o;
}

void validate(const PreprocessOptions& o) {
    if (o.impute != "auto" && o.impute != "missing" && o.impute != "none")
        throw ConfigError("--impute " + o.impute + ": unknown; valid: auto (median / most frequent), missing (median / a \"missing\" category), none");
    if (o.min_frequency < 1) throw ConfigError("--min-frequency 0: must be at least 1 (1 keeps every category)");
}

bool needs_preprocessing(const RawTable& t, std::size_t target, const PreprocessOptions& o) {
    if (!o.categorical.empty() || o.missing_indicator) return true;
    for (const auto& row : t.rows)
        for (std::size_t j = 0; j < row.size(); ++j) {
            double v = 0;
            if (j != target && (!parse_cell_number(row[j], v) || std::isnan(v) || is_na(row[j], o.na_values))) return true;
        }
    return false;
}

void Preprocessor::fit(const RawTable& t, std::size_t target, const RowList& rows) {
    validate(options_);
    for (const auto& name : options_.categorical)
        if (std::find(t.columns.begin(), t.columns.end(), name) == t.columns.end() || name == t.columns[target])
            throw ConfigError("--categorical " + name + ": not a feature column of " + t.source + " (columns: " + join(t.columns) + ")");
    if (rows.empty()) throw DataError(t.source + ": no training rows to fit the preprocessing on");
    columns_.clear();
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
        if (j == target) continue;
        ColumnTransform c{.name = t.columns[j]};
        c.categorical = forced_categorical(options_, c.name);
        for (Index i = 0; i < t.row_count() && !c.categorical; ++i) {  // type: over every row
            const auto& cell = t.rows[static_cast<std::size_t>(i)][j];
            double v = 0;
            c.categorical = !is_na(cell, options_.na_values) && !parse_cell_number(cell, v);
        }
        std::vector<double> values;
        std::map<std::string, Index> counts;
        for (const Index i : rows) {  // statistics: over the training rows only
            const auto& cell = t.rows[static_cast<std::size_t>(i)][j];
            double v = 0;
            const bool number = parse_cell_number(cell, v);
            if (is_na(cell, options_.na_values) || (number && std::isnan(v))) {
                if (options_.impute == "none")
                    throw DataError(t.where(i, j) + "missing value '" + cell + "' in column '" + c.name +
                                    "' and --impute none; fix: impute it (--impute auto) or remove the row");
                ++c.missing;
            } else if (c.categorical) {
                ++counts[cell];
            } else {
                if (!std::isfinite(v)) throw DataError(t.where(i, j) + "infinite value '" + cell + "' in column '" + c.name + "'; fix: remove or replace it");
                values.push_back(v);
            }
        }
        if (values.empty() && counts.empty())
            throw DataError(t.source + ": column '" + c.name + "' has no values in the training rows; fix: remove the column");
        if (c.categorical) fit_categorical(c, counts, options_);
        else fit_numeric(c, values, options_);
        columns_.push_back(std::move(c));
    }
    if (columns_.empty()) throw DataError(t.source + ": no feature columns besides the target");
}

std::vector<std::string> Preprocessor::output_names() const {
    std::vector<std::string> names;
    for (const auto& c : columns_) {
        if (!c.categorical) {
            names.push_back(c.name);
            if (c.indicator) names.push_back(c.name + "_missing");
            continue;
        }
        for (const auto& cat : c.categories) names.push_back(c.name + "=" + cat);
        if (c.other) names.push_back(c.name + "=" + kOther);
    }
    return names;
}

Matrix Preprocessor::transform(const RawTable& t, TransformNotes* notes) const {
    std::vector<std::size_t> source;
    std::vector<std::string> names;
    for (const auto& c : columns_) names.push_back(c.name);
    for (const auto& c : columns_) {
        const auto it = std::find(t.columns.begin(), t.columns.end(), c.name);
        if (it == t.columns.end())
            throw DataError(t.source + ": no column '" + c.name + "', which the model takes (its columns: " + join(names) +
                            "); fix: give the model's columns (by header name)");
        source.push_back(static_cast<std::size_t>(it - t.columns.begin()));
    }
    Matrix x = Matrix::Zero(t.row_count(), output_dim());
    if (notes) notes->rows = t.row_count();
    Index out = 0;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
        const ColumnTransform& c = columns_[k];
        const std::size_t j = source[k];
        const Index width = c.categorical ? static_cast<Index>(c.categories.size()) + (c.other ? 1 : 0) : (c.indicator ? 2 : 1);
        for (Index i = 0; i < t.row_count(); ++i) {
            const std::string& cell = t.rows[static_cast<std::size_t>(i)][j];
            double v = 0;
            const bool number = parse_cell_number(cell, v);
            const bool missing = is_na(cell, options_.na_values) || (number && std::isnan(v));
            if (missing) {
                if (options_.impute == "none")
                    throw DataError(t.where(i, j) + "missing value '" + cell + "' in column '" + c.name +
                                    "' and the model was trained with --impute none; fix: fill in the cell or remove the row");
                if (notes) ++notes->missing[c.name];
            }
            if (!c.categorical) {
                if (!missing && (!number || !std::isfinite(v)))
                    throw DataError(t.where(i, j) + "'" + cell + "' in numeric column '" + c.name +
                                    "'; fix: give a number, or leave the cell empty to have it imputed");
                x(i, out) = static_cast<Scalar>(((missing ? c.median : v) - c.mean) / c.scale);
                if (c.indicator) x(i, out + 1) = missing ? Scalar(1) : Scalar(0);
                continue;
            }
            const std::string& value = missing ? c.fill : cell;
            const auto it = std::lower_bound(c.categories.begin(), c.categories.end(), value);
            if (it != c.categories.end() && *it == value) {
                x(i, out + (it - c.categories.begin())) = 1;
                continue;
            }
            if (c.other) x(i, out + width - 1) = 1;
            if (notes && !missing && !std::binary_search(c.pooled.begin(), c.pooled.end(), value)) {
                ++notes->unseen[c.name];
                auto& examples = notes->unseen_examples[c.name];
                if (examples.size() < 5 && std::find(examples.begin(), examples.end(), cell) == examples.end()) examples.push_back(cell);
            }
        }
        out += width;
    }
    return x;
}

nlohmann::json Preprocessor::to_json() const {
    nlohmann::json cols = nlohmann::json::array();
    for (const auto& c : columns_) {
        nlohmann::json j = {{"name", c.name}, {"type", c.categorical ? "categorical" : "numeric"}, {"missing", c.missing}};
        if (c.categorical)
            j.update({{"categories", c.categories}, {"other", c.other}, {"pooled", c.pooled}, {"fill", c.fill}, {"distinct", c.distinct}});
        else
            j.update({{"median", c.median}, {"mean", c.mean}, {"scale", c.scale}, {"indicator", c.indicator}});
        cols.push_back(j);
    }
    return {{"version", 1}, {"options", plexus::to_json(options_)}, {"columns", cols}};
}

Preprocessor Preprocessor::from_json(const nlohmann::json& j) {
    try {
        Preprocessor p(preprocess_options_from_json(j.at("options")));
        for (const auto& cj : j.at("columns")) {
            ColumnTransform c{.name = cj.at("name").get<std::string>()};
            c.categorical = cj.at("type").get<std::string>() == "categorical";
            c.missing = cj.value("missing", Index(0));
            if (c.categorical) {
                c.categories = cj.at("categories").get<std::vector<std::string>>();
                c.other = cj.at("other").get<bool>();
                c.pooled = cj.value("pooled", std::vector<std::string>{});
                c.fill = cj.at("fill").get<std::string>();
                c.distinct = cj.value("distinct", Index(0));
                if (c.categories.empty() && !c.other) throw ConfigError("column '" + c.name + "' has no categories");
            } else {
                c.median = cj.at("median").get<double>();
                c.mean = cj.at("mean").get<double>();
                c.scale = cj.at("scale").get<double>();
                c.indicator = cj.at("indicator").get<bool>();
            }
            p.columns_.push_back(std::move(c));
        }
        return p;
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(std::string("preprocessor: malformed saved form (") + e.what() + "); fix: retrain the model");
    }
}

std::string Preprocessor::describe() const {
    std::string s;
    for (const auto& c : columns_) {
        const std::string missing = c.missing > 0 ? ", " + std::to_string(c.missing) + " missing in training (imputed: " +
                                                        (c.categorical ? "'" + c.fill + "'" : g4(c.median)) + ")"
                                                  : "";
        if (c.categorical)
            s += "  " + c.name + ": categorical, " + std::to_string(c.distinct) + " categories" +
                 (c.other ? " (" + std::to_string(c.pooled.size()) + " rare pooled into 'other')" : "") + " -> " +
                 std::to_string(c.categories.size() + (c.other ? 1 : 0)) + " inputs" + missing + "\n";
        else
            s += "  " + c.name + ": numeric" +
                 (c.scale != 1.0 || c.mean != 0.0 ? ", standardized (mean " + g4(c.mean) + ", sd " + g4(c.scale) + ")" : "") + missing +
                 (c.indicator ? ", with " + c.name + "_missing" : "") + "\n";
    }
    return s;
}

}  // namespace plexus
