// How each hidden layer bends the data (after colah's "Neural Networks, Manifolds,
// and Topology", with TensorFlow Playground's per-unit heatmaps).
//
// One row per hidden layer. On the left, the training points and a grid of lines
// over the input plane, both mapped through the network up to that layer: drawn
// directly when the layer has 2 units, projected on its first two principal
// components (fit on the mapped training points) when it has more, and as unit
// value against the first input when it has 1. On the right, one small heatmap per
// unit of its activation over the input plane (blue negative, white 0, orange
// positive, each unit scaled to its own largest magnitude).
#pragma once

#include <string>
#include <vector>

#include "plexus/plot/style.hpp"

namespace plexus::plot {

// Hidden representations of a batch of 2-D inputs: one (n, units_l) matrix per
// hidden layer, in order.
using LayerOutputsFn = std::function<std::vector<Matrix>(const Matrix& inputs)>;

struct LayersSpec {
    LayerOutputsFn layer_outputs;
    std::vector<std::string> layer_names;  // empty or one per hidden layer
    PointSet points;                       // usually the training set
    std::vector<std::string> class_names;  // for the legend; may be empty
    Range input_range;                     // the input plane the grid covers
    int grid_lines = 15;                   // lines in each direction
    int heatmap_resolution = 40;           // cells per side of each unit heatmap
};

// Writes the layer views to `path` (.png, .svg or .pdf).
void layer_views(const LayersSpec& spec, const Style& style, const std::string& path);

}  // namespace plexus::plot
