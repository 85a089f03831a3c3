// Shared pieces of the `plexus` command; see common.hpp.
#include "common.hpp"

#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "plexus/core/registry.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/losses/loss.hpp"

namespace plexus::cli {
namespace fs = std::filesystem;

std::string one_line(std::string message) {
    for (char& c : message)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    while (!message.empty() && message.back() == ' ') message.pop_back();
    return message;
}

// ---- Data options -------------------------------------------------------

nlohmann::json to_json(const DataArgs& a) {
    nlohmann::json j = {{"data", a.data}, {"labels", a.labels}, {"target", a.target}, {"task", a.task}};
    j["samples"] = a.samples ? nlohmann::json(*a.samples) : nlohmann::json();
    j["noise"] = a.noise ? nlohmann::json(*a.noise) : nlohmann::json();
    j["classes"] = a.classes ? nlohmann::json(*a.classes) : nlohmann::json();
    return j;
}

DataArgs data_args_from_json(const nlohmann::json& j) {
    DataArgs a;
    a.data = j.value("data", std::string());
    a.labels = j.value("labels", std::string());
    a.target = j.value("target", std::string());
    a.task = j.value("task", std::string("auto"));
    if (j.contains("samples") && !j["samples"].is_null()) a.samples = j["samples"].get<Index>();
    if (j.contains("noise") && !j["noise"].is_null()) a.noise = j["noise"].get<double>();
    if (j.contains("classes") && !j["classes"].is_null()) a.classes = j["classes"].get<int>();
    return a;
}

void add_data_options(CLI::App& command, DataArgs& args, bool required) {
    auto* data = command.add_option("--data,-d", args.data,
                                    "A built-in dataset (see `plexus datasets`), a .csv file, or an .npy file of features");
    if (required) data->required();
    command.add_option("--labels", args.labels, "The .npy file of targets that goes with --data X.npy");
    command.add_option("--target", args.target, "CSV target column: a header name or a 0-based index (default: the last column)");
    command.add_option("--task", args.task, "auto, classification or regression (auto: integer labels with few values, or strings, are classes)");
    command.add_option("--samples", args.samples, "Built-in datasets: number of rows")->check(in_range(at_least(1), "--samples 200"));
    command.add_option("--noise", args.noise, "Built-in datasets: standard deviation of the noise")->check(in_range(non_negative(), "--noise 0.1"));
    command.add_option("--classes", args.classes, "Built-in datasets: arms of `spirals`, blobs of `gaussians`")->check(in_range(at_least(2), "--classes 3"));
}

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
Source classify_source(const DataArgs& args) {
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

Dataset make_builtin(const DataArgs& args, std::uint64_t seed) {
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

// Number of fields on the first non-blank line (delimiter detected as read_csv does); 0 if none.
std::size_t csv_columns(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (first && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        first = false;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::map<char, std::size_t> counts{{',', 0}, {';', 0}, {'\t', 0}};
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (!quoted && counts.count(c)) ++counts[c];
        }
        char delim = ',';
        std::size_t best = 0;
        for (char c : {',', ';', '\t'})
            if (counts[c] > best) {
                best = counts[c];
                delim = c;
            }
        return counts[delim] + 1;
    }
    return 0;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 8; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > 8) s += ", ...";
    return s;
}

}  // namespace

Dataset load_dataset(const DataArgs& args, std::uint64_t seed) {
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
            return read_npy_dataset(args.data, args.labels, csv_task(args.task));
        }
        case Source::csv:
            if (!args.labels.empty()) throw UsageError("--labels is only for --data X.npy; a CSV holds its labels in a column (see --target)");
            return read_csv(args.data, {.target = args.target, .task = csv_task(args.task)});
    }
    return {};
}

// ---- Model files --------------------------------------------------------

nlohmann::json to_json(const Standardizer& s) {
    std::vector<double> mean, scale;
    for (Index j = 0; j < s.mean.size(); ++j) {
        mean.push_back(static_cast<double>(s.mean(j)));
        scale.push_back(static_cast<double>(s.scale(j)));
    }
    return {{"mean", mean}, {"scale", scale}};
}

std::optional<Standardizer> standardizer_from_extra(const nlohmann::json& extra) {
    if (!extra.is_object() || !extra.contains("standardizer") || extra["standardizer"].is_null()) return std::nullopt;
    const auto mean = extra["standardizer"].at("mean").get<std::vector<double>>();
    const auto scale = extra["standardizer"].at("scale").get<std::vector<double>>();
    if (mean.size() != scale.size() || mean.empty()) throw IoError("the stored standardizer has mismatched mean and scale");
    Standardizer s;
    s.mean.resize(static_cast<Index>(mean.size()));
    s.scale.resize(static_cast<Index>(scale.size()));
    for (std::size_t j = 0; j < mean.size(); ++j) {
        s.mean(static_cast<Index>(j)) = static_cast<Scalar>(mean[j]);
        s.scale(static_cast<Index>(j)) = static_cast<Scalar>(scale[j]);
    }
    return s;
}

ModelFile open_model(const std::string& path, const std::string& option) {
    std::string file = path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        file = (fs::path(path) / "model.plexus").string();
        if (!fs::exists(file, ec))
            throw UsageError(option + " " + path + ": is a folder without model.plexus; fix: give a model file or a run folder written by `plexus train`");
    } else if (!fs::exists(path, ec)) {
        throw UsageError(option + " " + path + ": no such file; fix: give a model file written by `plexus train` (e.g. run/model.plexus)");
    }
    ModelFile mf;
    mf.path = file;
    try {
        mf.loaded = load_model(file);
        mf.standardizer = standardizer_from_extra(mf.loaded.metadata.extra);
    } catch (const IoError& e) {
        std::string msg = e.what();
        if (msg.find("retrain") == std::string::npos && msg.find("fix") == std::string::npos)
            msg += "; fix: the file is damaged or incomplete (an interrupted copy?): copy it again or retrain with `plexus train`";
        throw IoError(option + ": " + msg);
    } catch (const nlohmann::json::exception& e) {
        throw IoError(option + ": " + file + ": corrupted model file (metadata: " + e.what() + "); fix: retrain with `plexus train`");
    }
    if (mf.standardizer && mf.standardizer->features() != mf.input_dim())
        throw IoError(option + ": " + file + ": corrupted model file (standardizer width differs from the model's input); fix: retrain");
    return mf;
}

nlohmann::json support_sample_json(const Matrix& x) {
    // At most 2000 rows and 100000 numbers: small next to the weights of any model that needs more.
    const Index budget = std::max<Index>(1, std::min<Index>(2000, 100000 / std::max<Index>(1, x.cols())));
    std::vector<Index> rows;
    if (x.rows() <= budget) {
        for (Index i = 0; i < x.rows(); ++i) rows.push_back(i);
    } else {
        for (Index k = 0; k < budget; ++k) rows.push_back(k * x.rows() / budget);
        for (Index j = 0; j < x.cols(); ++j) {
            Index lo = 0, hi = 0;
            x.col(j).minCoeff(&lo);
            x.col(j).maxCoeff(&hi);
            rows.push_back(lo);
            rows.push_back(hi);
        }
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
    nlohmann::json out = nlohmann::json::array();
    for (Index i : rows) {
        std::vector<float> row;
        for (Index j = 0; j < x.cols(); ++j) row.push_back(static_cast<float>(x(i, j)));
        out.push_back(row);
    }
    return out;
}

std::optional<Matrix> support_sample_from_extra(const nlohmann::json& extra) {
    if (!extra.is_object() || !extra.contains("support_sample") || !extra["support_sample"].is_array() || extra["support_sample"].empty())
        return std::nullopt;
    const auto& rows = extra["support_sample"];
    const auto cols = static_cast<Index>(rows[0].size());
    Matrix m(static_cast<Index>(rows.size()), cols);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<Index>(rows[i].size()) != cols) return std::nullopt;
        for (Index j = 0; j < cols; ++j) m(static_cast<Index>(i), j) = static_cast<Scalar>(rows[i][static_cast<std::size_t>(j)].get<double>());
    }
    return m;
}

Matrix model_inputs(const ModelFile& model, const Matrix& x) {
    return model.standardizer ? model.standardizer->transform(x) : x;
}

Matrix predict_outputs(Sequential& model, const Matrix& inputs) {
    Matrix out = model.predict(inputs);
    if (!model.compile_options().from_logits) return out;
    if (out.cols() == 1) {
        for (Index i = 0; i < out.rows(); ++i) out(i, 0) = static_cast<Scalar>(1.0 / (1.0 + std::exp(-static_cast<double>(out(i, 0)))));
    } else {
        for (Index i = 0; i < out.rows(); ++i) {
            const Scalar m = out.row(i).maxCoeff();
            out.row(i) = (out.row(i).array() - m).exp().matrix();
            out.row(i) /= out.row(i).sum();
        }
    }
    return out;
}

Dataset load_data_for_model(const DataArgs& args, std::uint64_t seed, ModelFile& mf, bool require_labels) {
    const auto& meta = mf.metadata();
    const Index d = mf.input_dim();
    const bool cls = mf.classification();
    Dataset data;
    switch (classify_source(args)) {
        case Source::builtin: {
            data = make_builtin(args, seed);
            if (cls != data.is_classification())
                throw UsageError("--data " + args.data + ": is a " + (data.is_classification() ? "classification" : "regression") +
                                 " dataset but the model " + mf.path + " is a " + (cls ? "classifier" : "regression model") +
                                 "; fix: give data of the kind the model was trained on");
            if (cls) {
                // Map the dataset's class names onto the model's.
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
            }
            break;
        }
        case Source::npy: {
            if (!args.labels.empty()) {
                if (!fs::exists(args.labels)) throw UsageError("--labels " + args.labels + ": no such file; fix: give the .npy file of targets");
                data = read_npy_dataset(args.data, args.labels, cls ? "classification" : "regression", meta.class_names);
            } else if (require_labels) {
                throw UsageError("--data " + args.data + ": evaluating needs the targets too; fix: add --labels y.npy");
            } else {
                const NpyArray a = read_npy(args.data);
                if (a.shape.size() != 2)
                    throw DataError(args.data + ": expected a 2-D array (rows, features), received " + std::to_string(a.shape.size()) +
                                    "-D; fix: save X with shape (n, " + std::to_string(d) + ")");
                data.x.resize(a.shape[0], a.shape[1]);
                for (Index i = 0; i < a.shape[0]; ++i)
                    for (Index j = 0; j < a.shape[1]; ++j) {
                        const double v = a.data[static_cast<std::size_t>(i * a.shape[1] + j)];
                        if (!std::isfinite(v))
                            throw DataError(args.data + ": " + (std::isnan(v) ? "NaN" : "Inf") + " at row " + std::to_string(i) +
                                            ", column " + std::to_string(j) + "; fix: remove or impute non-finite features");
                        data.x(i, j) = static_cast<Scalar>(v);
                    }
                data.feature_names = feature_names_or_default({}, data.x.cols());
                data.source = args.data;
            }
            break;
        }
        case Source::csv: {
            const std::string task = cls ? "classification" : "regression";
            bool labelled = require_labels || !args.target.empty();
            if (!labelled) {
                const auto cols = static_cast<Index>(csv_columns(args.data));
                if (cols > 0 && cols != d && cols != d + 1)
                    throw DataError(args.data + ": has " + std::to_string(cols) + " columns but the model " + mf.path + " takes " +
                                    std::to_string(d) + " feature(s) (" + quoted_list(feature_names_or_default(meta.feature_names, d)) +
                                    "); fix: give the model's " + std::to_string(d) + " feature columns, optionally followed by the label column");
                labelled = cols == 0 || cols == d + 1;
            }
            if (labelled) {
                data = read_csv(args.data, {.target = args.target, .task = task, .class_names = cls ? meta.class_names : std::vector<std::string>{}});
            } else {
                // Features only: read every column, the last one as a numeric "target", and put it back.
                Dataset all = read_csv(args.data, {.task = "regression"});
                Matrix x(all.rows(), all.features() + all.y.cols());
                x << all.x, all.y;
                data.x = std::move(x);
                data.feature_names = all.feature_names;
                data.feature_names.push_back(all.target_name);
                data.source = args.data;
            }
            break;
        }
    }
    if (data.x.cols() != d) {
        const auto model_names = feature_names_or_default(meta.feature_names, d);
        throw DataError(args.data + ": has " + std::to_string(data.x.cols()) + " feature column(s) (" + quoted_list(data.feature_names) +
                        ") but the model " + mf.path + " takes " + std::to_string(d) + " (" + quoted_list(model_names) +
                        "); fix: give data with the model's " + std::to_string(d) + " features" +
                        (require_labels ? ", plus the label column (last, or named by --target)" : ""));
    }
    // Same columns in a different order: follow the model's order.
    if (!meta.feature_names.empty() && data.feature_names.size() == meta.feature_names.size() && data.feature_names != meta.feature_names) {
        std::vector<Index> order;
        for (const auto& name : meta.feature_names) {
            const auto it = std::find(data.feature_names.begin(), data.feature_names.end(), name);
            if (it == data.feature_names.end()) break;
            order.push_back(it - data.feature_names.begin());
        }
        if (order.size() == meta.feature_names.size()) {
            Matrix x(data.x.rows(), data.x.cols());
            for (std::size_t j = 0; j < order.size(); ++j) x.col(static_cast<Index>(j)) = data.x.col(order[j]);
            data.x = std::move(x);
            data.feature_names = meta.feature_names;
        }
    }
    if (!cls && data.y.rows() > 0 && data.y.cols() != mf.model().output_dim())
        throw DataError(args.data + ": has " + std::to_string(data.y.cols()) + " target column(s) but the model predicts " +
                        std::to_string(mf.model().output_dim()) + "; fix: give data with the model's targets");
    return data;
}

// ---- Targets and evaluation --------------------------------------------

Matrix encode_targets(const Dataset& data, const std::string& loss, Index output_units) {
    if (!data.is_classification()) return data.y;
    if (loss == "sparse_categorical_crossentropy" || output_units == 1) return data.y;
    return to_categorical(data.y, std::max<Index>(output_units, data.num_classes()));
}

std::vector<int> dataset_labels(const Dataset& data) {
    std::vector<int> labels(static_cast<std::size_t>(data.rows()));
    for (Index i = 0; i < data.rows(); ++i) labels[static_cast<std::size_t>(i)] = data.label(i);
    return labels;
}

nlohmann::json evaluation_json(Sequential& model, const Matrix& inputs, const Matrix& y_encoded, const std::vector<int>& labels,
                               const std::vector<std::string>& class_names) {
    nlohmann::json j = {{"rows", inputs.rows()}};
    nlohmann::json metrics = nlohmann::json::object();
    if (inputs.rows() == 0) {
        j["metrics"] = metrics;
        return j;
    }
    for (const auto& [k, v] : model.evaluate(inputs, y_encoded)) metrics[k] = v;
    if (class_names.empty() && !model.loss().is_classification()) {
        // Regression: mse, mae and R² whatever the compiled metrics.
        const Matrix out = model.predict(inputs);
        if (out.cols() == y_encoded.cols()) {
            const Eigen::MatrixXd diff = (out - y_encoded).cast<double>();
            const Eigen::MatrixXd yd = y_encoded.cast<double>();
            const double sse = diff.squaredNorm();
            const double sst = (yd.rowwise() - yd.colwise().mean()).squaredNorm();
            metrics["mse"] = sse / static_cast<double>(diff.size());
            metrics["mae"] = diff.cwiseAbs().sum() / static_cast<double>(diff.size());
            metrics["r2"] = sst > 0 ? 1.0 - sse / sst : std::numeric_limits<double>::quiet_NaN();
        }
    }
    if (!class_names.empty()) {
        const auto k = static_cast<int>(class_names.size());
        const std::vector<int> predicted = predicted_classes(predict_outputs(model, inputs));
        const Eigen::MatrixXi cm = confusion_matrix(labels, predicted, k);
        const ClassReport report = class_report(cm);
        double p = 0, r = 0, f = 0;
        nlohmann::json per_class = nlohmann::json::array();
        for (int c = 0; c < k; ++c) {
            const auto i = static_cast<std::size_t>(c);
            p += report.precision[i];
            r += report.recall[i];
            f += report.f1[i];
            per_class.push_back({{"class", class_names[i]},
                                 {"precision", report.precision[i]},
                                 {"recall", report.recall[i]},
                                 {"f1", report.f1[i]},
                                 {"support", report.support[i]}});
        }
        if (!metrics.contains("accuracy")) metrics["accuracy"] = static_cast<double>(cm.trace()) / static_cast<double>(cm.sum());
        metrics["precision_macro"] = p / k;
        metrics["recall_macro"] = r / k;
        metrics["f1_macro"] = f / k;
        nlohmann::json matrix = nlohmann::json::array();
        for (int a = 0; a < k; ++a) {
            nlohmann::json row = nlohmann::json::array();
            for (int b = 0; b < k; ++b) row.push_back(cm(a, b));
            matrix.push_back(row);
        }
        j["per_class"] = per_class;
        j["confusion_matrix"] = matrix;
    }
    j["metrics"] = metrics;
    return j;
}

// ---- Output -------------------------------------------------------------

std::string fmt_num(double v) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{:.4f}", v);
}

std::string csv_num(double v) {
    if (std::isnan(v)) return "";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string csv_num(float v) {
    if (std::isnan(v)) return "";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

OutputDir::OutputDir(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    existed_ = fs::exists(dir_, ec);
}

OutputDir::~OutputDir() {
    if (committed_) return;
    std::error_code ec;
    for (const auto& f : new_files_) fs::remove(f, ec);
    if (created_ && !existed_) fs::remove_all(dir_, ec);
}

void OutputDir::create() {
    std::error_code ec;
    if (fs::is_directory(dir_, ec)) return;
    if (fs::exists(dir_, ec))
        throw UsageError("--out " + dir_.string() + ": exists and is not a folder; fix: give a folder path (it is created if missing)");
    fs::create_directories(dir_, ec);
    if (ec) throw IoError(dir_.string() + ": cannot create the folder (" + ec.message() + "); fix: choose a writable --out path");
    created_ = true;
}

std::string OutputDir::file(const std::string& name) {
    const fs::path p = dir_ / name;
    std::error_code ec;
    if (!fs::exists(p, ec) && std::find(new_files_.begin(), new_files_.end(), p) == new_files_.end()) new_files_.push_back(p);
    return p.string();
}

std::string OutputDir::write(const std::string& name, const std::string& text) {
    const std::string p = file(name);
    write_file_atomic(p, text);
    return p;
}

namespace {
std::string& command_line_storage() {
    static std::string s;
    return s;
}
}  // namespace

std::string command_line() { return command_line_storage(); }

void set_command_line(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (i == 0) a = "plexus";
        if (a.find_first_of(" \t\"'") != std::string::npos) a = "'" + a + "'";
        s += (i ? " " : "") + a;
    }
    command_line_storage() = s;
}

std::vector<std::string> feature_names_or_default(const std::vector<std::string>& names, Index features) {
    if (static_cast<Index>(names.size()) == features) return names;
    std::vector<std::string> out;
    for (Index j = 0; j < features; ++j) out.push_back("x" + std::to_string(j + 1));
    return out;
}

std::string predictions_csv(const std::vector<std::string>& feature_names, const Matrix& x, const Matrix& outputs,
                            const std::vector<std::string>& class_names) {
    std::string out;
    for (const auto& n : feature_names) out += csv_field(n) + ",";
    const bool cls = !class_names.empty();
    if (cls) {
        for (const auto& c : class_names) out += csv_field("p_" + c) + ",";
        out += "class\n";
    } else if (outputs.cols() == 1) {
        out += "prediction\n";
    } else {
        for (Index j = 0; j < outputs.cols(); ++j) out += "prediction_" + std::to_string(j + 1) + (j + 1 < outputs.cols() ? "," : "\n");
    }
    const std::vector<int> predicted = cls ? predicted_classes(outputs) : std::vector<int>{};
    for (Index i = 0; i < x.rows(); ++i) {
        for (Index j = 0; j < x.cols(); ++j) out += csv_num(x(i, j)) + ",";
        if (cls) {
            if (outputs.cols() == 1) {
                const Scalar p = outputs(i, 0);
                out += csv_num(Scalar(1) - p) + "," + csv_num(p) + ",";
            } else {
                for (Index j = 0; j < outputs.cols(); ++j) out += csv_num(outputs(i, j)) + ",";
            }
            out += csv_field(class_names[static_cast<std::size_t>(predicted[static_cast<std::size_t>(i)])]) + "\n";
        } else {
            for (Index j = 0; j < outputs.cols(); ++j)
                out += csv_num(outputs(i, j)) + (j + 1 < outputs.cols() ? "," : "\n");
        }
    }
    return out;
}

}  // namespace plexus::cli
