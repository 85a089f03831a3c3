// CSV tables through the Preprocessor; see table_source.hpp.
#include "plexus/run/table_source.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "plexus/core/registry.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/doctor/table_rules.hpp"
#include "plexus/model/fit_plan.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/evaluation.hpp"

namespace plexus::run {
namespace {

std::string number_name(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return fmt::format("{}", v);
}

// Index of `label` among `names`: equal text, or an equal number ("1.0" matches "1").
int class_index(const std::string& label, const std::vector<std::string>& names) {
    if (const auto it = std::find(names.begin(), names.end(), label); it != names.end()) return static_cast<int>(it - names.begin());
    double v = 0, w = 0;
    if (!parse_cell_number(label, v)) return -1;
    for (std::size_t k = 0; k < names.size(); ++k)
        if (parse_cell_number(names[k], w) && w == v) return static_cast<int>(k);
    return -1;
}

RawTable take_table_rows(const RawTable& t, const RowList& rows) {
    RawTable out{.columns = t.columns, .rows = {}, .lines = {}, .source = t.source};
    for (const Index i : rows) {
        out.rows.push_back(t.rows[static_cast<std::size_t>(i)]);
        out.lines.push_back(t.lines[static_cast<std::size_t>(i)]);
    }
    return out;
}

Dataset take_dataset_rows(const Dataset& d, const RowList& rows) {
    Dataset out = d;
    out.x = take_rows(d.inputs().map(), rows);  // a mapped Dataset's rows become an owned copy
    out.storage.reset();
    out.mapped = {};
    out.y = take_rows(d.y, rows);
    return out;
}

// The doctor's view of the training rows of a table.
doctor::TableFacts table_facts(const RawTable& t, const Preprocessor& p, const Dataset& labels, const RowList& rows) {
    doctor::TableFacts f{.source = t.source, .rows = static_cast<Index>(rows.size()), .classification = labels.is_classification(),
                         .class_names = labels.class_names, .impute = p.options().impute, .missing_indicator = p.options().missing_indicator};
    for (const auto& c : p.columns()) {
        doctor::TableColumnFacts cf{.name = c.name, .categorical = c.categorical, .missing = c.missing, .distinct = c.distinct};
        const std::size_t j = t.column(c.name);
        cf.classes_when_missing.assign(labels.class_names.size(), 0);
        cf.classes_when_present.assign(labels.class_names.size(), 0);
        double sum_m = 0, sum_p = 0, sum = 0, squares = 0;
        Index n_m = 0, n_p = 0;
        for (const Index i : rows) {
            const auto& cell = t.rows[static_cast<std::size_t>(i)][j];
            double v = 0;
            const bool missing = is_na(cell, p.options().na_values) || (parse_cell_number(cell, v) && std::isnan(v));
            const double y = static_cast<double>(labels.y(i, 0));
            if (f.classification) ++(missing ? cf.classes_when_missing : cf.classes_when_present)[static_cast<std::size_t>(y)];
            (missing ? sum_m : sum_p) += y;
            ++(missing ? n_m : n_p);
            sum += y;
            squares += y * y;
        }
        const double n = static_cast<double>(std::max<Index>(n_m + n_p, 1));
        cf.target_mean_missing = n_m ? sum_m / static_cast<double>(n_m) : 0;
        cf.target_mean_present = n_p ? sum_p / static_cast<double>(n_p) : 0;
        cf.target_sd = std::sqrt(std::max(0.0, squares / n - (sum / n) * (sum / n)));
        f.columns.push_back(std::move(cf));
    }
    return f;
}

nlohmann::json columns_json(const Preprocessor& p, const Dataset& labels) {
    nlohmann::json cols = nlohmann::json::array();
    for (const auto& c : p.columns()) {
        nlohmann::json j = {{"name", c.name}, {"type", c.categorical ? "categorical" : "numeric"}, {"missing", c.missing}};
        if (c.categorical) j.update({{"distinct", c.distinct}, {"categories", c.categories.size()}, {"pooled_into_other", c.pooled.size()}});
        cols.push_back(j);
    }
    cols.push_back({{"name", labels.target_name}, {"type", "target"},
                    {"task", labels.is_classification() ? "classification" : "regression"}});
    return cols;
}

// --test-split: a stratified (classification) or random held-out part, from its own seed stream
// (or the rows `held_out` names).
SplitIndices test_split_rows(const Dataset& labels, const FitConfig& fit, const RowList& held_out) {
    if (!held_out.empty()) {
        SplitIndices parts{.validation = held_out};
        std::vector<bool> out(static_cast<std::size_t>(labels.rows()), false);
        for (const Index i : held_out) {
            if (i < 0 || i >= labels.rows()) throw DataError(labels.source + ": held-out row " + std::to_string(i) + " is not a data row");
            out[static_cast<std::size_t>(i)] = true;
        }
        for (Index i = 0; i < labels.rows(); ++i)
            if (!out[static_cast<std::size_t>(i)]) parts.train.push_back(i);
        return parts;
    }
    Rng rng(seed_streams(fit.seed).split ^ 0x7e577e577e577e57ULL);
    const bool cls = labels.is_classification();
    return split_indices(labels.rows(), fit.test_split, cls ? Split::stratified : Split::random,
                         cls ? dataset_labels(labels) : std::vector<int>{}, rng);
}

}  // namespace

Dataset table_labels(const RawTable& t, std::size_t target, const std::string& task, const std::vector<std::string>& class_names) {
    Dataset d;
    d.source = t.source;
    d.target_name = t.columns[target];
    const Index n = t.row_count();
    d.y.resize(n, 1);
    d.x.resize(n, 0);
    bool all_numeric = true, all_integer = true;
    std::vector<double> numbers(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        const auto& cell = t.rows[static_cast<std::size_t>(i)][target];
        double v = 0;
        const bool number = parse_cell_number(cell, v);
        if (is_na(cell, default_na_values()) || (number && std::isnan(v)))
            throw DataError(t.where(i, target) + "missing target value '" + cell + "' in column '" + d.target_name +
                            "'; fix: remove the row or fill in its target");
        numbers[static_cast<std::size_t>(i)] = v;
        all_numeric = all_numeric && number;
        all_integer = all_integer && number && v == std::floor(v);
    }
    std::set<double> distinct(numbers.begin(), numbers.end());
    const bool cls = task == "classification" || !class_names.empty() ||
                     (task == "auto" && (!all_numeric || (all_integer && distinct.size() <= kMaxAutoClasses)));
    if (!cls) {
        if (!all_numeric) throw DataError(t.source + ": text in target column '" + d.target_name + "' with --task regression; fix: use --task classification");
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(numbers[static_cast<std::size_t>(i)]);
        return d;
    }
    d.class_names = class_names;
    if (d.class_names.empty()) {
        if (all_numeric) {
            for (double v : distinct) d.class_names.push_back(number_name(v));
        } else {
            std::set<std::string> names;
            for (const auto& row : t.rows) names.insert(row[target]);
            d.class_names.assign(names.begin(), names.end());
        }
    }
    for (Index i = 0; i < n; ++i) {
        const int k = class_index(t.rows[static_cast<std::size_t>(i)][target], d.class_names);
        if (k < 0)
            throw DataError(t.where(i, target) + "label '" + t.rows[static_cast<std::size_t>(i)][target] + "' is not one of the model's classes (" +
                            join(d.class_names) + "); fix: use rows with the model's classes");
        d.y(i, 0) = static_cast<Scalar>(k);
    }
    return d;
}

RowList planned_training_rows(const Dataset& data, const FitConfig& fit) {
    const bool cls = data.is_classification();
    Rng rng(seed_streams(fit.seed).split);  // plan_split's stream
    Split method = split_from_string(fit.split);
    if (method == Split::automatic) method = cls ? Split::stratified : Split::random;
    return split_indices(data.rows(), fit.validation_split, method, cls ? dataset_labels(data) : std::vector<int>{}, rng).train;
}

std::optional<Preprocessor> preprocessor_from_extra(const nlohmann::json& extra) {
    if (!extra.is_object() || !extra.contains("preprocessor")) return std::nullopt;
    return Preprocessor::from_json(extra["preprocessor"]);
}

namespace {

bool is_csv_path(const DataConfig& c) {
    if (c.data.empty() || is_builtin_dataset(c.data)) return false;
    std::string ext = c.data.size() >= 4 ? c.data.substr(c.data.size() - 4) : "";
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return ext != ".npy" && c.labels.empty();
}

// The raw table when the CSV goes through the preprocessor; nullopt for the plain path
// (also when the file cannot be read as a table: read_csv then reports it in its words).
std::optional<std::pair<RawTable, std::size_t>> training_table(const RunConfig& cfg, bool stored) {
    if (!is_csv_path(cfg.data)) return std::nullopt;
    try {
        RawTable t = read_csv_table(cfg.data.data);
        const std::size_t target = t.column(cfg.data.target);
        if (stored || needs_preprocessing(t, target, cfg.data.preprocess)) return std::make_pair(std::move(t), target);
    } catch (const Error&) {
    }
    return std::nullopt;
}

// A CSV of finite numbers, read in one pass, when preprocessing could change nothing in
// it (no --categorical or --missing-indicator, no --na-values entry that is a number):
// what load_dataset gives for it. nullopt for any other source or table, without reading
// such a table through (training_table reads it).
std::optional<Dataset> plain_numeric_csv(const RunConfig& cfg) {
    const PreprocessOptions& o = cfg.data.preprocess;
    if (!is_csv_path(cfg.data) || !o.categorical.empty() || o.missing_indicator) return std::nullopt;
    for (const auto& na : o.na_values) {
        double v = 0;
        if (parse_cell_number(na, v) && std::isfinite(v)) return std::nullopt;
    }
    const std::string& task = cfg.data.task;
    std::error_code ec;
    if ((task != "auto" && task != "classification" && task != "regression") || !std::filesystem::is_regular_file(cfg.data.data, ec))
        return std::nullopt;  // load_dataset words these
    return read_plain_csv(cfg.data.data, {.target = cfg.data.target, .task = task});
}

}  // namespace

PreparedData prepare_training_data(const RunConfig& cfg, const std::optional<Preprocessor>& stored, const RowList& held_out) {
    const bool testing = cfg.fit.test_split > 0 || !held_out.empty();
    PreparedData out;
    std::optional<Dataset> plain = stored ? std::nullopt : plain_numeric_csv(cfg);
    std::optional<std::pair<RawTable, std::size_t>> table;
    if (!plain) table = training_table(cfg, stored.has_value());
    if (!table) {
        out.data = plain ? std::move(*plain) : load_dataset(cfg.data, cfg.fit.seed, NpyLoad::map);
        if (testing) {
            const SplitIndices parts = test_split_rows(out.data, cfg.fit, held_out);
            out.test = take_dataset_rows(out.data, parts.validation);
            out.test_rows = parts.validation;
            out.data = take_dataset_rows(out.data, parts.train);
        }
        return out;
    }
    auto& [raw, target] = *table;
    Dataset labels = table_labels(raw, target, cfg.data.task);
    RawTable dev = raw, test_table;
    std::optional<Dataset> test_labels;
    if (testing) {
        const SplitIndices parts = test_split_rows(labels, cfg.fit, held_out);
        test_table = take_table_rows(raw, parts.validation);
        dev = take_table_rows(raw, parts.train);
        test_labels = take_dataset_rows(labels, parts.validation);
        labels = take_dataset_rows(labels, parts.train);
        out.test_rows = parts.validation;
    }
    out.preprocessor_rows = planned_training_rows(labels, cfg.fit);
    Preprocessor p = stored ? *stored : Preprocessor(cfg.data.preprocess);
    if (!stored) p.fit(dev, target, out.preprocessor_rows);
    labels.x = p.transform(dev);
    labels.feature_names = p.output_names();
    if (test_labels) {
        test_labels->x = p.transform(test_table);
        test_labels->feature_names = labels.feature_names;
        out.test = std::move(test_labels);
    }
    const auto facts = table_facts(dev, p, labels, out.preprocessor_rows);
    for (auto rule : {&doctor::data_missing_values, &doctor::data_high_cardinality})
        for (auto& f : rule(facts)) out.findings.push_back(std::move(f));
    out.columns = columns_json(p, labels);
    out.data = std::move(labels);
    out.preprocessor = std::move(p);
    return out;
}

Dataset table_for_model(const DataConfig& cfg, ModelFile& mf, const Preprocessor& p, bool require_labels, std::vector<Finding>* findings) {
    const RawTable t = read_csv_table(cfg.data);
    const auto& meta = mf.metadata();
    const std::string target_name = !cfg.target.empty() ? cfg.target : meta.extra.value("target_name", std::string());
    const bool has_target = !cfg.target.empty() || std::find(t.columns.begin(), t.columns.end(), target_name) != t.columns.end();
    if (require_labels && !has_target)
        throw DataError(cfg.data + ": no target column '" + target_name + "' (columns: " + join(t.columns) +
                        "); fix: add the label column, or name it with --target");
    TransformNotes notes;
    Dataset d;
    if (has_target) {
        const bool cls = mf.classification();
        d = table_labels(t, t.column(target_name), cls ? "classification" : "regression", cls ? meta.class_names : std::vector<std::string>{});
    }
    d.x = p.transform(t, &notes);
    d.feature_names = p.output_names();
    d.source = cfg.data;
    if (findings) {
        doctor::TableFacts f{.source = cfg.data, .rows = t.row_count(), .impute = p.options().impute,
                             .missing_indicator = p.options().missing_indicator};
        for (const auto& c : p.columns()) {
            doctor::TableColumnFacts cf{.name = c.name, .categorical = c.categorical};
            if (const auto it = notes.missing.find(c.name); it != notes.missing.end()) cf.missing = it->second;
            if (const auto it = notes.unseen.find(c.name); it != notes.unseen.end()) cf.unseen = it->second;
            if (const auto it = notes.unseen_examples.find(c.name); it != notes.unseen_examples.end()) cf.unseen_examples = it->second;
            f.columns.push_back(std::move(cf));
        }
        for (auto rule : {&doctor::predict_unseen_category, &doctor::data_missing_values})
            for (auto& finding : rule(f)) findings->push_back(std::move(finding));
    }
    return d;
}

nlohmann::json evaluate_test(Sequential& model, const Dataset& test, const std::optional<Standardizer>& standardizer) {
    const Matrix inputs = standardizer ? standardizer->transform(test.x) : test.x;
    return evaluation_json(model, inputs, encode_targets(test, model.loss().name(), model.output_dim()),
                           test.is_classification() ? dataset_labels(test) : std::vector<int>{}, test.class_names);
}

void add_table_report(nlohmann::json& report, const PreparedData& prepared, const nlohmann::json& test_evaluation) {
    if (prepared.preprocessor) {
        report["columns"] = prepared.columns;
        report["preprocessor"] = prepared.preprocessor->to_json();
    }
    if (prepared.test) {
        report["test"] = {{"rows", prepared.test->rows()}, {"fraction", static_cast<double>(prepared.test->rows()) /
                                                                            static_cast<double>(prepared.test->rows() + prepared.data.rows())}};
        report["test"]["row_indices"] = prepared.test_rows;  // 0-based data rows of the file
        if (!test_evaluation.is_null()) report["test"]["evaluation"] = test_evaluation;
    }
}

}  // namespace plexus::run
