// `plexus plot KIND`: pictures of a trained model and its run (decision
// regions, learning curves, layer views, a training animation, the confusion
// matrix), and the pictures `plexus train --plots` and `plexus demo` write
// into a run folder (write_run_plots).
//
// Pictures are drawn in the data's original feature space: a model trained
// with --standardize is wrapped so that every point of the plane goes through
// the stored standardizer before the model sees it.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "options.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/model/split.hpp"
#include "plexus/plot/animation.hpp"
#include "plexus/plot/confusion_matrix.hpp"
#include "plexus/plot/decision_regions.hpp"
#include "plexus/plot/layer_views.hpp"
#include "plexus/plot/learning_curves.hpp"
#include "plexus/plot/model_plots.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::vector<std::string> kKinds = {"boundary", "curves", "layers", "animation", "confusion"};

// A trained model seen from the raw feature space, with the points to draw.
struct Scene {
    Sequential* model = nullptr;
    const Standardizer* standardizer = nullptr;  // the model takes standardized inputs
    std::vector<std::string> class_names;
    Matrix x_train, x_val;                 // raw features
    std::vector<int> y_train, y_val;
    std::string train_label = "training";  // "data" when the rows are not the run's split
    Matrix support_x;                      // the training rows (or a sample): the hatched region lies outside them
    Matrix x_confusion;                    // rows for the confusion matrix
    std::vector<int> y_confusion;
    std::string confusion_rows;            // "validation rows", "all rows"...
    std::vector<std::string> feature_names;  // axis labels of the input plane
};

// The style with the input plane's axes named after the features.
plot::Style plane_style(const Scene& s, plot::Style style) {
    if (s.feature_names.size() == 2) {
        if (style.x_label == "x") style.x_label = s.feature_names[0];
        if (style.y_label == "y") style.y_label = s.feature_names[1];
    }
    return style;
}

Matrix model_input(const Scene& s, const Matrix& x) { return s.standardizer ? s.standardizer->transform(x) : x; }

plot::PredictFn predictor(const Scene& s) {
    return [m = s.model, st = s.standardizer](const Matrix& x) { return predict_outputs(*m, st ? st->transform(x) : x); };
}

using plot::labels_of;
using plot::point_set;

plot::DecisionRegionsSpec regions_spec(const Scene& s, std::optional<plot::Range> range, int resolution) {
    plot::DecisionRegionsSpec spec;
    spec.class_names = s.class_names;
    spec.points = {point_set(s.x_train, s.y_train, false, s.train_label)};
    if (s.x_val.rows() > 0) spec.points.push_back(point_set(s.x_val, s.y_val, true, "validation"));
    spec.range = range;
    spec.resolution = resolution;
    if (s.support_x.rows() > 0) spec.in_support = plot::support_of(s.support_x);
    return spec;
}

using plot::hidden_layers;

// Why a 2-D picture cannot be drawn ("" if it can).
std::string plane_problem(const Scene& s, const std::string& what) {
    if (s.class_names.empty()) return what + " needs a classifier, and this model does regression";
    if (s.model->input_dim() != 2)
        return fmt::format("{} draws the input plane and needs a model with 2 inputs; this one takes {}", what, s.model->input_dim());
    return "";
}

void draw_boundary(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range) {
    auto spec = regions_spec(s, range, 200);
    spec.predict = predictor(s);
    plot::decision_regions(spec, plane_style(s, style), path);
}

void draw_layers(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range) {
    const std::vector<std::size_t> hidden = hidden_layers(*s.model);
    if (hidden.empty()) throw UsageError("the layer view needs a model with at least one hidden layer; this one has none");
    plot::LayersSpec spec;
    spec.layer_outputs = [m = s.model, st = s.standardizer, hidden](const Matrix& x) {
        const auto all = m->layer_outputs(st ? st->transform(x) : x);
        std::vector<Matrix> out;
        for (const auto i : hidden) out.push_back(all[i]);
        return out;
    };
    for (const auto i : hidden) spec.layer_names.push_back(s.model->layers()[i]->name());
    spec.points = point_set(s.x_train, s.y_train, false, s.train_label);
    spec.class_names = s.class_names;
    if (range) {
        spec.input_range = *range;
    } else {
        const RowVector lo = s.x_train.colwise().minCoeff(), hi = s.x_train.colwise().maxCoeff();
        const double mx = 0.1 * static_cast<double>(hi(0) - lo(0)), my = 0.1 * static_cast<double>(hi(1) - lo(1));
        spec.input_range = {static_cast<double>(lo(0)) - mx, static_cast<double>(hi(0)) + mx, static_cast<double>(lo(1)) - my,
                            static_cast<double>(hi(1)) + my};
    }
    plot::layer_views(spec, plane_style(s, style), path);
}

// png_path and gif_path: either may be empty.
void draw_animation(const Scene& s, const plot::SnapshotRecorder& snapshots, const plot::Style& style, const std::string& png_path,
                    const std::string& gif_path, std::optional<plot::Range> range) {
    if (snapshots.snapshots().empty()) throw Error("the training animation recorded no epochs");
    plot::AnimationSpec spec;
    spec.base = regions_spec(s, range, 120);
    for (std::size_t k = 0; k < snapshots.snapshots().size(); ++k) {
        spec.epochs.push_back(snapshots.recorded_epochs()[k] + 1);
        const auto* weights = &snapshots.snapshots()[k];
        spec.predict_at.push_back([m = s.model, st = s.standardizer, weights](const Matrix& x) {
            auto params = m->parameters();
            const std::vector<Scalar> current(params.begin(), params.end());
            std::copy(weights->begin(), weights->end(), params.begin());
            Matrix out = predict_outputs(*m, st ? st->transform(x) : x);
            std::copy(current.begin(), current.end(), params.begin());
            return out;
        });
    }
    if (!png_path.empty()) plot::animation_grid(spec, plane_style(s, style), png_path);
    if (!gif_path.empty()) plot::animation_gif(spec, plane_style(s, style), gif_path);
}

void draw_confusion(const Scene& s, const plot::Style& style, const std::string& path) {
    if (s.x_confusion.rows() == 0) throw UsageError("the confusion matrix needs labelled rows, and there are none");
    const std::vector<int> predicted = predicted_classes(predict_outputs(*s.model, model_input(s, s.x_confusion)));
    const int classes = std::max<int>(static_cast<int>(s.class_names.size()), 2);
    plot::ConfusionSpec spec{.counts = plexus::confusion_matrix(s.y_confusion, predicted, classes), .class_names = s.class_names};
    plot::confusion_matrix(spec, style, path);
}

double json_number(const json& v) {
    return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// The findings with an epoch of a report.json.
std::vector<Finding> findings_from_report(const json& report) {
    std::vector<Finding> found;
    for (const auto& f : report.value("findings", json::array())) {
        Finding finding{.id = f.value("id", ""), .severity = f.value("severity", "info"), .message = f.value("message", "")};
        if (f.contains("epoch") && f["epoch"].is_number_integer()) finding.epoch = f["epoch"].get<int>();
        found.push_back(finding);
    }
    return found;
}

// The learning curves of a report.json (all epochs, also across --resume).
History history_from_report(const json& report) {
    History h;
    const json hist = report.value("history", json::object());
    if (hist.contains("epoch"))
        for (const auto& e : hist["epoch"]) h.epoch.push_back(e.get<int>());
    for (auto it = hist.begin(); it != hist.end(); ++it) {
        if (it.key() == "epoch" || !it->is_array()) continue;
        auto& values = h.history[it.key()];
        for (const auto& v : *it) values.push_back(json_number(v));
    }
    return h;
}

void draw_curves(const json& report, const plot::Style& style, const std::string& path, bool log_y) {
    const History h = history_from_report(report);
    if (h.epoch.empty()) throw UsageError("the learning curves need a run's history, and its report.json has no epochs");
    // Regression: the loss of predicting the mean, as a flat line to beat.
    const bool regression = report.contains("data") && report["data"].value("task", "") == "regression";
    const double baseline = regression && report.contains("baseline") ? json_number(report["baseline"].value("loss", json())) : NAN;
    plot::learning_curves(h, style, path, log_y, findings_from_report(report), baseline);
}

// The scene of a run just trained: its exact split.
Scene scene_of(TrainResult& r) {
    Scene s;
    s.model = &r.model;
    s.standardizer = r.standardizer ? &*r.standardizer : nullptr;
    s.class_names = r.data.class_names;
    s.feature_names = r.data.feature_names;
    s.x_train = take_rows(r.data.x, r.train_rows);
    s.x_val = take_rows(r.data.x, r.validation_rows);
    s.support_x = s.x_train;
    if (r.data.is_classification()) {
        s.y_train = labels_of(r.data, r.train_rows);
        s.y_val = labels_of(r.data, r.validation_rows);
        if (!r.validation_rows.empty()) {
            s.x_confusion = s.x_val;
            s.y_confusion = s.y_val;
            s.confusion_rows = fmt::format("validation rows ({})", r.validation_rows.size());
        } else {
            s.x_confusion = s.x_train;
            s.y_confusion = s.y_train;
            s.confusion_rows = fmt::format("training rows ({})", r.train_rows.size());
        }
    }
    return s;
}

std::string split_name(const json& report) {
    return report.contains("split") ? report["split"].value("method", std::string("none")) : std::string("none");
}

std::string lower_extension(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

}  // namespace

std::vector<int> animation_epochs(int initial_epoch, int epochs) {
    std::vector<int> out = plot::SnapshotRecorder::spread(epochs - initial_epoch);
    for (int& e : out) e += initial_epoch;
    return out;
}

std::vector<std::string> write_run_plots(TrainResult& run, const std::string& dir, const plot::SnapshotRecorder* snapshots, bool quiet) {
    const Scene s = scene_of(run);
    const std::string source = run.data.source;
    const std::string split = split_name(run.report);
    const auto path = [&](const char* name) { return (fs::path(dir) / name).string(); };
    std::vector<std::string> written, notes;
    auto style = [](std::string title) { return plot::Style{.title = std::move(title)}; };

    draw_curves(run.report, style(fmt::format("{}: learning curves", source)), path("curves.png"), false);
    written.push_back(path("curves.png"));
    const std::string problem = plane_problem(s, "the decision regions, layer view and animation");
    if (problem.empty()) {
        draw_boundary(s, style(fmt::format("{}, {} split", source, split)), path("boundary.png"), std::nullopt);
        written.push_back(path("boundary.png"));
        if (!hidden_layers(*s.model).empty()) {
            draw_layers(s, style(fmt::format("{}: how each layer bends the data", source)), path("layers.png"), std::nullopt);
            written.push_back(path("layers.png"));
        } else {
            notes.push_back("layers.png skipped: the model has no hidden layer");
        }
        if (snapshots && !snapshots->snapshots().empty()) {
            draw_animation(s, *snapshots, plot::Style{.width = 400, .height = 300}, path("animation.png"), "", std::nullopt);
            draw_animation(s, *snapshots, plot::Style{.width = 480, .height = 360}, "", path("animation.gif"), std::nullopt);
            written.push_back(path("animation.png"));
            written.push_back(path("animation.gif"));
        }
    } else {
        notes.push_back("boundary.png, layers.png and animation skipped: " + problem);
    }
    if (!s.class_names.empty()) {
        draw_confusion(s, style(fmt::format("{}: confusion matrix, {}", source, s.confusion_rows)), path("confusion.png"));
        written.push_back(path("confusion.png"));
    }
    if (!quiet) {
        std::vector<std::string> names;
        for (const auto& w : written) names.push_back(fs::path(w).filename().string());
        std::cout << fmt::format("  plots:      {} in {}\n", fmt::join(names, ", "), dir);
        for (const auto& n : notes) std::cout << "  note:       " << n << '\n';
        std::cout.flush();
    }
    return written;
}

namespace {

struct PlotCli {
    std::string kind;
    std::string model;
    DataConfig data;
    std::optional<std::uint64_t> seed;
    std::string out;
    int width = 800;
    int height = 600;
    double dpi = 96;
    std::string range;
    bool log_y = false;
    std::string title;
    int frames = 9;
};

double parse_number(const std::string& text, const std::string& whole) {
    double v = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v))
        throw UsageError("--range " + whole + ": '" + text + "' is not a number; fix: give XMIN:XMAX,YMIN:YMAX, e.g. --range 0:9.5,-2:2");
    return v;
}

plot::Range parse_range(const std::string& text) {
    const auto comma = text.find(',');
    const std::string xs = text.substr(0, comma), ys = comma == std::string::npos ? "" : text.substr(comma + 1);
    const auto cx = xs.find(':', xs.empty() ? 0 : 1), cy = ys.find(':', ys.empty() ? 0 : 1);
    if (comma == std::string::npos || cx == std::string::npos || cy == std::string::npos)
        throw UsageError("--range " + text + ": expected XMIN:XMAX,YMIN:YMAX; fix: e.g. --range 0:9.5,-2:2");
    const plot::Range r{parse_number(xs.substr(0, cx), text), parse_number(xs.substr(cx + 1), text), parse_number(ys.substr(0, cy), text),
                        parse_number(ys.substr(cy + 1), text)};
    if (!(r.xmin < r.xmax && r.ymin < r.ymax))
        throw UsageError("--range " + text + ": each minimum must be below its maximum; fix: e.g. --range 0:9.5,-2:2");
    return r;
}

// Removes a temporary run folder when it goes out of scope.
struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

void run_plot(CLI::App& cmd, PlotCli& a) {
    if (a.width < 16 || a.height < 16 || a.width > 20000 || a.height > 20000)
        throw UsageError(fmt::format("--width {} --height {}: each must be between 16 and 20000 pixels; fix: e.g. --width 800 --height 600",
                                     a.width, a.height));
    if (!(std::isfinite(a.dpi) && a.dpi >= 10 && a.dpi <= 2400))
        throw UsageError(fmt::format("--dpi {}: must be between 10 and 2400; fix: e.g. --dpi 96 (screen) or --dpi 300 (print)", a.dpi));
    if (a.frames < 1 || a.frames > 100) throw UsageError(fmt::format("--frames {}: must be between 1 and 100", a.frames));
    const std::optional<plot::Range> range = a.range.empty() ? std::nullopt : std::optional(parse_range(a.range));
    if (range && a.kind != "boundary" && a.kind != "layers" && a.kind != "animation")
        throw UsageError("--range: applies to boundary, layers and animation, not " + a.kind + "; fix: drop it");
    if (a.log_y && a.kind != "curves") throw UsageError("--log: applies to curves only; fix: drop it");

    // Output files (checked before any work).
    ModelFile mf = open_model(a.model);
    const fs::path run_dir = fs::path(mf.path).parent_path().empty() ? fs::path(".") : fs::path(mf.path).parent_path();
    std::string png_out, gif_out;
    if (a.out.empty()) {
        png_out = (run_dir / (a.kind + ".png")).string();
        if (a.kind == "animation") gif_out = (run_dir / "animation.gif").string();
    } else {
        const std::string ext = lower_extension(a.out);
        if (a.kind == "animation" && ext == ".gif") {
            gif_out = a.out;
        } else if (ext == ".png" || ext == ".svg" || ext == ".pdf") {
            png_out = a.out;
        } else {
            throw UsageError("--out " + a.out + ": unknown picture type '" + ext + "'; fix: end it with .png, .svg or .pdf" +
                             (a.kind == "animation" ? " (or .gif for the animated GIF)" : ""));
        }
    }
    const plot::Style style{.width = a.width, .height = a.height, .dpi = a.dpi, .title = a.title};

    // The run's report (history, findings, split) when the model sits in a run folder.
    json report;
    const fs::path report_path = run_dir / "report.json";
    std::error_code ec;
    if (fs::exists(report_path, ec)) {
        try {
            report = json::parse(read_file_bytes(report_path.string()));
        } catch (const json::exception&) {
            throw IoError(report_path.string() + ": not valid JSON; fix: restore the run's report.json");
        }
    }

    std::vector<std::string> written;
    auto write = [&](const std::string& target, auto draw) {
        OutputDir out(fs::path(target).parent_path().empty() ? fs::path(".") : fs::path(target).parent_path());
        out.create();
        const std::string file = out.file(fs::path(target).filename().string());
        draw(file);
        out.commit();
        written.push_back(target);
    };

    if (a.kind == "curves") {
        if (report.is_null())
            throw UsageError("--model " + a.model + ": no report.json next to " + mf.path +
                             "; fix: the learning curves come from a run folder written by `plexus train`");
        plot::Style s = style;
        if (s.title.empty()) s.title = fmt::format("{}: learning curves", report.contains("data") ? report["data"].value("source", "") : "");
        write(png_out, [&](const std::string& f) { draw_curves(report, s, f, a.log_y); });
        for (const auto& w : written) std::cout << "wrote " << w << '\n';
        return;
    }

    // Data: the run's (from the training options stored in the model) unless --data says otherwise.
    const json& extra = mf.metadata().extra;
    std::optional<RunConfig> stored;
    if (extra.contains("train_config")) stored = run::run_config_from_json(extra["train_config"]);
    DataConfig args = a.data;
    const bool data_given = cmd.count("--data") > 0;
    if (!data_given) {
        if (!stored)
            throw UsageError("--data: required, as " + mf.path + " holds no training options (it was not written by `plexus train`); fix: "
                             "add --data with the rows to draw");
        args = stored->data;
    } else if (stored && a.data.data == stored->data.data) {
        // The run's dataset: its stored options, unless given again.
        args = stored->data;
        if (cmd.count("--labels")) args.labels = a.data.labels;
        if (cmd.count("--target")) args.target = a.data.target;
        if (cmd.count("--task")) args.task = a.data.task;
        if (cmd.count("--samples")) args.samples = a.data.samples;
        if (cmd.count("--noise")) args.noise = a.data.noise;
        if (cmd.count("--classes")) args.classes = a.data.classes;
    }
    const std::uint64_t seed = a.seed ? *a.seed : stored ? stored->fit.seed : 0;
    const bool run_data = stored && to_json(args) == to_json(stored->data) && seed == stored->fit.seed;

    const std::string what = a.kind == "boundary" ? "the decision-region plot"
                             : a.kind == "layers" ? "the layer view"
                             : a.kind == "animation" ? "the training animation"
                                                     : "the confusion matrix";
    if (!mf.classification()) throw UsageError(what + " needs a classifier, and " + mf.path + " does regression; fix: plot curves");
    if (a.kind != "confusion" && mf.input_dim() != 2)
        throw UsageError(fmt::format("{} draws the input plane and needs a model with 2 inputs; {} takes {}; fix: plot curves or confusion",
                                     what, mf.path, mf.input_dim()));

    if (a.kind == "animation") {
        // Frames exist only during training: retrain the run's configuration, same seed, recording them.
        if (!stored)
            throw UsageError("--model " + a.model + ": " + mf.path +
                             " holds no training options to retrain (it was not written by `plexus train`); fix: "
                             "`plexus train ... --plots` records the animation while it trains");
        RunConfig cfg = *stored;
        cfg.data = args;
        cfg.fit.verbose = 0;
        auto recorder = std::make_shared<plot::SnapshotRecorder>(plot::SnapshotRecorder::spread(cfg.fit.epochs, a.frames));
        TempDir tmp{fs::temp_directory_path() / fmt::format("plexus-animation-{}", static_cast<long>(getpid()))};
        TrainRequest request{.config = cfg, .out_dir = tmp.path.string(), .callbacks = {recorder}};
        std::cout << fmt::format("Retraining the run's configuration ({} epochs, seed {}) to record frames at epochs {}...\n", cfg.fit.epochs,
                                 cfg.fit.seed, fmt::join(recorder->spread(cfg.fit.epochs, a.frames), ","));
        std::cout.flush();
        TrainResult r = train(request, false);
        const Scene s = scene_of(r);
        if (!png_out.empty()) {
            plot::Style grid = style;
            if (cmd.count("--width") == 0) grid.width = 400;
            if (cmd.count("--height") == 0) grid.height = 300;
            write(png_out, [&](const std::string& f) { draw_animation(s, *recorder, grid, f, "", range); });
        }
        if (!gif_out.empty()) write(gif_out, [&](const std::string& f) { draw_animation(s, *recorder, style, "", f, range); });
        for (const auto& w : written) std::cout << "wrote " << w << '\n';
        return;
    }

    const Dataset data = load_data_for_model(args, seed, mf, true);
    Scene s;
    s.model = &mf.model();
    s.standardizer = mf.standardizer ? &*mf.standardizer : nullptr;
    s.class_names = mf.metadata().class_names;
    s.feature_names = feature_names_or_default(mf.metadata().feature_names, mf.input_dim());
    std::vector<Index> train_rows, val_rows;
    if (run_data) {
        // The run's split: the indices report.json stores, else recomputed as fit computes it.
        const json& sp = report.is_object() && report.contains("split") ? report["split"] : json();
        if (sp.is_object() && sp.contains("validation_indices")) {
            val_rows = sp["validation_indices"].get<std::vector<Index>>();
        } else {
            Split method = split_from_string(stored->fit.split);
            if (sp.is_object() && sp.contains("method")) method = split_from_string(sp["method"].get<std::string>());
            if (method == Split::automatic) method = Split::stratified;
            Rng root(stored->fit.seed);
            (void)root.next_u64();
            Rng split_rng(root.next_u64());
            val_rows = split_indices(data.rows(), stored->fit.validation_split, method, dataset_labels(data), split_rng).validation;
        }
        std::vector<bool> is_val(static_cast<std::size_t>(data.rows()), false);
        for (const Index r : val_rows) {
            if (r < 0 || r >= data.rows())
                throw DataError(report_path.string() + ": split.validation_indices does not fit " + data.source + "; fix: give --data explicitly");
            is_val[static_cast<std::size_t>(r)] = true;
        }
        for (Index r = 0; r < data.rows(); ++r)
            if (!is_val[static_cast<std::size_t>(r)]) train_rows.push_back(r);
        s.x_train = take_rows(data.x, train_rows);
        s.y_train = labels_of(data, train_rows);
        s.x_val = take_rows(data.x, val_rows);
        s.y_val = labels_of(data, val_rows);
        s.support_x = s.x_train;
    } else {
        // Other rows than the run's: all drawn alike; the training support comes from the sample stored in the model.
        s.x_train = data.x;
        s.y_train = dataset_labels(data);
        s.train_label = "data";
        if (auto sample = support_sample_from_extra(extra)) s.support_x = *sample;
    }
    if (a.kind == "confusion") {
        if (run_data && !val_rows.empty()) {
            s.x_confusion = s.x_val;
            s.y_confusion = s.y_val;
            s.confusion_rows = fmt::format("validation rows ({})", val_rows.size());
        } else {
            s.x_confusion = data.x;
            s.y_confusion = dataset_labels(data);
            s.confusion_rows = fmt::format("{} rows", data.rows());
        }
    }
    plot::Style st = style;
    if (st.title.empty()) {
        if (a.kind == "boundary")
            st.title = run_data ? fmt::format("{}, {} split", data.source, split_name(report)) : data.source;
        else if (a.kind == "layers")
            st.title = fmt::format("{}: how each layer bends the data", data.source);
        else
            st.title = fmt::format("{}: confusion matrix, {}", data.source, s.confusion_rows);
    }
    write(png_out, [&](const std::string& f) {
        if (a.kind == "boundary") draw_boundary(s, st, f, range);
        else if (a.kind == "layers") draw_layers(s, st, f, range);
        else draw_confusion(s, st, f);
    });
    for (const auto& w : written) std::cout << "wrote " << w << '\n';
}

}  // namespace

void add_plot_command(CLI::App& app) {
    auto a = std::make_shared<PlotCli>();
    CLI::App* cmd = app.add_subcommand("plot", "Draw a trained model and its run: boundary, curves, layers, animation or confusion");
    cmd->add_option("kind", a->kind, "boundary, curves, layers, animation or confusion")->required()->check(CLI::IsMember(kKinds));
    cmd->add_option("--model,-m", a->model, "A run folder or a model file (.plexus)")->required();
    add_data_options(*cmd, a->data, false);
    cmd->add_option("--seed,-s", a->seed, "Seed that generates built-in data (default: the run's seed, so the run's rows)")->check(in_range(at_least(0), "--seed 1"));
    cmd->add_option("--out,-o", a->out, "The picture: .png, .svg or .pdf (.gif for the animation) (default: MODEL_DIR/KIND.png)");
    cmd->add_option("--width", a->width, "Width in pixels")->capture_default_str()->check(in_range(int_range(16, 20000), "--width 800"));
    cmd->add_option("--height", a->height, "Height in pixels")->capture_default_str()->check(in_range(int_range(16, 20000), "--height 600"));
    cmd->add_option("--dpi", a->dpi, "Dots per inch: scales fonts and lines; the page size of PDFs")->capture_default_str()->check(in_range({.low = 10, .high = 2400}, "--dpi 96 (screen) or --dpi 300 (print)"));
    cmd->add_option("--range", a->range, "The input plane to draw, XMIN:XMAX,YMIN:YMAX (default: the points plus a margin)");
    cmd->add_flag("--log", a->log_y, "curves: logarithmic y axis");
    cmd->add_option("--title", a->title, "Title (default: the data and the split)");
    cmd->add_option("--frames", a->frames, "animation: number of frames")->capture_default_str()->check(in_range(int_range(1, 100), "--frames 9"));
    cmd->footer(R"(Kinds:
  boundary   decision regions of a 2-input classifier: class colours over the plane, training points
             filled, validation points hollow, the region outside the training data hatched
  curves     loss and each metric per epoch (training solid, validation dashed), doctor findings
             marked at their epoch; from the run folder's report.json (needs no --data)
  layers     how each hidden layer bends the input plane, and every hidden unit's activation
  animation  the decision regions at epochs spread over training: a grid of frames (.png) and an
             animated GIF. Frames exist only during training, so this RETRAINS the run's stored
             configuration with the same options and seed (`plexus train --plots` records them
             during the real run instead). Default: MODEL_DIR/animation.png and animation.gif
  confusion  the confusion matrix: on the run's validation rows when the data is the run's, else on
             every row of --data

Without --data, the run's own data (the training options stored in the model) with its exact split:
training and validation rows as in the run. With other data, all rows are drawn alike. Pictures are
in the original feature space, also for models trained with --standardize.

Examples:
  plexus plot boundary --model runs/seed-tail                  # -> runs/seed-tail/boundary.png
  plexus plot boundary --model runs/seed-tail --range 0:9.5,-2:2 --out seed.svg
  plexus plot curves --model runs/moons --log --out curves.pdf
  plexus plot animation --model runs/moons --out moons.gif
  plexus plot confusion --model runs/moons --data moons --seed 1)");
    cmd->callback([cmd, a] { run_plot(*cmd, *a); });
}

}  // namespace plexus::cli
