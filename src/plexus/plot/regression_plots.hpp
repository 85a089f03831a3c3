// Pictures of a regression model: how its predictions compare with the truth
// (predicted vs actual, residuals) and, for a model of 2 inputs, its value
// surface over the input plane.
//
// Like every plot, these are data-level: they see the targets and predictions
// as numbers, in whatever units the caller gives (a caller with a model trained
// on a standardized target undoes the scaling first, so the pictures are in the
// user's units). Training rows are drawn filled, validation rows hollow, as in
// the classification pictures.
//
//   plot::FitSpec fit{.sets = {{.actual = y_train, .predicted = p_train, .label = "training"},
//                              {.actual = y_val, .predicted = p_val, .hollow = true, .label = "validation"}},
//                     .target_name = "progression"};
//   plot::predicted_vs_actual(fit, {.title = "diabetes"}, "predictions.png");
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/plot/style.hpp"

namespace plexus::plot {

// One set of rows of a regression: the true target and the model's prediction
// of each row (same length; non-finite pairs are skipped).
struct TargetSet {
    std::vector<double> actual, predicted;
    bool hollow = false;  // validation rows: hollow markers
    std::string label;    // "training", "validation"; empty: not in the legend
};

struct FitSpec {
    std::vector<TargetSet> sets;  // drawn in order (the last on top)
    std::string target_name;      // axis labels: "actual <name>", "predicted <name>"; empty: "target"
};

// The fit of each labelled set as the title strip shows it, the last set first
// (validation before training): "validation: R² 0.512, MAE 42.3 · training: ...".
// R² = 1 - SS_res / SS_tot over the set's finite pairs (NaN when the target is
// constant or there are fewer than 2 pairs: printed "n/a"); MAE = mean |actual - predicted|.
std::string fit_summary(const FitSpec& spec);

// Predicted (y) against actual (x) on equal scales, with the y = x line of a
// perfect model and the fit summary under the title.
// Throws ConfigError when no set has a finite pair, ShapeError when a set's actual
// and predicted differ in length, ConfigError/IoError as every plot does.
void predicted_vs_actual(const FitSpec& spec, const Style& style, const std::string& path);

// Residual (actual - predicted, y) against predicted (x) with the zero line, on a
// y axis symmetric about zero; the fit summary under the title. Errors as above.
void residuals(const FitSpec& spec, const Style& style, const std::string& path);

// Points of the input plane with their target values.
struct ValuePointSet {
    Matrix xy;                  // (n, 2)
    std::vector<double> values; // n target values (non-finite: drawn grey)
    bool hollow = false;
    std::string label;
};

struct ValueSurfaceSpec {
    PredictFn predict;                 // (n, 2) inputs -> (n, 1) predicted values
    std::vector<ValuePointSet> points; // e.g. training (filled), validation (hollow)
    std::string value_name;            // the colour bar's caption; empty: "prediction"
    std::optional<Range> range;        // default: bounding box of all points + 10%
    int resolution = 200;              // grid cells along x (2 to 4000)
    SupportFn in_support;              // optional: cells outside are veiled and hatched
};

// The model's prediction as a colour field over the plane (a colour-blind-safe
// sequential scale, dark = low, yellow = high), with a colour bar, the points
// coloured by their target on the same scale (so a point that stands out from the
// field around it is badly predicted), and the region outside the training data
// hatched as in decision_regions. With Style::legend false there is no colour bar
// or legend and the field fills the area inside the axes.
// Throws ConfigError for an empty predict or a bad range/resolution, ShapeError when
// predict does not return (n, 1) or a point set's sizes disagree.
void value_surface(const ValueSurfaceSpec& spec, const Style& style, const std::string& path);

}  // namespace plexus::plot
