// Learning curves: one panel per quantity (loss, accuracy...), training curves
// solid and validation curves dashed in the same colour, an optional log scale,
// and the training doctor's findings as vertical dashed lines at their epoch,
// coloured by severity. Epochs are 1-based: values[0] is epoch 1.
#pragma once

#include <string>
#include <vector>

#include "plexus/plot/style.hpp"

namespace plexus::plot {

struct Curve {
    std::string name;            // "loss", "val_loss"
    std::vector<double> values;  // one per epoch; NaN leaves a gap
    bool validation = false;     // dashed
};

// A finding at an epoch: severity "info", "warning" or "error" picks the colour.
struct Marker {
    int epoch = 1;
    std::string label;
    std::string severity = "info";
};

struct CurvesSpec {
    std::vector<std::vector<Curve>> panels;  // one panel per quantity
    std::vector<std::string> panel_titles;   // empty or one per panel
    bool log_y = false;                      // non-positive values leave a gap
    std::vector<Marker> markers;             // drawn on every panel
};

// Writes the learning curves to `path` (.png, .svg or .pdf).
void learning_curves(const CurvesSpec& spec, const Style& style, const std::string& path);

}  // namespace plexus::plot
