// `plexus predict`: a saved model's class probabilities and predicted class
// (or regression outputs) for the rows of a data file, a built-in dataset or
// a regular 2-D grid; a short table on the terminal, CSV with --out, or --json.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "options.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/support.hpp"
#include "plexus/doctor/doctor.hpp"

namespace plexus::cli {
namespace {

struct PredictCli {
    std::string model;
    DataConfig data;
    std::string grid;
    std::string out;
    std::uint64_t seed = 0;
    bool json = false;
    int head = 10;
    ModelLimits limits;
};

struct Axis {
    double lo = 0, hi = 0;
    Index n = 0;
};

// "xmin:xmax:n,ymin:ymax:m"; rows ordered y outer, x inner (numpy meshgrid, flattened).
Matrix parse_grid(const std::string& spec) {
    const std::string fix = "; fix: give --grid xmin:xmax:n,ymin:ymax:m, e.g. --grid 0:9.42477796:50,-1:1:36";
    const auto comma = spec.find(',');
    if (comma == std::string::npos) throw UsageError("--grid " + spec + ": expected two axes separated by a comma" + fix);
    auto axis = [&](const std::string& text, const char* name) {
        Axis a;
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const auto c = text.find(':', start);
            parts.push_back(text.substr(start, c == std::string::npos ? std::string::npos : c - start));
            if (c == std::string::npos) break;
            start = c + 1;
        }
        if (parts.size() != 3) throw UsageError(fmt::format("--grid {}: the {} axis '{}' needs min:max:count{}", spec, name, text, fix));
        auto number = [&](const std::string& s, double& v) {
            const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
            return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v);
        };
        double count = 0;
        if (!number(parts[0], a.lo) || !number(parts[1], a.hi) || !number(parts[2], count) || count < 1 || count != std::floor(count) ||
            count > 100000)
            throw UsageError(fmt::format("--grid {}: the {} axis '{}' needs two finite numbers and a whole count in [1, 100000]{}", spec, name,
                                         text, fix));
        a.n = static_cast<Index>(count);
        return a;
    };
    const Axis x = axis(spec.substr(0, comma), "x"), y = axis(spec.substr(comma + 1), "y");
    if (x.n * y.n > 10'000'000) throw UsageError("--grid " + spec + ": more than 10 million points" + fix);
    auto at = [](const Axis& a, Index i) { return a.n == 1 ? a.lo : a.lo + (a.hi - a.lo) * static_cast<double>(i) / static_cast<double>(a.n - 1); };
    Matrix g(x.n * y.n, 2);
    for (Index r = 0; r < y.n; ++r)
        for (Index c = 0; c < x.n; ++c) {
            g(r * x.n + c, 0) = static_cast<Scalar>(at(x, c));
            g(r * x.n + c, 1) = static_cast<Scalar>(at(y, r));
        }
    return g;
}

void run_predict(PredictCli& a) {
    if (a.grid.empty() == a.data.data.empty())
        throw UsageError(a.grid.empty() ? "--data or --grid is required; fix: e.g. --data points.csv, or --grid 0:9.42477796:50,-1:1:36"
                                        : "--data and --grid exclude each other; fix: give one of them");
    if (a.head < 0) throw UsageError("--head " + std::to_string(a.head) + ": must be >= 0");
    ModelFile mf = open_model(a.model, "--model", {.model = a.limits});
    Matrix x;
    std::vector<std::string> feature_names = feature_names_or_default(mf.metadata().feature_names, mf.input_dim());
    std::string source;
    std::vector<Finding> findings;  // predict.unseen_category, data.missing_values (raw-table models), predict.extrapolation
    if (!a.grid.empty()) {
        if (mf.input_dim() != 2)
            throw UsageError(fmt::format("--grid: the model {} takes {} features, a grid gives 2; fix: use --data with {} feature columns", mf.path,
                                         mf.input_dim(), mf.input_dim()));
        x = parse_grid(a.grid);
        source = "grid " + a.grid;
    } else {
        Dataset data = load_data_for_model(a.data, a.seed, mf, false, &findings);
        x = std::move(data.x);
        source = data.source;
    }
    const Matrix outputs = predict_outputs(mf, model_inputs(mf, x));  // in the target's units
    const auto& classes = mf.metadata().class_names;
    const std::vector<int> predicted = classes.empty() ? std::vector<int>{} : predicted_classes(outputs);
    std::vector<long> counts(classes.size(), 0);
    for (int c : predicted) ++counts[static_cast<std::size_t>(c)];

    // predict.extrapolation: rows outside the training data's support (the summary stored at training).
    if (const auto support = support_from_extra(mf.metadata().extra, mf.path); support && support->features() == x.cols() && x.rows() > 0)
        for (auto& f : check_prediction(*support, x, feature_names)) findings.push_back(std::move(f));

    if (!a.out.empty()) write_file_atomic(a.out, predictions_csv(feature_names, x, outputs, classes));
    if (a.json) {
        nlohmann::json j = {{"model", mf.path}, {"data", source}, {"rows", x.rows()}, {"feature_names", feature_names}};
        nlohmann::json rows = nlohmann::json::array();
        for (Index i = 0; i < outputs.rows(); ++i) {
            std::vector<double> v;
            if (!classes.empty() && outputs.cols() == 1) v = {1.0 - static_cast<double>(outputs(i, 0)), static_cast<double>(outputs(i, 0))};
            else
                for (Index k = 0; k < outputs.cols(); ++k) v.push_back(static_cast<double>(outputs(i, k)));
            rows.push_back(v);
        }
        if (!classes.empty()) {
            j["class_names"] = classes;
            j["class_counts"] = counts;
            std::vector<std::string> names;
            for (int c : predicted) names.push_back(classes[static_cast<std::size_t>(c)]);
            j["class"] = names;
            j["probabilities"] = rows;
        } else {
            j["predictions"] = rows;
        }
        j["findings"] = nlohmann::json::array();
        for (const auto& f : findings) j["findings"].push_back(to_json(f));
        if (!a.out.empty()) j["out"] = a.out;
        std::cout << j.dump(2) << '\n';
        return;
    }
    std::cout << fmt::format("Predicted {} rows of {} with {}\n", x.rows(), source, mf.path);
    if (!classes.empty()) {
        std::string s;
        for (std::size_t c = 0; c < classes.size(); ++c) s += fmt::format("{}{}: {}", c ? ", " : "", classes[c], counts[c]);
        std::cout << "  predicted classes: " << s << '\n';
    }
    for (const auto& f : findings) std::cout << format_finding(f);
    if (!a.out.empty()) {
        std::cout << "  wrote " << a.out << '\n';
        return;
    }
    // A short table: the first --head rows.
    std::vector<std::string> header = feature_names;
    if (!classes.empty()) {
        for (const auto& c : classes) header.push_back("p_" + c);
        header.push_back("class");
    } else {
        header.push_back("prediction");
    }
    std::vector<std::size_t> width;
    for (const auto& h : header) width.push_back(std::max<std::size_t>(11, h.size()) + 1);
    std::string line;
    for (std::size_t c = 0; c < header.size(); ++c) line += fmt::format("{:>{}}", header[c], width[c]);
    std::cout << line << '\n';
    const Index shown = std::min<Index>(a.head, x.rows());
    for (Index i = 0; i < shown; ++i) {
        line.clear();
        std::size_t c = 0;
        for (Index j = 0; j < x.cols(); ++j) line += fmt::format("{:>{}.4g}", static_cast<double>(x(i, j)), width[c++]);
        if (!classes.empty()) {
            if (outputs.cols() == 1) {
                line += fmt::format("{:>{}.4f}", 1.0 - static_cast<double>(outputs(i, 0)), width[c++]);
                line += fmt::format("{:>{}.4f}", static_cast<double>(outputs(i, 0)), width[c++]);
            } else {
                for (Index k = 0; k < outputs.cols(); ++k) line += fmt::format("{:>{}.4f}", static_cast<double>(outputs(i, k)), width[c++]);
            }
            line += fmt::format("{:>{}}", classes[static_cast<std::size_t>(predicted[static_cast<std::size_t>(i)])], width[c]);
        } else {
            for (Index k = 0; k < outputs.cols(); ++k)
                line += fmt::format("{:>{}.4g}", static_cast<double>(outputs(i, k)), width[std::min(c++, width.size() - 1)]);
        }
        std::cout << line << '\n';
    }
    if (shown < x.rows()) std::cout << fmt::format("  ... {} more rows; --out FILE writes them all as CSV\n", x.rows() - shown);
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto a = std::make_shared<PredictCli>();
    CLI::App* cmd = app.add_subcommand("predict", "Class probabilities and predicted class (or regression outputs) of a model");
    cmd->add_option("--model,-m", a->model, "A model file, or a run folder holding model.plexus")->required();
    add_limit_options(*cmd, a->limits);
    add_data_options(*cmd, a->data, false);
    cmd->add_option("--grid", a->grid, "Predict on a 2-D grid xmin:xmax:n,ymin:ymax:m (rows: y outer, x inner, as numpy meshgrid)");
    cmd->add_option("--seed,-s", a->seed, "Seed for generating a built-in dataset")->capture_default_str()->check(in_range(at_least(0), "--seed 1"));
    cmd->add_option("--out,-o", a->out, "Write every row as CSV: the features, p_<class> per class and `class` (the predicted name)");
    cmd->add_flag("--json", a->json, "Print the predictions as JSON");
    cmd->add_option("--head", a->head, "Rows shown in the terminal table")->capture_default_str()->check(in_range(at_least(0), "--head 10"));
    cmd->footer(R"(A CSV may hold only the feature columns, or the features plus a label column (ignored here).

Examples:
  plexus predict --model runs/moons --data points.csv --out preds.csv
  plexus predict --model runs/seed-tail --grid 0:9.42477796:50,-1:1:36 --out grid.csv
  plexus predict --model run --data X.npy --json)");
    cmd->callback([a] { run_predict(*a); });
}

}  // namespace plexus::cli
