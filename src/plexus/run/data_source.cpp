// Where a run's rows come from; see data_source.hpp.
#include "plexus/run/data_source.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "plexus/core/registry.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/csv_fields.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/table_source.hpp"

namespace plexus::run {
namespace fs = std::filesystem;

bool is_builtin_dataset(const std::string& name) {
    for (const auto& info : list_datasets())
        if (info.name == name) return true;
    return false;
}

namespace {

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    for (const auto& info : list_datasets()) names.push_back(info.name);
    return names;
}

bool has_extension(const std::string& path, const std::string& ext) {
    std::string e = fs::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e == ext;
}

enum class Source { builtin, csv, npy };

// What --data names; UsageError if it is neither an existing file nor a built-in dataset.
Source classify_source(const DataConfig& args) {
    if (args.data.empty())
        throw UsageError("--data is required; fix: give a built-in dataset (" + join(builtin_names()) + ") or a .csv/.npy file");
    std::error_code ec;
    const bool exists = fs::exists(args.data, ec);
    // A built-in name wins over a folder of the same name (e.g. a run folder `--out moons`);
    // a regular file of that name is still read as data.
    if (is_builtin_dataset(args.data) && (!exists || fs::is_directory(args.data, ec))) return Source::builtin;
    if (!exists) {
        std::string hint;
        std::size_t best = 3;
        for (const auto& name : builtin_names())
            if (const auto d = edit_distance(args.data, name); d < best) {
                best = d;
                hint = " (did you mean '" + name + "'?)";
            }
        throw UsageError("--data " + args.data + ": no such file, and not a built-in dataset" + hint +
                         "; fix: give the path of an existing .csv or .npy file, or one of: " + join(builtin_names()));
    }
    if (fs::is_directory(args.data, ec))
        throw UsageError("--data " + args.data + ": is a directory; fix: give a .csv or .npy file inside it");
    return has_extension(args.data, ".npy") ? Source::npy : Source::csv;
}

Dataset make_builtin(const DataConfig& args, std::uint64_t seed) {
    try {
        return make_dataset(args.data, {.samples = args.samples, .noise = args.noise, .seed = seed, .classes = args.classes});
    } catch (const ConfigError& e) {
        // The library names its options ("option samples = 1"); say them as the flags.
        std::string msg = e.what();
        for (const char* name : {"samples", "noise", "classes"}) {
            const std::string from = std::string("option ") + name, to = std::string("--") + name;
            if (const auto pos = msg.find(from); pos != std::string::npos) msg.replace(pos, from.size(), to);
        }
        throw UsageError("--data " + args.data + ": " + msg);
    }
}

std::string csv_task(const std::string& task) {
    if (task != "auto" && task != "classification" && task != "regression")
        throw UsageError("--task " + task + ": unknown task; valid: auto, classification, regression");
    return task;
}

// The names on the first non-blank line (the header), split as read_csv splits it
// (csv_fields: the same delimiter detection, trimming and quotes); empty if the
// file has no such line or it is malformed (read_csv then reports what is wrong).
std::vector<std::string> csv_header(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (first && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        first = false;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            return csv_detail::split_fields(path, 1, line, csv_detail::detect_delimiter(line));
        } catch (const DataError&) {
            return {};
        }
    }
    return {};
}

// Number of fields on the first non-blank line; 0 if none (or malformed).
std::size_t csv_columns(const std::string& path) { return csv_header(path).size(); }

// The target column for a trained model's CSV: --target, else the column the model was
// trained on when the file has it. A file of the model's features plus one column is read
// as before (the last column is the target).
std::string model_target(const DataConfig& args, const ModelFile& mf, bool require_labels) {
    if (!args.target.empty()) return args.target;
    const auto& extra = mf.metadata().extra;
    if (!extra.is_object() || !extra.contains("target_name") || !extra["target_name"].is_string()) return "";
    const std::string target = extra["target_name"].get<std::string>();
    if (target.empty()) return "";
    const auto names = csv_header(args.data);
    if (std::find(names.begin(), names.end(), target) != names.end()) return target;
    if (require_labels)
        throw DataError(args.data + ": column '" + target + "' (the target the model " + mf.path +
                        " was trained on) is missing; fix: give data with that column, or name the target column with --target");
    return "";
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 8; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > 8) s += ", ...";
    return s;
}

// A built-in dataset for a trained classifier: its class names mapped onto the model's.
Dataset builtin_for_model(const DataConfig& args, std::uint64_t seed, const ModelFile& mf) {
    const auto& meta = mf.metadata();
    const bool cls = mf.classification();
    Dataset data = make_builtin(args, seed);
    if (cls != data.is_classification())
        throw UsageError("--data " + args.data + ": is a " + (data.is_classification() ? "classification" : "regression") +
                         " dataset but the model " + mf.path + " is a " + (cls ? "classifier" : "regression model") +
                         "; fix: give data of the kind the model was trained on");
    if (!cls) return data;
    std::vector<int> to_model;
    for (const auto& name : data.class_names) {
        const auto it = std::find(meta.class_names.begin(), meta.class_names.end(), name);
        to_model.push_back(it == meta.class_names.end() ? -1 : static_cast<int>(it - meta.class_names.begin()));
    }
    for (Index i = 0; i < data.rows(); ++i) {
        const int m = to_model[static_cast<std::size_t>(data.label(i))];
        if (m < 0)
            throw DataError("--data " + args.data + ": row " + std::to_string(i) + " has class '" +
                            data.class_names[static_cast<std::size_t>(data.label(i))] +
                            "', which the model does not know (its classes: " + join(meta.class_names) +
                            "); fix: use data with the model's classes (e.g. the same --classes as in training)");
        data.y(i, 0) = static_cast<Scalar>(m);
    }
    data.class_names = meta.class_names;
    return data;
}

// An .npy of features alone (no --labels): x only.
Dataset npy_features(const std::string& path, Index d) {
    const NpyArray a = read_npy(path);
    if (a.shape.size() != 2)
        throw DataError(path + ": expected a 2-D array (rows, features), received " + std::to_string(a.shape.size()) +
                        "-D; fix: save X with shape (n, " + std::to_string(d) + ")");
    Dataset data;
    data.x.resize(a.shape[0], a.shape[1]);
    for (Index i = 0; i < a.shape[0]; ++i)
        for (Index j = 0; j < a.shape[1]; ++j) {
            const double v = a.data[static_cast<std::size_t>(i * a.shape[1] + j)];
            if (!std::isfinite(v))
                throw DataError(path + ": " + (std::isnan(v) ? "NaN" : "Inf") + " at row " + std::to_string(i) + ", column " +
                                std::to_string(j) + "; fix: remove or impute non-finite features");
            data.x(i, j) = static_cast<Scalar>(v);
        }
    data.feature_names = feature_names_or_default({}, data.x.cols());
    data.source = path;
    return data;
}

Dataset npy_for_model(const DataConfig& args, const ModelFile& mf, bool require_labels, NpyLoad npy) {
    if (!args.labels.empty()) {
        if (!fs::exists(args.labels)) throw UsageError("--labels " + args.labels + ": no such file; fix: give the .npy file of targets");
        return read_npy_dataset(args.data, args.labels, mf.classification() ? "classification" : "regression", mf.metadata().class_names,
                                npy);
    }
    if (require_labels) throw UsageError("--data " + args.data + ": evaluating needs the targets too; fix: add --labels y.npy");
    return npy_features(args.data, mf.input_dim());
}

// A CSV for a trained model: with its label column (last, or --target) or feature columns alone.
Dataset csv_for_model(const DataConfig& args, const ModelFile& mf, bool require_labels) {
    const auto& meta = mf.metadata();
    const Index d = mf.input_dim();
    const bool cls = mf.classification();
    const std::string target = model_target(args, mf, require_labels);
    bool labelled = require_labels || !target.empty();
    if (!labelled) {
        const auto cols = static_cast<Index>(csv_columns(args.data));
        if (cols > 0 && cols != d && cols != d + 1)
            throw DataError(args.data + ": has " + std::to_string(cols) + " columns but the model " + mf.path + " takes " +
                            std::to_string(d) + " feature(s) (" + quoted_list(feature_names_or_default(meta.feature_names, d)) +
                            "); fix: give the model's " + std::to_string(d) + " feature columns, optionally followed by the label column");
        labelled = cols == 0 || cols == d + 1;
    }
    if (labelled)
        return read_csv(args.data, {.target = target, .task = cls ? "classification" : "regression",
                                    .class_names = cls ? meta.class_names : std::vector<std::string>{}});
    // Features only: read every column, the last one as a numeric "target", and put it back.
    Dataset all = read_csv(args.data, {.task = "regression"});
    Dataset data;
    Matrix x(all.rows(), all.features() + all.y.cols());
    x << all.x, all.y;
    data.x = std::move(x);
    data.feature_names = all.feature_names;
    data.feature_names.push_back(all.target_name);
    data.source = args.data;
    return data;
}

// Same columns in a different order: follow the model's order.
void reorder_columns(Dataset& data, const std::vector<std::string>& model_names) {
    if (model_names.empty() || data.feature_names.size() != model_names.size() || data.feature_names == model_names) return;
    std::vector<Index> order;
    for (const auto& name : model_names) {
        const auto it = std::find(data.feature_names.begin(), data.feature_names.end(), name);
        if (it == data.feature_names.end()) return;
        order.push_back(it - data.feature_names.begin());
    }
    const auto in = data.inputs().map();
    Matrix x(in.rows(), in.cols());
    for (std::size_t j = 0; j < order.size(); ++j) x.col(static_cast<Index>(j)) = in.col(order[j]);
    data.x = std::move(x);
    data.storage.reset();
    data.mapped = {};
    data.feature_names = model_names;
}

}  // namespace

Dataset load_dataset(const DataConfig& args, std::uint64_t seed, NpyLoad npy) {
    switch (classify_source(args)) {
        case Source::builtin: {
            if (!args.labels.empty()) throw UsageError("--labels is only for --data X.npy; built-in dataset " + args.data + " has its labels");
            return make_builtin(args, seed);
        }
        case Source::npy: {
            if (args.labels.empty())
                throw UsageError("--data " + args.data + ": NPY features need their targets in a second file; fix: add --labels y.npy");
            if (!fs::exists(args.labels))
                throw UsageError("--labels " + args.labels + ": no such file; fix: give the .npy file of targets");
            return read_npy_dataset(args.data, args.labels, csv_task(args.task), {}, npy);
        }
        case Source::csv:
            if (!args.labels.empty()) throw UsageError("--labels is only for --data X.npy; a CSV holds its labels in a column (see --target)");
            return read_csv(args.data, {.target = args.target, .task = csv_task(args.task)});
    }
    return {};
}


Dataset load_data_for_model(const DataConfig& args, std::uint64_t seed, ModelFile& mf, bool require_labels, std::vector<Finding>* findings,
                            NpyLoad npy) {
    const auto& meta = mf.metadata();
    const Index d = mf.input_dim();
    Dataset data;
    const Source source = classify_source(args);
    if (const auto preprocessor = preprocessor_from_extra(meta.extra)) {  // raw table rows through the stored preprocessing
        if (source != Source::csv)
            throw UsageError("--data " + args.data + ": the model " + mf.path + " takes raw CSV rows (columns: " +
                             quoted_list([&] { std::vector<std::string> v; for (const auto& c : preprocessor->columns()) v.push_back(c.name); return v; }()) +
                             "); fix: give a .csv file with those columns");
        return table_for_model(args, mf, *preprocessor, require_labels, findings);
    }
    switch (source) {
        case Source::builtin: data = builtin_for_model(args, seed, mf); break;
        case Source::npy: data = npy_for_model(args, mf, require_labels, npy); break;
        case Source::csv: data = csv_for_model(args, mf, require_labels); break;
    }
    if (data.features() != d) {
        const auto model_names = feature_names_or_default(meta.feature_names, d);
        throw DataError(args.data + ": has " + std::to_string(data.features()) + " feature column(s) (" + quoted_list(data.feature_names) +
                        ") but the model " + mf.path + " takes " + std::to_string(d) + " (" + quoted_list(model_names) +
                        "); fix: give data with the model's " + std::to_string(d) + " features" +
                        (require_labels ? ", plus the label column (last, or named by --target)" : ""));
    }
    reorder_columns(data, meta.feature_names);
    if (!mf.classification() && data.y.rows() > 0 && data.y.cols() != mf.model().output_dim())
        throw DataError(args.data + ": has " + std::to_string(data.y.cols()) + " target column(s) but the model predicts " +
                        std::to_string(mf.model().output_dim()) + "; fix: give data with the model's targets");
    return data;
}

}  // namespace plexus::run
