#include "plexus/plot/model_plots.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/data/support.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/plot/animation.hpp"
#include "plexus/plot/confusion_matrix.hpp"
#include "plexus/plot/decision_regions.hpp"
#include "plexus/plot/layer_views.hpp"
#include "plexus/plot/learning_curves.hpp"

namespace plexus::plot {
namespace {

void require_two_inputs(const Sequential& model, const char* what) {
    if (model.input_dim() != 2)
        throw ConfigError(std::string(what) + " needs a model with 2 inputs (a plane to draw); this model takes " +
                          std::to_string(model.input_dim()));
}

DecisionRegionsSpec regions_spec(const RunData& run, std::optional<Range> range, int resolution) {
    DecisionRegionsSpec spec;
    spec.class_names = run.class_names;
    spec.points = {point_set(run.x_train, run.y_train, false, "training")};
    if (run.x_val.rows() > 0) spec.points.push_back(point_set(run.x_val, run.y_val, true, "validation"));
    spec.range = range;
    spec.resolution = resolution;
    spec.in_support = support_of(run.x_train);
    return spec;
}

}  // namespace

std::vector<std::size_t> hidden_layers(const Sequential& model) {
    const auto& layers = model.layers();
    std::vector<std::size_t> hidden;
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
        // A kernel layer followed by a standalone activation shows after that activation.
        const bool next_is_activation = layers[i + 1]->is_activation_only();
        const bool kernel = layers[i]->has_kernel();
        const auto* act = layers[i]->output_activation();
        if (act && act->name() != "linear" && !(kernel && next_is_activation)) hidden.push_back(i);
        else if (kernel && !next_is_activation && act && act->name() == "linear") hidden.push_back(i);
    }
    return hidden;
}

std::vector<int> labels_of(const Dataset& data, const RowList& rows) {
    std::vector<int> out;
    out.reserve(rows.size());
    for (const Index i : rows) out.push_back(data.label(i));
    return out;
}

PointSet point_set(const Matrix& x, const std::vector<int>& y, bool hollow, const std::string& label) {
    return {.xy = x.leftCols(2), .classes = y, .hollow = hollow, .label = x.rows() > 0 ? label : ""};
}

SupportFn support_of(const Matrix& rows) {
    auto support = std::make_shared<Support>(Support::fit(rows));
    return [support](double x, double y) {
        RowVector row(2);
        row << static_cast<Scalar>(x), static_cast<Scalar>(y);
        return support->contains(row);
    };
}

RunData run_data(const Dataset& data, const SplitInfo& split) {
    if (!data.is_classification()) throw ConfigError("plots of classes need a classification dataset");
    RunData run;
    run.class_names = data.class_names;
    RowList train = split.train_indices;
    if (train.empty() && split.validation_indices.empty())
        for (Index i = 0; i < data.rows(); ++i) train.push_back(i);
    run.x_train = take_rows(data.inputs().map(), train);
    run.y_train = labels_of(data, train);
    run.x_val = take_rows(data.inputs().map(), split.validation_indices);
    run.y_val = labels_of(data, split.validation_indices);
    return run;
}

void decision_regions(Sequential& model, const RunData& run, const Style& style, const std::string& path,
                      std::optional<Range> range, int resolution) {
    require_two_inputs(model, "the decision-region plot");
    auto spec = regions_spec(run, range, resolution);
    spec.predict = [&model](const Matrix& x) { return model.predict(x, 4096); };
    plot::decision_regions(spec, style, path);
}

void learning_curves(const History& history, const Style& style, const std::string& path, bool log_y,
                     const std::vector<Finding>& findings, double baseline_loss) {
    CurvesSpec spec;
    spec.log_y = log_y;
    for (const auto& [key, values] : history.history) {
        if (key.rfind("val_", 0) == 0 || key == "learning_rate") continue;
        std::vector<Curve> panel{{.name = key, .values = values}};
        if (const auto it = history.history.find("val_" + key); it != history.history.end())
            panel.push_back({.name = "val_" + key, .values = it->second, .validation = true});
        if (key == "loss" && std::isfinite(baseline_loss))
            panel.push_back({.name = "baseline (mean)", .values = std::vector<double>(values.size(), baseline_loss), .validation = true});
        // loss first
        if (key == "loss") {
            spec.panels.insert(spec.panels.begin(), panel);
            spec.panel_titles.insert(spec.panel_titles.begin(), key);
        } else {
            spec.panels.push_back(panel);
            spec.panel_titles.push_back(key);
        }
    }
    const int first_epoch = history.epoch.empty() ? 0 : history.epoch.front();
    for (const auto& f : findings)
        if (f.epoch) spec.markers.push_back({.epoch = *f.epoch - first_epoch + 1, .label = f.id, .severity = f.severity});
    plot::learning_curves(spec, style, path);
}

void layer_views(Sequential& model, const RunData& run, const Style& style, const std::string& path, std::optional<Range> range) {
    require_two_inputs(model, "the layer view");
    const std::vector<std::size_t> hidden = hidden_layers(model);
    if (hidden.empty()) throw ConfigError("the layer view needs at least one hidden layer");
    LayersSpec spec;
    spec.layer_outputs = [&model, hidden](const Matrix& x) {
        const auto all = model.layer_outputs(x);
        std::vector<Matrix> out;
        for (const auto i : hidden) out.push_back(all[i]);
        return out;
    };
    for (const auto i : hidden) spec.layer_names.push_back(model.layers()[i]->name());
    spec.points = point_set(run.x_train, run.y_train, false, "training");
    spec.class_names = run.class_names;
    if (range) spec.input_range = *range;
    else {
        const RowVector lo = run.x_train.colwise().minCoeff(), hi = run.x_train.colwise().maxCoeff();
        const double mx = 0.1 * static_cast<double>(hi(0) - lo(0)), my = 0.1 * static_cast<double>(hi(1) - lo(1));
        spec.input_range = {static_cast<double>(lo(0)) - mx, static_cast<double>(hi(0)) + mx, static_cast<double>(lo(1)) - my,
                            static_cast<double>(hi(1)) + my};
    }
    plot::layer_views(spec, style, path);
}

void confusion_matrix(Sequential& model, const Matrix& x, const std::vector<int>& labels,
                      const std::vector<std::string>& class_names, const Style& style, const std::string& path) {
    const auto predicted = predicted_classes(model.predict(x));
    const int classes = std::max<int>(static_cast<int>(class_names.size()), 2);
    ConfusionSpec spec{.counts = plexus::confusion_matrix(labels, predicted, classes), .class_names = class_names};
    plot::confusion_matrix(spec, style, path);
}

std::vector<int> SnapshotRecorder::spread(int total, int frames) {
    std::vector<int> epochs;
    if (total <= 0) return epochs;
    frames = std::max(1, std::min(frames, total));
    for (int k = 0; k < frames; ++k) {
        // Denser early, where the boundary changes most: quadratic spacing.
        const double t = frames == 1 ? 1.0 : static_cast<double>(k) / (frames - 1);
        const int e = static_cast<int>(std::lround(t * t * (total - 1)));
        if (epochs.empty() || e > epochs.back()) epochs.push_back(e);
    }
    return epochs;
}

void SnapshotRecorder::on_epoch_end(Sequential& model, int epoch, Logs&) {
    if (std::find(epochs_.begin(), epochs_.end(), epoch) == epochs_.end()) return;
    recorded_.push_back(epoch);
    snapshots_.emplace_back(model.parameters().begin(), model.parameters().end());
}

void animation(Sequential& model, const SnapshotRecorder& snapshots, const RunData& run, const Style& style,
               const std::string& png_path, const std::string& gif_path, std::optional<Range> range) {
    require_two_inputs(model, "the training animation");
    if (snapshots.snapshots().empty()) throw ConfigError("the training animation has no recorded epochs");
    AnimationSpec spec;
    spec.base = regions_spec(run, range, 120);
    for (std::size_t k = 0; k < snapshots.snapshots().size(); ++k) {
        spec.epochs.push_back(snapshots.recorded_epochs()[k] + 1);
        const auto* weights = &snapshots.snapshots()[k];
        spec.predict_at.push_back([&model, weights](const Matrix& x) {
            auto params = model.parameters();
            const std::vector<Scalar> current(params.begin(), params.end());
            std::copy(weights->begin(), weights->end(), params.begin());
            Matrix out = model.predict(x, 4096);
            std::copy(current.begin(), current.end(), params.begin());
            return out;
        });
    }
    animation_grid(spec, style, png_path);
    if (!gif_path.empty()) animation_gif(spec, style, gif_path);
}

}  // namespace plexus::plot
