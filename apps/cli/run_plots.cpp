// The pictures of a model and its run; see run_plots.hpp.
#include "run_plots.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common.hpp"
#include "plexus/plot/confusion_matrix.hpp"
#include "plexus/plot/decision_regions.hpp"
#include "plexus/plot/layer_views.hpp"
#include "plexus/plot/learning_curves.hpp"
#include "plexus/plot/model_plots.hpp"
#include "plexus/plot/regression_plots.hpp"

namespace plexus::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

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

// Where the training rows lie (the region outside is hatched); empty when unknown.
plot::SupportFn support_fn(const Scene& s) {
    if (s.support_x.rows() > 0) return plot::support_of(s.support_x);
    if (s.support_summary && s.support_summary->features() == 2)
        return [summary = *s.support_summary](double x, double y) {
            RowVector point(2);
            point << static_cast<Scalar>(x), static_cast<Scalar>(y);
            return summary.contains(point);
        };
    return {};
}

plot::DecisionRegionsSpec regions_spec(const Scene& s, std::optional<plot::Range> range, int resolution) {
    plot::DecisionRegionsSpec spec;
    spec.class_names = s.class_names;
    spec.points = {point_set(s.x_train, s.y_train, false, s.train_label)};
    if (s.x_val.rows() > 0) spec.points.push_back(point_set(s.x_val, s.y_val, true, "validation"));
    spec.range = range;
    spec.resolution = resolution;
    spec.in_support = support_fn(s);
    return spec;
}

// A regression's predictions for raw features, in the target's units.
Matrix target_predictions(const Scene& s, const Matrix& x) {
    const Matrix out = predict_outputs(*s.model, model_input(s, x));
    return s.target_standardizer ? s.target_standardizer->inverse_transform(out) : out;
}

std::vector<double> first_column(const Matrix& m) {
    std::vector<double> v(static_cast<std::size_t>(m.rows()));
    for (Index i = 0; i < m.rows(); ++i) v[static_cast<std::size_t>(i)] = static_cast<double>(m(i, 0));
    return v;
}

plot::FitSpec fit_spec(const Scene& s) {
    plot::FitSpec spec{.target_name = s.target_name};
    spec.sets.push_back({.actual = first_column(s.t_train), .predicted = first_column(target_predictions(s, s.x_train)), .label = s.train_label});
    if (s.x_val.rows() > 0)
        spec.sets.push_back(
            {.actual = first_column(s.t_val), .predicted = first_column(target_predictions(s, s.x_val)), .hollow = true, .label = "validation"});
    return spec;
}

void draw_surface(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range) {
    plot::ValueSurfaceSpec spec{.predict = [&s](const Matrix& x) { return target_predictions(s, x); },
                                .value_name = s.target_name,
                                .range = range,
                                .in_support = support_fn(s)};
    spec.points.push_back({.xy = s.x_train.leftCols(2), .values = first_column(s.t_train), .label = s.x_train.rows() ? s.train_label : ""});
    if (s.x_val.rows() > 0) spec.points.push_back({.xy = s.x_val.leftCols(2), .values = first_column(s.t_val), .hollow = true, .label = "validation"});
    plot::value_surface(spec, style, path);
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

}  // namespace

using plot::hidden_layers;

std::string plane_problem(const Scene& s, const std::string& what) {
    if (s.class_names.empty()) return what + " needs a classifier, and this model does regression";
    if (s.model->input_dim() != 2)
        return fmt::format("{} draws the input plane and needs a model with 2 inputs; this one takes {}", what, s.model->input_dim());
    return "";
}

std::string regression_problem(const Scene& s, const std::string& what, bool plane) {
    if (!s.class_names.empty()) return what + " needs a regression model, and this model is a classifier";
    if (s.model->output_dim() != 1)
        return fmt::format("{} draws one target, and this model predicts {}", what, s.model->output_dim());
    if (plane && s.model->input_dim() != 2)
        return fmt::format("{} draws the input plane and needs a model with 2 inputs; this one takes {}", what, s.model->input_dim());
    return "";
}

// Refuses a kind the model cannot be drawn as (exit 2), with the kinds that fit it.
void check_plot_kind(const std::string& kind, ModelFile& mf) {
    const bool pair = kind == "predictions" || kind == "residuals";
    const std::string what = kind == "boundary"      ? (mf.classification() ? "the decision-region plot" : "the value surface")
                             : kind == "layers"      ? "the layer view"
                             : kind == "animation"   ? "the training animation"
                             : kind == "predictions" ? "the predicted-vs-actual plot"
                             : kind == "residuals"   ? "the residual plot"
                                                     : "the confusion matrix";
    if (pair && mf.classification())
        throw UsageError(what + " needs a regression model, and " + mf.path + " is a classifier; fix: plot boundary or confusion");
    if (!pair && kind != "boundary" && !mf.classification())
        throw UsageError(what + " needs a classifier, and " + mf.path + " does regression; fix: plot predictions, residuals or curves" +
                         (mf.input_dim() == 2 ? " (or boundary: its value surface)" : ""));
    if (!mf.classification() && mf.model().output_dim() != 1)
        throw UsageError(fmt::format("{} draws one target, and {} predicts {}; fix: plot curves", what, mf.path, mf.model().output_dim()));
    if (!pair && kind != "confusion" && mf.input_dim() != 2)
        throw UsageError(fmt::format("{} draws the input plane and needs a model with 2 inputs; {} takes {}; fix: plot curves or {}", what,
                                     mf.path, mf.input_dim(), mf.classification() ? "confusion" : "predictions"));
}

void draw_predictions(const Scene& s, const plot::Style& style, const std::string& path) {
    plot::predicted_vs_actual(fit_spec(s), style, path);
}

void draw_residuals(const Scene& s, const plot::Style& style, const std::string& path) { plot::residuals(fit_spec(s), style, path); }

std::string fit_summary(const Scene& s) { return plot::fit_summary(fit_spec(s)); }

void draw_boundary(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range) {
    if (s.class_names.empty()) return draw_surface(s, plane_style(s, style), path, range);
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

void draw_curves(const json& report, const plot::Style& style, const std::string& path, bool log_y) {
    const History h = history_from_report(report);
    if (h.epoch.empty()) throw UsageError("the learning curves need a run's history, and its report.json has no epochs");
    // Regression: the loss of predicting the mean, as a flat line to beat.
    const bool regression = report.contains("data") && report["data"].value("task", "") == "regression";
    const double baseline = regression && report.contains("baseline") ? json_number(report["baseline"].value("loss", json())) : NAN;
    plot::learning_curves(h, style, path, log_y, findings_from_report(report), baseline);
}

Scene scene_of(TrainResult& r) {
    Scene s;
    s.model = &r.model;
    s.standardizer = r.standardizer ? &*r.standardizer : nullptr;
    s.target_standardizer = r.target_standardizer ? &*r.target_standardizer : nullptr;
    s.class_names = r.data.class_names;
    s.feature_names = r.data.feature_names;
    s.x_train = take_rows(r.data.inputs().map(), r.train_rows);
    s.x_val = take_rows(r.data.inputs().map(), r.validation_rows);
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
    } else {
        s.t_train = take_rows(r.data.y, r.train_rows);
        s.t_val = take_rows(r.data.y, r.validation_rows);
        s.target_name = r.data.target_name;
    }
    return s;
}

std::string split_name(const json& report) {
    return report.contains("split") ? report["split"].value("method", std::string("none")) : std::string("none");
}


std::vector<int> animation_epochs(int initial_epoch, int epochs) {
    std::vector<int> out = plot::SnapshotRecorder::spread(epochs - initial_epoch);
    for (int& e : out) e += initial_epoch;
    return out;
}

namespace {

// What write_run_plots writes into a run folder, and the notes on what it skipped.
struct RunPictures {
    std::string dir, source, split;
    std::vector<std::string> written, notes;
    std::string path(const char* name) const { return (fs::path(dir) / name).string(); }
    template <typename Draw>
    void draw(const char* name, Draw draw_to) {
        draw_to(path(name));
        written.push_back(path(name));
    }
};

plot::Style titled(std::string title) { return plot::Style{.title = std::move(title)}; }

void write_class_plots(const Scene& s, RunPictures& p, const plot::SnapshotRecorder* snapshots) {
    const std::string problem = plane_problem(s, "the decision regions, layer view and animation");
    if (problem.empty()) {
        p.draw("boundary.png", [&](const std::string& f) { draw_boundary(s, titled(fmt::format("{}, {} split", p.source, p.split)), f, std::nullopt); });
        if (!hidden_layers(*s.model).empty())
            p.draw("layers.png", [&](const std::string& f) {
                draw_layers(s, titled(fmt::format("{}: how each layer bends the data", p.source)), f, std::nullopt);
            });
        else
            p.notes.push_back("layers.png skipped: the model has no hidden layer");
        if (snapshots && !snapshots->snapshots().empty()) {
            p.draw("animation.png", [&](const std::string& f) { draw_animation(s, *snapshots, {.width = 400, .height = 300}, f, "", std::nullopt); });
            p.draw("animation.gif", [&](const std::string& f) { draw_animation(s, *snapshots, {.width = 480, .height = 360}, "", f, std::nullopt); });
        }
    } else {
        p.notes.push_back("boundary.png, layers.png and animation skipped: " + problem);
    }
    p.draw("confusion.png", [&](const std::string& f) { draw_confusion(s, titled(fmt::format("{}: confusion matrix, {}", p.source, s.confusion_rows)), f); });
}

// Regression: predicted vs actual, residuals and (2 inputs) the value surface as boundary.png.
void write_regression_plots(const Scene& s, RunPictures& p) {
    if (const std::string problem = regression_problem(s, "the predicted-vs-actual and residual plots", false); !problem.empty()) {
        p.notes.push_back("predictions.png, residuals.png and boundary.png skipped: " + problem);
        return;
    }
    p.draw("predictions.png", [&](const std::string& f) { draw_predictions(s, titled(fmt::format("{}: predicted vs actual", p.source)), f); });
    p.draw("residuals.png", [&](const std::string& f) { draw_residuals(s, titled(fmt::format("{}: residuals", p.source)), f); });
    if (const std::string problem = regression_problem(s, "the value surface", true); problem.empty())
        p.draw("boundary.png", [&](const std::string& f) {
            draw_boundary(s, titled(fmt::format("{}: predicted {}, {} split", p.source, s.target_name, p.split)), f, std::nullopt);
        });
    else
        p.notes.push_back("boundary.png skipped: " + problem);
}

}  // namespace

std::vector<std::string> write_run_plots(TrainResult& run, const std::string& dir, const plot::SnapshotRecorder* snapshots, bool quiet) {
    const Scene s = scene_of(run);
    RunPictures p{.dir = dir, .source = run.data.source, .split = split_name(run.report)};
    p.draw("curves.png", [&](const std::string& f) { draw_curves(run.report, titled(fmt::format("{}: learning curves", p.source)), f, false); });
    if (s.class_names.empty())
        write_regression_plots(s, p);
    else
        write_class_plots(s, p, snapshots);
    if (!quiet) {
        std::vector<std::string> names;
        for (const auto& w : p.written) names.push_back(fs::path(w).filename().string());
        std::cout << fmt::format("  plots:      {} in {}\n", fmt::join(names, ", "), dir);
        for (const auto& n : p.notes) std::cout << "  note:       " << n << '\n';
        std::cout.flush();
    }
    return p.written;
}

}  // namespace plexus::cli
