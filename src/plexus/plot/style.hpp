// Common types of the plotting module: the picture's Style, a data Range, a set of
// labelled points, and the callbacks through which plots reach a model.
//
// Plotting is data-level and model-agnostic: a plot never sees a Model, only
// std::function callbacks (PredictFn, SupportFn, LayerOutputsFn) and matrices.
// Every plot writes PNG, SVG or PDF, chosen by the output path's extension, and
// writes it atomically (a temporary file next to the target, then a rename).
// Cairo is an implementation detail: no public header of this module includes it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plexus/core/error.hpp"  // the errors plots throw
#include "plexus/core/tensor.hpp"

namespace plexus::plot {

// Size and look of a picture. Sizes are in pixels; `dpi` scales fonts, lines and
// markers (scale = dpi / 96) and sets the physical page size of PDF output.
// Labels left at their defaults ("x", "y") are replaced by a plot's natural ones
// where it has them ("epoch", "predicted class"...).
struct Style {
    int width = 800;
    int height = 600;
    double dpi = 96;
    std::string title;  // empty: no title (animation frames are still titled "epoch N")
    std::string x_label = "x";
    std::string y_label = "y";
    bool axes = true;    // false: no frame, ticks or axis labels (bare field)
    bool legend = true;  // false: no legend
};

// An axis-aligned rectangle in data coordinates.
struct Range {
    double xmin = 0, xmax = 1, ymin = 0, ymax = 1;
};

// Class probabilities of a classifier for a batch of 2-D inputs: (n, 2) -> (n, k).
// k == 1 means a binary classifier returning sigmoid P(class 1).
using PredictFn = std::function<Matrix(const Matrix& inputs)>;

// true when (x, y) lies inside the training data's support.
using SupportFn = std::function<bool(double x, double y)>;

// Points to draw, coloured by class. Training sets are drawn filled, validation
// sets hollow (`hollow = true`); `label` names the set in the legend.
struct PointSet {
    Matrix xy;                 // (n, 2)
    std::vector<int> classes;  // n class indices
    bool hollow = false;
    std::string label;  // "training", "validation"; empty: not in the legend
};

}  // namespace plexus::plot
