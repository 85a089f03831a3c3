// The pictures of a trained model and its run, shared by `plexus plot` (plot.cpp)
// and by `plexus train --plots` / `plexus demo` (write_run_plots, declared in
// training.hpp). A Scene is a model seen from the raw feature space with the rows
// to draw: a model trained with --standardize goes through its standardizer, and a
// regression trained with --standardize-target has that scaling undone, so every
// picture is in the data's original units (features and target).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/scaling.hpp"
#include "plexus/data/support_summary.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/plot/animation.hpp"
#include "plexus/plot/style.hpp"
#include "training.hpp"

namespace plexus::cli {

// A trained model seen from the raw feature space, with the points to draw.
struct Scene {
    Sequential* model = nullptr;
    const Standardizer* standardizer = nullptr;  // the model takes standardized inputs
    const Standardizer* target_standardizer = nullptr;  // regression: the model predicts the standardized target
    std::vector<std::string> class_names;  // empty: regression
    Matrix x_train, x_val;                 // raw features
    std::vector<int> y_train, y_val;       // classification: class indices
    Matrix t_train, t_val;                 // regression: targets of x_train, x_val in the target's units
    std::string target_name = "target";    // regression: axis and colour-bar labels
    std::string train_label = "training";  // "data" when the rows are not the run's split
    Matrix support_x;                      // the training rows: the hatched region lies outside them
    std::optional<SupportSummary> support_summary;  // else a saved model's summary of them
    Matrix x_confusion;                    // rows for the confusion matrix
    std::vector<int> y_confusion;
    std::string confusion_rows;            // "validation rows", "all rows"...
    std::vector<std::string> feature_names;  // axis labels of the input plane
};

// Why a 2-D picture of classes (decision regions, layer view, animation) cannot be drawn: "" if it can.
std::string plane_problem(const Scene& s, const std::string& what);
// Why a regression picture cannot be drawn: "" if it can. `plane`: the value surface
// (2 inputs); else predicted vs actual / residuals. Both need one output (one target).
std::string regression_problem(const Scene& s, const std::string& what, bool plane);

// `plexus plot KIND` on this model file: UsageError (exit 2) naming the kinds that fit
// when the model cannot be drawn as `kind` (boundary, layers, animation, confusion,
// predictions, residuals; curves always can).
void check_plot_kind(const std::string& kind, ModelFile& mf);

// Each draws one picture to `path` (.png, .svg or .pdf by its extension). `range`
// is the input plane to draw (default: the points plus a margin).
// The decision regions of a classifier; of a regression, its value surface (the
// prediction as a colour field, points coloured by their target).
void draw_boundary(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range);
// Regression: predicted vs actual (with y = x, R² and MAE in the title strip) and
// residual vs predicted, training rows filled and validation rows hollow.
void draw_predictions(const Scene& s, const plot::Style& style, const std::string& path);
void draw_residuals(const Scene& s, const plot::Style& style, const std::string& path);
// Their title strip's fit, R² and MAE per set in the target's units ("validation: R² 0.512, MAE 42.3 · training: ...").
std::string fit_summary(const Scene& s);
// UsageError if the model has no hidden layer.
void draw_layers(const Scene& s, const plot::Style& style, const std::string& path, std::optional<plot::Range> range);
// The recorded snapshots as a grid (png_path) and/or an animated GIF (gif_path); either path may be empty.
void draw_animation(const Scene& s, const plot::SnapshotRecorder& snapshots, const plot::Style& style, const std::string& png_path,
                    const std::string& gif_path, std::optional<plot::Range> range);
// On s.x_confusion / s.y_confusion; UsageError if there are no such rows.
void draw_confusion(const Scene& s, const plot::Style& style, const std::string& path);
// The learning curves and findings of a run's report.json; UsageError if it has no epochs.
void draw_curves(const nlohmann::json& report, const plot::Style& style, const std::string& path, bool log_y);

// The scene of a run just trained: its exact split; the confusion matrix on its
// validation rows (its training rows without validation); a regression's targets.
Scene scene_of(TrainResult& r);
// report.json's split method, "none" without a split.
std::string split_name(const nlohmann::json& report);

}  // namespace plexus::cli
